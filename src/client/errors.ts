import type { CredentialSource } from "./credential-source.js";
import { redactSecretPatterns } from "./redactor.js";

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
  /**
   * What to do about it, one or more clauses; the message becomes `summary; hint.`. Kept apart so
   * a caller with more context (the provider) can give its own advice after the same summary.
   */
  hint?: string | readonly string[] | undefined;
}

/** The options of an error class: the shared ones plus the class's own fields `K`. */
type OptionsWith<E, K extends keyof E> = CloudFoundryErrorOptions & { [P in K]?: E[P] };

/** `text` as a clause inside a longer sentence: without its closing full stop. */
export function asClause(text: string): string {
  return text.endsWith(".") ? text.slice(0, -1) : text;
}

/**
 * The one way the client's messages are put together: `summary` alone, or `summary; hint.` with
 * each clause's own full stop dropped, so a summary that came from elsewhere (a UAA
 * `error_description`, another error's message) reads as one sentence.
 */
export function composeMessage(summary: string, hint: readonly string[] = []): string {
  if (hint.length === 0) return summary;
  return `${[summary, ...hint].map(asClause).join("; ")}.`;
}

const hintClauses = (hint: CloudFoundryErrorOptions["hint"]): readonly string[] =>
  hint === undefined ? [] : typeof hint === "string" ? [hint] : hint;

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
  /** What happened: the message without its hint. */
  readonly summary: string;
  /** What to do about it (the clauses after the summary), if the message says. */
  readonly hint: string | undefined;

  constructor(
    code: CloudFoundryErrorCode,
    summary: string,
    options: CloudFoundryErrorOptions = {},
  ) {
    const hint = hintClauses(options.hint).map(redactSecretPatterns);
    const safeSummary = redactSecretPatterns(summary);
    super(
      redactSecretPatterns(composeMessage(safeSummary, hint)),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "CloudFoundryError";
    this.code = code;
    this.method = options.method;
    this.path = options.path === undefined ? undefined : redactSecretPatterns(options.path);
    this.requestId = options.requestId;
    this.summary = safeSummary;
    this.hint = hint.length === 0 ? undefined : hint.map(asClause).join("; ");
  }

  /** Plain, redacted fields, so that `JSON.stringify(error)` is useful and safe. */
  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      // The summary is already the start of the message.
      if (value !== undefined && key !== "summary") fields[key] = value;
    }
    if (this.cause instanceof Error) {
      Object.assign(fields, { cause: `${this.cause.name}: ${this.cause.message}` });
    }
    return fields;
  }
}

/** One entry of the V3 error envelope `{"errors":[{detail,title,code}]}`. */
export interface ApiErrorEntry {
  /** Numeric CC error code, e.g. `10008`. */
  code: number;
  /** CC error title, e.g. `CF-UnprocessableEntity`. */
  title: string;
  /** Human text, e.g. `Cannot continue a deployment with status: ACTIVE and reason: DEPLOYING`. */
  detail: string;
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
  /** CC error title of the first entry, or UAA's `error` (`unauthorized`) when it was no envelope. */
  readonly title: string | undefined;
  /** CC error detail of the first entry, or UAA's `error_description`. */
  readonly detail: string | undefined;
  /** Every entry of the V3 error envelope (CC may send several); empty when it was none. */
  readonly errors: readonly ApiErrorEntry[];

  constructor(
    message: string,
    options: OptionsWith<CloudFoundryApiError, "errors" | "title" | "detail"> & { status: number },
  ) {
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

/**
 * Authentication failed: UAA refused the credentials, or the Cloud Controller refused the token
 * again after one refresh. `code` is `CF_AUTH_ERROR`. Never carries the credential itself.
 */
export class CloudFoundryAuthError extends CloudFoundryError {
  /** Which credential source was used, e.g. `password grant for user 'developer'` (no secrets). */
  readonly credentialSource: string;
  /** Which kind of credentials failed (`credentials.kind`), so a caller can advise in its own terms. */
  readonly credentialKind: CredentialSource["kind"];
  /** HTTP status that ended it (401 from CC, 400/401 from UAA), if any. */
  readonly status: number | undefined;

  constructor(
    message: string,
    options: OptionsWith<CloudFoundryAuthError, "status"> &
      Pick<CloudFoundryAuthError, "credentialSource" | "credentialKind">,
  ) {
    super("CF_AUTH_ERROR", message, options);
    this.name = "CloudFoundryAuthError";
    this.credentialSource = options.credentialSource;
    this.credentialKind = options.credentialKind;
    this.status = options.status;
  }
}

/**
 * Bad client options or an unusable cf CLI `config.json`. Thrown eagerly, before any request.
 * `code` is `CF_CONFIG_ERROR`.
 */
export class CloudFoundryConfigError extends CloudFoundryError {
  /** The option or config.json key at fault, e.g. `apiUrl` or `Target`. */
  readonly setting: string | undefined;

  constructor(message: string, options: OptionsWith<CloudFoundryConfigError, "setting"> = {}) {
    super("CF_CONFIG_ERROR", message, options);
    this.name = "CloudFoundryConfigError";
    this.setting = options.setting;
  }
}

/** No usable HTTP response: refused, reset, TLS failure, DNS failure. `code` is `CF_NETWORK_ERROR`. */
export class CloudFoundryNetworkError extends CloudFoundryError {
  /** The system or undici error code, e.g. `ECONNRESET` or `UND_ERR_SOCKET`. */
  readonly networkCode: string | undefined;
  /** How many attempts were made before giving up. */
  readonly attempts: number | undefined;

  constructor(
    message: string,
    options: OptionsWith<CloudFoundryNetworkError, "networkCode" | "attempts"> = {},
  ) {
    super("CF_NETWORK_ERROR", message, options);
    this.name = "CloudFoundryNetworkError";
    this.networkCode = options.networkCode;
    this.attempts = options.attempts;
  }
}

/**
 * A response arrived but cannot be used: not JSON, truncated, empty where JSON is due, too
 * large, failing the schema, or a redirect (never followed). `code` is `CF_RESPONSE_ERROR`.
 */
export class CloudFoundryResponseError extends CloudFoundryError {
  /** HTTP status of the response. */
  readonly status: number | undefined;
  /** Dotted path of the first failing field, e.g. `status.reason` or `resources.0.guid`. */
  readonly fieldPath: string | undefined;

  constructor(
    message: string,
    options: OptionsWith<CloudFoundryResponseError, "status" | "fieldPath"> = {},
  ) {
    super("CF_RESPONSE_ERROR", message, options);
    this.name = "CloudFoundryResponseError";
    this.status = options.status;
    this.fieldPath = options.fieldPath;
  }
}

/**
 * An attempt timed out (headers or body timeout) or the operation's deadline passed.
 * `code` is `CF_TIMEOUT`.
 */
export class CloudFoundryTimeoutError extends CloudFoundryError {
  /** The last state seen before giving up (for deployment actions: the deployment as last read). */
  readonly lastSeen: unknown;

  constructor(message: string, options: OptionsWith<CloudFoundryTimeoutError, "lastSeen"> = {}) {
    super("CF_TIMEOUT", message, options);
    this.name = "CloudFoundryTimeoutError";
    this.lastSeen = options.lastSeen;
  }
}

/**
 * A continue or cancel whose outcome is unknown and that was deliberately not sent again: it
 * may have reached the Cloud Controller and may still be applied (a proxy or router can hold a
 * request and deliver it late), and the deployment did not move while it was watched. The next
 * run decides from what the deployment then shows. `code` is `CF_OUTCOME_UNKNOWN`.
 */
export class CloudFoundryOutcomeUnknownError extends CloudFoundryError {
  /** The action in doubt, `continue` or `cancel`. */
  readonly action: string;
  /** Always `false`: the request was sent once and never again. */
  readonly resent: false;
  /** How long the deployment was watched for the request to land, in milliseconds. */
  readonly watchedMs: number;
  /** The deployment as last read (unchanged since before the request). */
  readonly lastSeen: unknown;
  /** Requests of this action sent by the call. */
  readonly attempts: number;

  constructor(
    message: string,
    options: OptionsWith<CloudFoundryOutcomeUnknownError, "lastSeen"> &
      Pick<CloudFoundryOutcomeUnknownError, "action" | "watchedMs" | "attempts">,
  ) {
    super("CF_OUTCOME_UNKNOWN", message, options);
    this.name = "CloudFoundryOutcomeUnknownError";
    this.action = options.action;
    this.resent = false;
    this.watchedMs = options.watchedMs;
    this.lastSeen = options.lastSeen;
    this.attempts = options.attempts;
  }
}

/** Each stable code and the class of its errors. */
const ERROR_CLASSES = {
  CF_API_ERROR: CloudFoundryApiError,
  CF_NETWORK_ERROR: CloudFoundryNetworkError,
  CF_TIMEOUT: CloudFoundryTimeoutError,
  CF_AUTH_ERROR: CloudFoundryAuthError,
  CF_RESPONSE_ERROR: CloudFoundryResponseError,
  CF_CONFIG_ERROR: CloudFoundryConfigError,
  CF_OUTCOME_UNKNOWN: CloudFoundryOutcomeUnknownError,
} as const;

/**
 * The stable codes of the client's error family. Match on these, not on `instanceof`: the
 * provider is re-created in another process (the Pulumi host), where a second copy of this
 * module defines other classes (undici does the same with `UND_ERR_*`).
 */
export type CloudFoundryErrorCode = keyof typeof ERROR_CLASSES;

/** The error class of `code`, e.g. `CloudFoundryApiError` for `CF_API_ERROR`. */
export type CloudFoundryErrorOf<C extends CloudFoundryErrorCode> = InstanceType<
  (typeof ERROR_CLASSES)[C]
>;

const CODES: ReadonlySet<string> = new Set(Object.keys(ERROR_CLASSES));

/**
 * Whether `error` belongs to this client's error family (optionally with the given `code`, which
 * narrows it to that code's class). Works across copies of the module: it looks at `code`, not
 * at the class.
 */
export function isCloudFoundryError<C extends CloudFoundryErrorCode>(
  error: unknown,
  code: C,
): error is CloudFoundryErrorOf<C>;
export function isCloudFoundryError(error: unknown): error is CloudFoundryError;
export function isCloudFoundryError(error: unknown, code?: CloudFoundryErrorCode): boolean {
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
