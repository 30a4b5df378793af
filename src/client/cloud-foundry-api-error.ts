import { CloudFoundryError, type CloudFoundryErrorOptions } from "./cloud-foundry-error.js";

/** One entry of the V3 error envelope `{"errors":[{detail,title,code}]}` (reference §5). */
export interface ApiErrorEntry {
  /** Numeric CC error code, e.g. `10008`. */
  code: number;
  /** CC error title, e.g. `CF-UnprocessableEntity`. */
  title: string;
  /** Human text, e.g. `Cannot continue a deployment with status: ACTIVE and reason: DEPLOYING`. */
  detail: string;
}

/** Options of {@link CloudFoundryApiError}. */
export interface CloudFoundryApiErrorOptions extends CloudFoundryErrorOptions {
  /** HTTP status of the response. */
  status: number;
  /** Every entry of the V3 error envelope (CC may send several). Empty when the body was not one. */
  errors?: readonly ApiErrorEntry[];
  /** Title when the body was no V3 envelope, e.g. UAA's `error` (`unauthorized`). */
  title?: string | undefined;
  /** Detail when the body was no V3 envelope, e.g. UAA's `error_description`. */
  detail?: string | undefined;
}

/**
 * The Cloud Controller (or UAA, or a proxy in front of them) answered with an error status.
 * `code` is `CF_API_ERROR`; `cfCode`, `title` and `detail` come from the first envelope entry.
 */
export class CloudFoundryApiError extends CloudFoundryError {
  /** HTTP status. */
  readonly status: number;
  /** CC error code of the first entry, e.g. `10008`; undefined when the body was no envelope. */
  readonly cfCode: number | undefined;
  /** CC error title of the first entry, e.g. `CF-UnprocessableEntity`. */
  readonly title: string | undefined;
  /** CC error detail of the first entry. */
  readonly detail: string | undefined;
  /** All envelope entries. */
  readonly errors: readonly ApiErrorEntry[];

  constructor(message: string, options: CloudFoundryApiErrorOptions) {
    super("CF_API_ERROR", message, options);
    this.name = "CloudFoundryApiError";
    this.status = options.status;
    this.errors = options.errors ?? [];
    const first = this.errors[0];
    this.cfCode = first?.code;
    this.title = first?.title ?? options.title;
    this.detail = first?.detail ?? options.detail;
  }
}
