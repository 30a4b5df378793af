import type { GateRound } from "./gates/gate-results.js";
import type { PromotionInputs, PromotionSettings, PromotionTarget } from "./promotion-inputs.js";
import {
  PROVIDER_KEY,
  parsePromotionInputs,
  promotionSettingsOf,
  promotionTargetOf,
} from "./promotion-inputs.js";
import type { PromotionContinue } from "./promotion-record.js";
import { finalContinueSent } from "./promotion-record.js";

/**
 * One `create` or `update`: its inputs, parsed once, and the one time budget every call it makes
 * shares, from finding the target to the last continue, so that `timeoutSeconds` bounds the
 * whole operation as the README promises.
 */
export interface PromotionRun {
  inputs: PromotionInputs;
  target: PromotionTarget;
  settings: PromotionSettings;
  /** When the operation started (epoch ms, on the runtime's clock). */
  startedAt: number;
  /** `startedAt` plus `timeoutSeconds`. */
  deadline: number;
  /** Continues recorded by earlier operations on this resource. */
  previous: readonly PromotionContinue[];
  /** Gate results recorded by earlier operations on this resource. */
  previousGateResults: readonly GateRound[];
  /** Whether one of `previous` was the continue on the last step. */
  finalContinueSent: boolean;
  /** The provider text the engine passed in the inputs; the outputs must carry it on. */
  provider: unknown;
}

/** Starts a run at `now` from the operation's new inputs (throws `PROMOTION_INVALID_INPUTS`). */
export function startPromotionRun(
  now: number,
  props: Record<string, unknown>,
  previous: readonly PromotionContinue[] = [],
  previousGateResults: readonly GateRound[] = [],
): PromotionRun {
  const inputs = parsePromotionInputs(props);
  const settings = promotionSettingsOf(inputs);
  return {
    inputs,
    target: promotionTargetOf(inputs),
    settings,
    startedAt: now,
    deadline: now + settings.timeoutSeconds * 1000,
    previous,
    previousGateResults,
    finalContinueSent: finalContinueSent(previous),
    provider: props[PROVIDER_KEY],
  };
}
