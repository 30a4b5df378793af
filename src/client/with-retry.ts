import type { ResponseMeta } from "./response-meta.js";

/** The client's clock and sleeper; injected so tests assert exact delays and deadlines. */
export interface Clock {
  /** Current time, epoch milliseconds. */
  now(): number;
  /** Waits `ms`, or rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The budget of one operation. */
export interface OperationBudget {
  /** Cancels the operation. */
  signal?: AbortSignal | undefined;
  /** Epoch milliseconds (by the injected clock) after which no attempt starts and no wait ends. */
  deadline?: number | undefined;
  /** Told of every answer the operation gets (see `CallOptions.onResponse`). */
  onResponse?: ((meta: ResponseMeta) => void) | undefined;
}

/**
 * What one attempt came to: a final value (`done`), or a result (`last`) that is worth another
 * attempt after `retryInMs`, or not worth one (`retryInMs` undefined).
 */
export type AttemptResult<D, R> = { done: D } | { last: R; retryInMs: number | undefined };

/** How a retry loop ended. */
export type RetryRun<D, R> =
  | { done: D; attempts: number }
  | {
      /** The last attempt's result, which was not retried. */
      last: R;
      attempts: number;
      /** Set when the loop stopped because the next wait would end past the deadline. */
      deadlineBlockedDelayMs?: number;
    };

/** What {@link withRetry} runs. */
export interface RetryLoop<D, R> {
  /** One attempt (1-based) and what it came to; may read and decide asynchronously. */
  attempt(attemptNumber: number): Promise<AttemptResult<D, R>>;
  clock: Clock;
  budget: OperationBudget;
  /** Called before each wait, for a debug line. */
  onRetry?(last: R, attemptNumber: number, delayMs: number): void;
}

/**
 * The retry loop, and nothing but the loop: it runs the attempt, sleeps on the injected clock
 * for as long as the attempt asks, and stops when the attempt is done or asks for no retry, or
 * when the wait would end past the deadline. Aborting rejects with the signal's reason. The
 * decision how long to wait stays with the caller (see `retryDelay`), as in octokit/plugin-retry.
 */
export async function withRetry<D, R>(loop: RetryLoop<D, R>): Promise<RetryRun<D, R>> {
  const { clock, budget } = loop;
  for (let attempts = 1; ; attempts++) {
    budget.signal?.throwIfAborted();
    const outcome = await loop.attempt(attempts);
    if ("done" in outcome) return { done: outcome.done, attempts };
    const delay = outcome.retryInMs;
    if (delay === undefined) return { last: outcome.last, attempts };
    if (budget.deadline !== undefined && clock.now() + delay > budget.deadline) {
      return { last: outcome.last, attempts, deadlineBlockedDelayMs: delay };
    }
    loop.onRetry?.(outcome.last, attempts, delay);
    await clock.sleep(delay, budget.signal);
  }
}
