import { PromotionError } from "./promotion-error.js";

/** How often a running provider call checks that its engine is still there. */
export const ENGINE_CHECK_INTERVAL_MS = 1000;

/** An abort signal for one provider call, aborted once its engine is gone. */
export interface EngineAbort {
  readonly signal: AbortSignal;
  /** Ends the checks (the call is over). */
  stop(): void;
}

/**
 * Checks `engineGone` now and every `intervalMs` while a provider call runs, and aborts the
 * call's signal with `PROMOTION_ENGINE_GONE` the first time it answers: the client's calls take
 * this signal, so a retry wait or a late-delivery watch inside one ends at once and nothing more
 * is sent. The timer is unref'd, so it never keeps a process alive.
 */
export function abortWhenEngineGone(
  engineGone: () => string | undefined,
  intervalMs = ENGINE_CHECK_INTERVAL_MS,
): EngineAbort {
  const controller = new AbortController();
  const check = () => {
    const gone = engineGone();
    if (gone === undefined) return;
    clearInterval(timer);
    controller.abort(
      new PromotionError(
        "PROMOTION_ENGINE_GONE",
        `stopped the provider call: ${gone}, so nothing more is sent (run the update again to keep going)`,
      ),
    );
  };
  const timer = setInterval(check, intervalMs);
  timer.unref();
  check();
  return { signal: controller.signal, stop: () => clearInterval(timer) };
}
