import type { Dispatcher } from "undici";
import { type BodyStream, readBoundedBody } from "./read-bounded-body.js";
import { firstHeader, type ResponseHeaders } from "./response-headers.js";
import { retryAfterMs } from "./retry-after.js";
import type { AttemptOutcome } from "./retry-delay.js";

/** One HTTP request, fully resolved. */
export interface HttpRequest {
  /** HTTP method. */
  method: "GET" | "POST";
  /** Absolute URL, always built from a configured base URL. */
  url: URL;
  /** Request headers (lower-case names). */
  headers: Record<string, string>;
  /** Request body, if any. */
  body?: string | undefined;
  /** Headers timeout, body idle timeout, and limit on reading the whole body, of this attempt. */
  timeoutMs: number;
  /** Cancels the attempt. */
  signal?: AbortSignal | undefined;
}

/** A response whose body was read completely (and within the size cap). */
export interface HttpResponse {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: ResponseHeaders;
  /** The body as UTF-8 text (empty when there was none). */
  text: string;
  /** `X-VCAP-Request-ID`, kept for every error: the platform operators' logs are keyed by it. */
  requestId: string | undefined;
}

/** What one attempt came to. */
export type SendResult =
  | { kind: "response"; response: HttpResponse }
  | {
      kind: "network";
      /** System or undici error code, e.g. `ECONNRESET`, `UND_ERR_HEADERS_TIMEOUT`. */
      networkCode: string | undefined;
      /** Whether a connect, headers or body timeout ended it. */
      timedOut: boolean;
      /**
       * Whether the request may have been handed to a socket. `false` only when undici never
       * called `onRequestSent` and the failure was one of connecting (refused, DNS, connect
       * timeout): then the request provably never reached the server. Unknown counts as written.
       */
      written?: boolean | undefined;
      /** The underlying error (not yet redacted). */
      cause: unknown;
    }
  | { kind: "tooLarge"; status: number; requestId: string | undefined; limitBytes: number };

/** Whether a result is a response with a 2xx status. */
export function isSuccess(result: SendResult): boolean {
  return (
    result.kind === "response" && result.response.status >= 200 && result.response.status < 300
  );
}

/** Whether a result is a 401: the Cloud Controller refused the token. */
export function isUnauthorized(result: SendResult): boolean {
  return result.kind === "response" && result.response.status === 401;
}

/** Whether a failed attempt provably never reached the server: it was never written to a socket. */
export function neverSent(result: SendResult): boolean {
  return result.kind === "network" && result.written === false;
}

/** Whether the outcome of a POST is unknown: no response, a 5xx, or an unreadable response. */
export function isAmbiguous(result: SendResult): boolean {
  if (result.kind === "network" || result.kind === "tooLarge") return true;
  return result.response.status >= 500;
}

/**
 * A result as the retry decision sees it. A 429's or 503's `Retry-After` is honoured (CC and
 * proxies send it when overloaded); an oversized body counts as a 500: something answered, but
 * not with anything readable (never retried for an idempotent request, retried once a read-back
 * proved a POST did not take effect).
 */
export function attemptOutcome(result: SendResult, nowMs: number): AttemptOutcome {
  if (result.kind === "network") return { kind: "network", networkCode: result.networkCode };
  if (result.kind === "tooLarge") return { kind: "response", status: 500 };
  const { status, headers } = result.response;
  return { kind: "response", status, retryAfterMs: retryAfterMs(status, headers, nowMs) };
}

const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);

/**
 * Failures that happen while connecting, before a request can have been written. A request counts
 * as unwritten only when undici never called `onRequestSent` *and* it failed this way: a dispatcher
 * the caller injected may not forward `onRequestSent`, and then an unknown is a write.
 */
const CONNECT_PHASE_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

function failedBeforeWriting(networkCode: string | undefined): boolean {
  return networkCode !== undefined && CONNECT_PHASE_CODES.has(networkCode);
}

/** The most specific error code in `error` or its causes. */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code: unknown = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * `dispatcher` with a hook that records whether undici wrote the request to a socket
 * (`onRequestSent`, called by `undici lib/dispatcher/client-h1.js` right after the write).
 */
function trackingWrites(dispatcher: Dispatcher): { dispatcher: Dispatcher; written(): boolean } {
  let written = false;
  const tracked = dispatcher.compose(
    (dispatch) => (options, handler) =>
      dispatch(
        options,
        new Proxy(handler, {
          get(target, property) {
            const value: unknown = Reflect.get(target, property, target);
            if (property === "onRequestSent") {
              return (...args: unknown[]) => {
                written = true;
                return typeof value === "function" ? value.apply(target, args) : undefined;
              };
            }
            return typeof value === "function" ? value.bind(target) : value;
          },
        }),
      ),
  );
  return { dispatcher: tracked, written: () => written };
}

/**
 * Sends one request through `dispatcher` and reads the whole body, at most `maxResponseBytes`.
 * Redirects are never followed (undici's `request` does not, and no redirect interceptor is
 * composed in), so credentials cannot travel to a `Location`. Never throws for network
 * failures: it reports them, so the caller decides on retries. Throws only the abort reason.
 */
export async function sendRequest(
  dispatcher: Dispatcher,
  request: HttpRequest,
  maxResponseBytes: number,
): Promise<SendResult> {
  const { signal } = request;
  let bodyTimedOut = false;
  const tracked = trackingWrites(dispatcher);
  try {
    const response = await tracked.dispatcher.request({
      origin: request.url.origin,
      path: `${request.url.pathname}${request.url.search}`,
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      headersTimeout: request.timeoutMs,
      bodyTimeout: request.timeoutMs,
      signal: signal ?? null,
    });
    const headers = response.headers as ResponseHeaders;
    const requestId = firstHeader(headers, "x-vcap-request-id");
    const declared = Number(firstHeader(headers, "content-length"));
    // undici's bodyTimeout is an idle timeout: a body that trickles in a byte at a time never
    // trips it. Once the headers are in, the whole body must arrive within `timeoutMs` too.
    const stream = response.body as unknown as BodyStream;
    const bodyTimer = setTimeout(() => {
      bodyTimedOut = true;
      stream.destroy(new Error(`the body did not arrive within ${request.timeoutMs} ms`));
    }, request.timeoutMs);
    let body: Awaited<ReturnType<typeof readBoundedBody>>;
    try {
      body = await readBoundedBody(
        stream,
        maxResponseBytes,
        Number.isFinite(declared) ? declared : undefined,
      );
    } finally {
      clearTimeout(bodyTimer);
    }
    if (!body.ok) {
      return {
        kind: "tooLarge",
        status: response.statusCode,
        requestId,
        limitBytes: body.limitBytes,
      };
    }
    return {
      kind: "response",
      response: { status: response.statusCode, headers, text: body.text, requestId },
    };
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    const networkCode = bodyTimedOut ? "ETIMEDOUT" : errorCode(error);
    return {
      kind: "network",
      networkCode,
      timedOut: networkCode !== undefined && TIMEOUT_CODES.has(networkCode),
      written: tracked.written() || !failedBeforeWriting(networkCode),
      cause: error,
    };
  }
}
