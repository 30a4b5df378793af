import { CloudFoundryError, type CloudFoundryErrorOptions } from "./cloud-foundry-error.js";

/** Options of {@link CloudFoundryNetworkError}. */
export interface CloudFoundryNetworkErrorOptions extends CloudFoundryErrorOptions {
  /** The system or undici error code, e.g. `ECONNRESET` or `UND_ERR_SOCKET`. */
  networkCode?: string | undefined;
  /** How many attempts were made. */
  attempts?: number | undefined;
}

/** No usable HTTP response: refused, reset, TLS failure, DNS failure. `code` is `CF_NETWORK_ERROR`. */
export class CloudFoundryNetworkError extends CloudFoundryError {
  /** The system or undici error code, e.g. `ECONNRESET`. */
  readonly networkCode: string | undefined;
  /** How many attempts were made before giving up. */
  readonly attempts: number | undefined;

  constructor(message: string, options: CloudFoundryNetworkErrorOptions = {}) {
    super("CF_NETWORK_ERROR", message, options);
    this.name = "CloudFoundryNetworkError";
    this.networkCode = options.networkCode;
    this.attempts = options.attempts;
  }
}
