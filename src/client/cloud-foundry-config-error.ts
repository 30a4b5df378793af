import { CloudFoundryError, type CloudFoundryErrorOptions } from "./cloud-foundry-error.js";

/** Options of {@link CloudFoundryConfigError}. */
export interface CloudFoundryConfigErrorOptions extends CloudFoundryErrorOptions {
  /** The option or config.json key at fault, e.g. `apiUrl` or `Target`. */
  setting?: string | undefined;
}

/**
 * Bad client options or an unusable cf CLI `config.json`. Thrown eagerly, before any request.
 * `code` is `CF_CONFIG_ERROR`.
 */
export class CloudFoundryConfigError extends CloudFoundryError {
  /** The option or config.json key at fault. */
  readonly setting: string | undefined;

  constructor(message: string, options: CloudFoundryConfigErrorOptions = {}) {
    super("CF_CONFIG_ERROR", message, options);
    this.name = "CloudFoundryConfigError";
    this.setting = options.setting;
  }
}
