import { CloudFoundryError, type CloudFoundryErrorOptions } from "./cloud-foundry-error.js";

/** Options of {@link CloudFoundryAuthError}. */
export interface CloudFoundryAuthErrorOptions extends CloudFoundryErrorOptions {
  /** Description of the credential source, e.g. `password grant for user 'developer'`. */
  credentialSource: string;
  /** HTTP status that ended it (401 from CC, 400/401 from UAA), if any. */
  status?: number | undefined;
}

/**
 * Authentication failed: UAA refused the credentials, or the Cloud Controller refused the token
 * again after one refresh. `code` is `CF_AUTH_ERROR`. Never carries the credential itself.
 */
export class CloudFoundryAuthError extends CloudFoundryError {
  /** Which credential source was used (no secrets). */
  readonly credentialSource: string;
  /** HTTP status that ended it, if any. */
  readonly status: number | undefined;

  constructor(message: string, options: CloudFoundryAuthErrorOptions) {
    super("CF_AUTH_ERROR", message, options);
    this.name = "CloudFoundryAuthError";
    this.credentialSource = options.credentialSource;
    this.status = options.status;
  }
}
