import { firstHeader } from "./response-headers.js";
import { retryAfterMs } from "./retry-after.js";
import type { HttpResponse } from "./send-request.js";

/**
 * What one answer of the Cloud Controller tells about time and budget, for a caller that paces
 * itself (`CallOptions.onResponse`): when it was asked and answered on the client's clock, the
 * server's `Date`, and what the rate limiter says.
 */
export interface ResponseMeta {
  method: "GET" | "POST";
  /** The request's path, without its query. */
  path: string;
  status: number;
  /** Client clock (epoch ms) when the attempt was sent, and when its answer arrived. */
  sentAtMs: number;
  receivedAtMs: number;
  /** The `Date` header as epoch ms (whole seconds). */
  serverDateMs?: number;
  /** The wait a 429 or 503 asks for (`Retry-After`, else `X-RateLimit-Reset`). */
  retryAfterMs?: number;
  /**
   * `X-RateLimit-Remaining`, `X-RateLimit-Reset` (epoch seconds) as epoch ms, and
   * `X-RateLimit-Limit` when sent.
   */
  rateLimit?: { remaining: number; resetAtMs: number; limit?: number };
}

/** The {@link ResponseMeta} of `response`, answered at `receivedAtMs` to a request sent at `sentAtMs`. */
export function responseMeta(
  request: { method: "GET" | "POST"; path: string },
  response: HttpResponse,
  sentAtMs: number,
  receivedAtMs: number,
): ResponseMeta {
  const date = Date.parse(firstHeader(response.headers, "date") ?? "");
  const retryAfter = retryAfterMs(response.status, response.headers, receivedAtMs);
  const remaining = Number(firstHeader(response.headers, "x-ratelimit-remaining") ?? Number.NaN);
  const reset = Number(firstHeader(response.headers, "x-ratelimit-reset") ?? Number.NaN);
  const limit = Number(firstHeader(response.headers, "x-ratelimit-limit") ?? Number.NaN);
  return {
    method: request.method,
    path: request.path,
    status: response.status,
    sentAtMs,
    receivedAtMs,
    ...(Number.isNaN(date) ? {} : { serverDateMs: date }),
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    ...(Number.isInteger(remaining) && Number.isInteger(reset)
      ? {
          rateLimit: {
            remaining,
            resetAtMs: reset * 1000,
            ...(Number.isInteger(limit) && limit > 0 ? { limit } : {}),
          },
        }
      : {}),
  };
}
