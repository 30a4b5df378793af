import type { PromotionPlan } from "../promotion-plan.js";
import type { GateSettings } from "./gates-input.js";
import { webhookLabel } from "./webhook-gate.js";

/**
 * The preview line naming the gates `up` will check before each continue, or `undefined` when
 * the plan sends no continue. Header values are never shown, only how many there are.
 */
export function gatesPreviewLine(
  settings: { gates: GateSettings; onGateFailure: "fail" | "cancel" },
  plan: Pick<PromotionPlan, "action">,
): string | undefined {
  if (plan.action !== "continue" && plan.action !== "wait") return undefined;
  const deprecated = settings.gates.deprecatedAlias
    ? " (requireHealthyCanary is deprecated: use gates.healthy)"
    : "";
  const gates = describeGates(settings.gates);
  if (gates.length === 0) return `plan: no gates before each continue${deprecated}`;
  return `plan: before each continue, the gates ${gates.join(", ")} (onGateFailure: ${settings.onGateFailure})${deprecated}`;
}

/** Each gate that is on, as a short phrase. */
function describeGates(gates: GateSettings): string[] {
  const phrases: string[] = [];
  if (gates.healthy !== null) {
    phrases.push(
      gates.healthy.forSeconds > 0
        ? `healthy (every instance RUNNING for ${gates.healthy.forSeconds}s)`
        : "healthy (every instance RUNNING)",
    );
  }
  if (gates.soakSeconds > 0) phrases.push(`soak (${gates.soakSeconds}s paused at the step)`);
  if (gates.webhook !== null) {
    const count = Object.keys(gates.webhook.headers).length;
    const headers = count === 0 ? "" : `, ${count} secret header${count === 1 ? "" : "s"}`;
    phrases.push(
      `webhook (POST ${webhookLabel(gates.webhook.url)}, ${gates.webhook.timeoutSeconds}s${headers})`,
    );
  }
  if (gates.command !== null) {
    phrases.push(`command (${gates.command.argv[0]}, ${gates.command.timeoutSeconds}s)`);
  }
  return phrases;
}
