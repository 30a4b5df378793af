import { CloudFoundryError, type CloudFoundryErrorOptions } from "./cloud-foundry-error.js";

/** Options of {@link CloudFoundryResponseError}. */
export interface CloudFoundryResponseErrorOptions extends CloudFoundryErrorOptions {
  /** HTTP status of the response that could not be used. */
  status?: number | undefined;
  /** Dotted path of the first failing field, e.g. `status.reason` or `resources.0.guid`. */
  fieldPath?: string | undefined;
}

/**
 * A response arrived but cannot be used: not JSON, truncated, empty where JSON is due, too
 * large, failing the schema, or a redirect (never followed). `code` is `CF_RESPONSE_ERROR`.
 */
export class CloudFoundryResponseError extends CloudFoundryError {
  /** HTTP status of the response. */
  readonly status: number | undefined;
  /** Dotted path of the first failing field, when the schema failed. */
  readonly fieldPath: string | undefined;

  constructor(message: string, options: CloudFoundryResponseErrorOptions = {}) {
    super("CF_RESPONSE_ERROR", message, options);
    this.name = "CloudFoundryResponseError";
    this.status = options.status;
    this.fieldPath = options.fieldPath;
  }
}
