import { firstHeader, type ResponseHeaders } from "./response-headers.js";

/**
 * The wait a response asks for, in milliseconds, or `undefined` when it asks for none.
 *
 * - `Retry-After` (RFC 9110, section 10.2.3) on 429 and 503: delay-seconds or an HTTP-date. CC's rate
 *   limiter sends seconds until the window resets (CC `middleware/base_rate_limiter.rb`).
 * - Otherwise, on 429 only, `X-RateLimit-Reset`: epoch seconds when CC's window ends.
 *
 * Never negative: a time in the past means "now".
 */
export function retryAfterMs(
  status: number,
  headers: ResponseHeaders,
  nowMs: number,
): number | undefined {
  if (status !== 429 && status !== 503) return undefined;
  const retryAfter = firstHeader(headers, "retry-after")?.trim();
  if (retryAfter !== undefined && retryAfter !== "") {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    // An HTTP-date always names the weekday and month; `Date.parse("-3")` would not.
    const date = /[a-z]{3}/i.test(retryAfter) ? Date.parse(retryAfter) : Number.NaN;
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  if (status !== 429) return undefined;
  const reset = firstHeader(headers, "x-ratelimit-reset")?.trim();
  if (reset !== undefined && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - nowMs);
  return undefined;
}
