/**
 * How the client retries. Every field has a default, see {@link DEFAULT_RETRY_POLICY}.
 */
export interface RetryPolicy {
  /** Attempts in total, the first included. @default 5 */
  maxAttempts: number;
  /** Backoff before the second attempt; doubles each time, before jitter. @default 500 */
  baseDelayMs: number;
  /** Cap of the exponential backoff. @default 15000 */
  maxDelayMs: number;
  /**
   * The longest `Retry-After` / `X-RateLimit-Reset` wait the client accepts for a call without a
   * deadline. A longer one (CC's rate-limit window is an hour by default,
   * `reset_interval_in_minutes` in CC `lib/cloud_controller/rack_app_builder.rb`) fails at once
   * with the wait in the message instead of stalling a run; a call with a `deadline` waits out
   * any wait that ends before it. @default 60000
   */
  maxRetryAfterMs: number;
}

/** The defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  maxRetryAfterMs: 60_000,
});

/** What one attempt came to, as far as the retry decision cares. */
export type AttemptOutcome =
  | {
      kind: "response";
      /** HTTP status. */
      status: number;
      /** Server-requested wait (see `retryAfterMs`), if any. */
      retryAfterMs?: number | undefined;
    }
  | {
      kind: "network";
      /** System or undici error code, e.g. `ECONNRESET`, `UND_ERR_HEADERS_TIMEOUT`. */
      networkCode: string | undefined;
    };

/**
 * Which requests may be sent again:
 * - `idempotent`: GETs and token grants. Retried on network errors that say nothing reached a
 *   usable state (reset, refused, per-attempt timeout) and on 429, 502, 503, 504 (the statuses
 *   proxies and CC's rate limiter use for "not handled, try later").
 * - `verified`: a POST that was read back and provably did not take effect. Any network error
 *   and any 5xx may then be retried, because the read-back, not the status, proved it safe.
 */
export type RetryMode = "idempotent" | "verified";

/** Statuses retried for idempotent requests. 500 is not: CC sends it for its own bugs. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Network failures retried for idempotent requests. Not DNS `ENOTFOUND`, not TLS failures. */
const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
]);

/** Whether `outcome` is worth another attempt in `mode` (budget aside). */
export function isRetryableOutcome(outcome: AttemptOutcome, mode: RetryMode): boolean {
  if (outcome.kind === "network") {
    if (mode === "verified") return true;
    return outcome.networkCode !== undefined && RETRYABLE_NETWORK_CODES.has(outcome.networkCode);
  }
  if (RETRYABLE_STATUSES.has(outcome.status)) return true;
  return mode === "verified" && outcome.status >= 500;
}

/**
 * Capped exponential backoff with jitter before attempt `attempt + 1`: half the step fixed,
 * half random ("equal jitter"), so concurrent clients spread out but never retry at once.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * The retry decision, kept pure and apart from the loop (as in
 * octokit/plugin-retry): after `attempt` attempts (1-based) ending in `outcome`, how many
 * milliseconds to wait before the next one, or `undefined` to stop.
 *
 * A server-requested wait (`Retry-After`, `X-RateLimit-Reset`) is honoured exactly when it is
 * within `maxRetryAfterMs`, or ends before the call's deadline (`untilDeadlineMs` from now): a
 * rate limit is a budget the operation may wait for, not a wall. Beyond both, no retry.
 */
export function retryDelay(
  outcome: AttemptOutcome,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  mode: RetryMode = "idempotent",
  untilDeadlineMs?: number,
): number | undefined {
  if (attempt >= policy.maxAttempts || !isRetryableOutcome(outcome, mode)) return undefined;
  if (outcome.kind === "response" && outcome.retryAfterMs !== undefined) {
    const wait = outcome.retryAfterMs;
    const beforeDeadline = untilDeadlineMs !== undefined && wait <= untilDeadlineMs;
    return wait <= policy.maxRetryAfterMs || beforeDeadline ? wait : undefined;
  }
  return backoffDelay(attempt, policy, random);
}
