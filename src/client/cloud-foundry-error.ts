import { redactSecretPatterns } from "./redactor.js";

/**
 * The stable codes of the client's error family. Match on these, not on `instanceof`: the
 * provider is re-created in another process (the Pulumi host), where a second copy of this
 * module defines other classes (STYLE.md habit 8; undici does the same with `UND_ERR_*`).
 */
export type CloudFoundryErrorCode =
  | "CF_API_ERROR"
  | "CF_NETWORK_ERROR"
  | "CF_TIMEOUT"
  | "CF_AUTH_ERROR"
  | "CF_RESPONSE_ERROR"
  | "CF_CONFIG_ERROR";

const CODES: ReadonlySet<string> = new Set<CloudFoundryErrorCode>([
  "CF_API_ERROR",
  "CF_NETWORK_ERROR",
  "CF_TIMEOUT",
  "CF_AUTH_ERROR",
  "CF_RESPONSE_ERROR",
  "CF_CONFIG_ERROR",
]);

/** Where a failed call went; every error that concerns one request carries it. */
export interface RequestContext {
  /** HTTP method, e.g. `POST`. */
  method?: string | undefined;
  /** Path and query, relative to the API or UAA base URL (never a full URL, never a token). */
  path?: string | undefined;
  /** The response's `X-VCAP-Request-ID`, when a response arrived. */
  requestId?: string | undefined;
}

/** Options shared by every error of the family. */
export interface CloudFoundryErrorOptions extends RequestContext {
  /** The underlying error, already redacted (see {@link sanitizeCause}). */
  cause?: unknown;
}

/**
 * Base of the client's error family. Messages are one actionable sentence; every string field
 * has been redacted before it gets here, and the constructor redacts secret-shaped text again
 * as a last line of defence.
 */
export class CloudFoundryError extends Error {
  /** Stable code, see {@link CloudFoundryErrorCode}. */
  readonly code: CloudFoundryErrorCode;
  /** HTTP method of the request concerned, if any. */
  readonly method: string | undefined;
  /** Path (and query) of the request concerned, if any. */
  readonly path: string | undefined;
  /** `X-VCAP-Request-ID` of the response concerned, for the platform operators' logs. */
  readonly requestId: string | undefined;

  constructor(
    code: CloudFoundryErrorCode,
    message: string,
    options: CloudFoundryErrorOptions = {},
  ) {
    super(
      redactSecretPatterns(message),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "CloudFoundryError";
    this.code = code;
    this.method = options.method;
    this.path = options.path === undefined ? undefined : redactSecretPatterns(options.path);
    this.requestId = options.requestId;
  }

  /** Plain, redacted fields, so that `JSON.stringify(error)` is useful and safe. */
  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined) fields[key] = value;
    }
    if (this.cause instanceof Error) {
      Object.assign(fields, { cause: `${this.cause.name}: ${this.cause.message}` });
    }
    return fields;
  }
}

/**
 * Whether `error` belongs to this client's error family (optionally with the given `code`).
 * Works across copies of the module: it looks at `code`, not at the class.
 */
export function isCloudFoundryError<C extends CloudFoundryErrorCode>(
  error: unknown,
  code?: C,
): error is CloudFoundryError & { code: C } {
  if (typeof error !== "object" || error === null) return false;
  const actual: unknown = (error as { code?: unknown }).code;
  if (typeof actual !== "string" || !CODES.has(actual)) return false;
  if (typeof (error as { message?: unknown }).message !== "string") return false;
  return code === undefined || actual === code;
}

/**
 * A copy of an underlying error that is safe to keep as `cause`: name, code and message
 * redacted, no other properties (undici errors can carry sockets, headers and bodies).
 */
export function sanitizeCause(error: unknown, redact: (text: string) => string): Error {
  if (!(error instanceof Error)) return new Error(redact(String(error)));
  const copy = new Error(redact(error.message));
  copy.name = error.name;
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code });
  copy.stack = redact(error.stack ?? `${copy.name}: ${copy.message}`);
  if (error.cause !== undefined) Object.assign(copy, { cause: sanitizeCause(error.cause, redact) });
  return copy;
}
