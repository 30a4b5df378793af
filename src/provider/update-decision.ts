import type { Deployment } from "../client/index.js";
import { refusalBeforeSending } from "./certain-refusal.js";
import { PromotionError } from "./promotion-error.js";
import type { PromotionSettings } from "./promotion-inputs.js";
import type { PromotionPlan } from "./promotion-plan.js";
import { describeGoal, planPromotion } from "./promotion-plan.js";
import type { PromotionOutputs, RecordedDeployment } from "./promotion-record.js";
import { finalContinueSent, isDeployed, snapshotOf } from "./promotion-record.js";

/** What `update` does with the recorded deployment, decided before it sends anything. */
export type UpdateDecision =
  /** Record the new inputs with the deployment as it is (or was last seen); send nothing. */
  | { kind: "record"; deployment: RecordedDeployment; why: string }
  /** Converge `deployment` toward the goal; `plan` is the first move. */
  | { kind: "converge"; deployment: Deployment; plan: PromotionPlan }
  /** Fail with `error`, sending nothing. */
  | { kind: "refuse"; error: PromotionError };

/**
 * The one decision `update` makes and `diff` previews: `update` acts on it, `diff` prints it (and
 * fails `pulumi preview` on a refusal), so the plan a reviewer approves is the update that runs.
 *
 * `live` is the deployment as the Cloud Controller has it now, `undefined` when it answers 404
 * (it prunes finished deployments, and an active one goes only with its app:
 * cloud_controller_ng app/jobs/runtime/prune_completed_deployments.rb).
 */
export function decideUpdate(
  record: PromotionOutputs,
  live: Deployment | undefined,
  settings: PromotionSettings,
  goalUnchanged: boolean,
): UpdateDecision {
  if (live === undefined) {
    if (goalUnchanged || isDeployed(record)) {
      return {
        kind: "record",
        deployment: record,
        why: `deployment ${record.deploymentGuid} of app ${record.appName} is no longer in the Cloud Controller; nothing to promote`,
      };
    }
    return {
      kind: "refuse",
      error: new PromotionError(
        "PROMOTION_NOT_FOUND",
        `deployment ${record.deploymentGuid} of app ${record.appName} is no longer in the Cloud Controller (deleted with its app, or pruned after it finished); it cannot be promoted to ${describeGoal(settings.goal)}. Nothing was sent.`,
      ),
    };
  }
  const context = {
    appName: record.appName,
    finalContinueSent: finalContinueSent(record.continues),
  };
  const plan = planPromotion(snapshotOf(live), settings.goal, context);
  if (plan.action === "fail" && plan.problem !== "beyond-last-step" && goalUnchanged) {
    // Only settings changed on a deployment that cannot move any more.
    return { kind: "record", deployment: snapshotOf(live), why: plan.summary };
  }
  const refusal = refusalBeforeSending(live, settings, context);
  if (refusal !== undefined) return { kind: "refuse", error: refusal };
  return { kind: "converge", deployment: live, plan };
}
