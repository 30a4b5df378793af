import { CloudFoundryError, type CloudFoundryErrorOptions } from "./cloud-foundry-error.js";

/** Options of {@link CloudFoundryTimeoutError}. */
export interface CloudFoundryTimeoutErrorOptions extends CloudFoundryErrorOptions {
  /** The last state the operation saw (for deployment actions: the deployment as last read). */
  lastSeen?: unknown;
}

/**
 * An attempt timed out (headers or body timeout) or the operation's deadline passed.
 * `code` is `CF_TIMEOUT`; `lastSeen` carries the last state seen (STYLE.md habit 4).
 */
export class CloudFoundryTimeoutError extends CloudFoundryError {
  /** The last state seen before giving up, if any. */
  readonly lastSeen: unknown;

  constructor(message: string, options: CloudFoundryTimeoutErrorOptions = {}) {
    super("CF_TIMEOUT", message, options);
    this.name = "CloudFoundryTimeoutError";
    this.lastSeen = options.lastSeen;
  }
}
