import { STATUS_CODES } from "node:http";
import type { z } from "zod";
import { bounded } from "../shared/bounded-text.js";
import {
  CloudFoundryApiError,
  type CloudFoundryError,
  CloudFoundryNetworkError,
  CloudFoundryResponseError,
  CloudFoundryTimeoutError,
  sanitizeCause,
} from "./errors.js";
import { firstHeader } from "./response-headers.js";
import { UaaErrorSchema, V3ErrorSchema } from "./schemas.js";
import type { HttpResponse, SendResult } from "./send-request.js";
import { tlsAdvice, tlsFailure } from "./tls-failure.js";

/** What errors say about the request: `METHOD path`, relative to its base URL. */
export interface RequestLabel {
  /** HTTP method. */
  method: string;
  /** Path and query relative to the base URL, e.g. `/v3/deployments/<guid>`. */
  path: string;
  /** The absolute URL (used only to resolve a redirect's origin). */
  url: URL;
}

type Redact = (text: string) => string;

/** A value from the server as the client's messages echo it: redacted, then bounded. */
const echo = (text: string, redact: Redact): string => bounded(redact(text));

function contentType(response: HttpResponse): string {
  const type = firstHeader(response.headers, "content-type")?.split(";")[0]?.trim();
  return type ? bounded(type) : "no content type";
}

function looksLikeHtml(text: string): boolean {
  return /^\s*<(!doctype|html|head|body)/i.test(text);
}

/** The reason phrase of `status`, e.g. `Bad Gateway`. */
function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? "Unknown Status";
}

/** Short, redacted description of a non-JSON body, for messages. */
function describeBody(response: HttpResponse): string {
  if (response.text.trim() === "") return "an empty body";
  if (looksLikeHtml(response.text)) {
    return "an HTML page (a proxy or load balancer answered, not the Cloud Controller)";
  }
  return `a ${contentType(response)} body that is not a Cloud Controller error`;
}

/**
 * Short text for a network failure, e.g. `connection reset (ECONNRESET)`; for a TLS failure,
 * what it means (OpenSSL's own text for a plain-HTTP answer spans lines and says nothing).
 */
function describeNetwork(result: Extract<SendResult, { kind: "network" }>, redact: Redact): string {
  const code = result.networkCode;
  const tls = tlsFailure(code);
  if (tls?.kind === "notTls") {
    return `the server does not speak TLS (${code}): it answered the handshake the way a plain-HTTP port does`;
  }
  const message = result.cause instanceof Error ? bounded(redact(result.cause.message)) : "";
  const text = message !== "" ? message : "network failure";
  const coded = code === undefined || message.includes(code) ? text : `${text} (${code})`;
  return tls === undefined ? coded : `${coded}: the server's TLS certificate ${tls.problem}`;
}

/** One phrase for what an attempt came to, used in retry logs and timeout messages. */
export function describeResult(result: SendResult, redact: Redact): string {
  if (result.kind === "network") return describeNetwork(result, redact);
  if (result.kind === "tooLarge") return `${result.status} with an oversized body`;
  const envelope = parseV3Error(result.response);
  const first = envelope?.[0];
  return first === undefined
    ? `${result.response.status} ${reasonPhrase(result.response.status)}`
    : `${result.response.status} ${echo(first.title, redact)} (${first.code}): ${echo(first.detail, redact)}`;
}

/**
 * Whether an error response carries the Cloud Controller's own V3 error envelope, i.e. CC
 * answered it (a router or proxy in front of it answers with text or HTML).
 */
export function isCloudControllerError(response: HttpResponse): boolean {
  return (parseV3Error(response)?.length ?? 0) > 0;
}

function parseV3Error(response: HttpResponse) {
  try {
    const parsed = V3ErrorSchema.safeParse(JSON.parse(response.text));
    return parsed.success ? parsed.data.errors : undefined;
  } catch {
    return undefined;
  }
}

function parseUaaError(response: HttpResponse) {
  try {
    const parsed = UaaErrorSchema.safeParse(JSON.parse(response.text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** `; retry after 120 s` when a 429 or 503 names a wait (the client did not wait that long). */
function retryAfterClause(response: HttpResponse): string {
  if (response.status !== 429 && response.status !== 503) return "";
  const first = firstHeader(response.headers, "retry-after")?.trim();
  if (first === undefined || first === "") return "";
  return /^\d+$/.test(first) ? `; retry after ${first} s` : `; retry after ${bounded(first)}`;
}

/** The origin a redirect points to, or a placeholder when `Location` is missing or invalid. */
function redirectTarget(response: HttpResponse, base: URL): string {
  const value = firstHeader(response.headers, "location");
  if (value === undefined) return "no Location";
  try {
    return new URL(value, base).origin;
  } catch {
    return "an invalid Location";
  }
}

/**
 * The error for a response with a non-2xx status: the V3 error envelope when there is one
 * (`METHOD path → 422 CF-UnprocessableEntity (10008): detail`), UAA's `{error,
 * error_description}`, a redirect (never followed), or a description of whatever else came.
 */
export function errorFromResponse(
  response: HttpResponse,
  label: RequestLabel,
  redact: Redact,
  note?: string,
): CloudFoundryError {
  const context = { method: label.method, path: label.path, requestId: response.requestId };
  const noted = note === undefined ? [] : [note];
  const prefix = `${label.method} ${label.path} → ${response.status}`;
  if (response.status >= 300 && response.status < 400) {
    return new CloudFoundryResponseError(
      `${prefix} redirect to ${echo(redirectTarget(response, label.url), redact)} was not followed (the client never follows redirects, so credentials stay with ${label.url.origin})`,
      {
        ...context,
        status: response.status,
        hint: ["check that the configured URL is the service's own URL", ...noted],
      },
    );
  }
  const envelope = parseV3Error(response);
  if (envelope !== undefined) {
    const errors = envelope.map((e) => ({
      code: e.code,
      title: echo(e.title, redact),
      detail: echo(e.detail, redact),
    }));
    const text = errors.map((e) => `${e.title} (${e.code}): ${e.detail}`).join("; ");
    return new CloudFoundryApiError(`${prefix} ${text}${retryAfterClause(response)}`, {
      ...context,
      status: response.status,
      errors,
      hint: noted,
    });
  }
  const uaa = parseUaaError(response);
  if (uaa !== undefined) {
    const detail =
      uaa.error_description === undefined ? undefined : echo(uaa.error_description, redact);
    const title = echo(uaa.error, redact);
    return new CloudFoundryApiError(
      `${prefix} ${title}${detail === undefined ? "" : `: ${detail}`}`,
      {
        ...context,
        status: response.status,
        title,
        detail,
        hint: noted,
      },
    );
  }
  return new CloudFoundryApiError(
    `${prefix} ${reasonPhrase(response.status)} with ${describeBody(response)}.`,
    { ...context, status: response.status, hint: noted },
  );
}

/** What {@link errorFromResult} knows about the run besides its last result. */
export interface ResultErrorOptions {
  /** Attempts made. */
  attempts: number;
  /** Set when the deadline stopped the retries. */
  deadlineReached?: boolean | undefined;
  /** The last state seen (for timeouts). */
  lastSeen?: unknown;
  /** A last clause of the message, e.g. what a read-back showed. */
  note?: string | undefined;
}

/** The error to throw for the final result of a request that did not succeed. */
export function errorFromResult(
  result: SendResult,
  label: RequestLabel,
  redact: Redact,
  options: ResultErrorOptions,
): CloudFoundryError {
  const context = { method: label.method, path: label.path };
  const noted = options.note === undefined ? [] : [options.note];
  const tries = options.attempts === 1 ? "1 attempt" : `${options.attempts} attempts`;
  if (options.deadlineReached === true) {
    return new CloudFoundryTimeoutError(
      `${label.method} ${label.path} did not succeed before the deadline (${tries}, last: ${describeResult(result, redact)})`,
      {
        ...context,
        hint: ["allow more time or try again later", ...noted],
        requestId: result.kind === "network" ? undefined : requestIdOf(result),
        lastSeen: options.lastSeen,
        cause: result.kind === "network" ? sanitizeCause(result.cause, redact) : undefined,
      },
    );
  }
  if (result.kind === "tooLarge") {
    return new CloudFoundryResponseError(
      `${label.method} ${label.path} → ${result.status} with a body larger than the ${formatBytes(result.limitBytes)} limit (maxResponseBytes); it was not read.`,
      { ...context, status: result.status, requestId: result.requestId, hint: noted },
    );
  }
  if (result.kind === "response") {
    return errorFromResponse(result.response, label, redact, options.note);
  }
  const cause = sanitizeCause(result.cause, redact);
  if (result.timedOut) {
    return new CloudFoundryTimeoutError(
      `${label.method} ${label.path} timed out: ${describeNetwork(result, redact)} (${tries})`,
      {
        ...context,
        cause,
        lastSeen: options.lastSeen,
        hint: [`check that ${label.url.origin} is reachable, or raise requestTimeoutMs`, ...noted],
      },
    );
  }
  return new CloudFoundryNetworkError(
    `${label.method} ${label.path} failed: ${describeNetwork(result, redact)} (${tries})`,
    {
      ...context,
      cause,
      networkCode: result.networkCode,
      attempts: options.attempts,
      hint: [networkAdvice(result.networkCode, label.url.origin), ...noted],
    },
  );
}

/** What to do about a network failure talking to `origin`. */
function networkAdvice(code: string | undefined, origin: string): string {
  const tls = tlsFailure(code);
  return tls === undefined ? `check that ${origin} is reachable` : tlsAdvice(tls, origin);
}

function requestIdOf(result: Exclude<SendResult, { kind: "network" }>): string | undefined {
  return result.kind === "response" ? result.response.requestId : result.requestId;
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** A dotted path such as `status.reason` or `resources.0.guid`. */
function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Parses a successful response's JSON body with `schema`. Empty, non-JSON, truncated and
 * schema-violating bodies become a {@link CloudFoundryResponseError} naming the request, what
 * was expected and the first failing field path (with the offending value when it is short).
 */
export function parseResponse<S extends z.ZodType>(
  response: HttpResponse,
  schema: S,
  label: RequestLabel,
  expected: string,
  redact: Redact,
): z.infer<S> {
  const context = { method: label.method, path: label.path, requestId: response.requestId };
  const prefix = `${label.method} ${label.path} → ${response.status}`;
  if (response.text.trim() === "") {
    throw new CloudFoundryResponseError(
      `${prefix} with an empty body where ${expected} was expected.`,
      { ...context, status: response.status },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch (error) {
    const why = looksLikeHtml(response.text)
      ? "an HTML page, e.g. from a proxy"
      : `${contentType(response)}; ${echo((error as Error).message, redact)}`;
    throw new CloudFoundryResponseError(
      `${prefix} with a body that is not valid JSON (${why}) where ${expected} was expected.`,
      { ...context, status: response.status },
    );
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue === undefined ? [] : issue.path;
  const fieldPath = bounded(dottedPath(path));
  const value = valueAt(json, path);
  const got =
    (typeof value === "string" && value.length <= 60) ||
    typeof value === "number" ||
    typeof value === "boolean"
      ? ` (got ${redact(JSON.stringify(value))})`
      : "";
  throw new CloudFoundryResponseError(
    `${prefix} with ${expected} that does not match the expected shape at ${fieldPath === "" ? "the top level" : fieldPath}: ${bounded(issue?.message ?? "invalid")}${got}.`,
    { ...context, status: response.status, fieldPath },
  );
}
