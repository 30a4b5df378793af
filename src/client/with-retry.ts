/** The clock and the sleeper a retry loop uses; injected so tests assert exact delays. */
export interface RetryClock {
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
}

/** How a retry loop ended. */
export interface RetryRun<T> {
  /** The last attempt's result. */
  result: T;
  /** Attempts made. */
  attempts: number;
  /** Set when the loop stopped because the next wait would pass the deadline. */
  deadlineBlockedDelayMs?: number;
}

/**
 * The retry loop, and nothing but the loop (STYLE.md habit 2): it runs `attempt`, asks the
 * pure `decide` how long to wait, sleeps on the injected clock, and stops when `decide` says so
 * or when the wait would end past the deadline. Aborting rejects with the signal's reason.
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  decide: (result: T, attemptNumber: number) => number | undefined,
  clock: RetryClock,
  budget: OperationBudget,
  onRetry?: (result: T, attemptNumber: number, delayMs: number) => void,
): Promise<RetryRun<T>> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    budget.signal?.throwIfAborted();
    const result = await attempt(attemptNumber);
    const delay = decide(result, attemptNumber);
    if (delay === undefined) return { result, attempts: attemptNumber };
    if (budget.deadline !== undefined && clock.now() + delay > budget.deadline) {
      return { result, attempts: attemptNumber, deadlineBlockedDelayMs: delay };
    }
    onRetry?.(result, attemptNumber, delay);
    await clock.sleep(delay, budget.signal);
  }
}
