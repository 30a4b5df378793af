import type { PromotionErrorCode } from "../promotion-error.js";
import type { GateRound } from "./gate-results.js";
import type { GateVerdict } from "./gate-verdict.js";

/** How to switch each gate off, for the advice at the end of a failure. */
const SWITCH_OFF: Record<GateVerdict["gate"], string> = {
  healthy: "set gates: { healthy: false } to skip this check",
  soak: "lower gates.soakSeconds",
  webhook: "fix what the webhook checks",
  command: "fix what the command checks",
};

/**
 * The failure of a gate that still failed at the operation's deadline (pure): which gate, what it
 * saw last (for the health gate: the process, its instances and their states), how long it was
 * waited for, and that nothing was sent for this step.
 */
export function gateFailureOf(
  failed: GateVerdict,
  round: GateRound,
  facts: { subject: string; at: string; appName: string },
): { code: PromotionErrorCode; message: string; reason: string } {
  const waited = `still failing at the deadline (timeoutSeconds) after ${round.waitedSeconds}s and ${round.rounds} check${round.rounds === 1 ? "" : "s"}`;
  const advice = `Nothing was sent for this step. Fix the canary or cancel the deployment (cf cancel-deployment ${facts.appName}), or ${SWITCH_OFF[failed.gate]}.`;
  const reason = `refusing to continue ${facts.subject}${facts.at}: the ${failed.gate} gate did not pass: ${failed.detail} (${waited})`;
  return {
    code: failed.gate === "healthy" ? "PROMOTION_UNHEALTHY_CANARY" : "PROMOTION_GATE_FAILED",
    message: `${reason}. ${advice}`,
    reason,
  };
}
