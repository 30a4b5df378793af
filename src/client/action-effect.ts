import type { Deployment } from "./schemas.js";

/** The two deployment actions. */
export type DeploymentAction = "continue" | "cancel";

/**
 * What a read-back says about an action between `before` and `after`:
 * - `unchanged`: same value, reason, canary step and `last_status_change`: the action provably
 *   did not take effect (CC commits before it answers, and the updater never touches a PAUSED
 *   deployment: `cloud_controller_ng lib/cloud_controller/deployment_updater/updater.rb`), so
 *   sending it again is safe.
 * - `applied`: the deployment moved the way the action moves it.
 * - `diverged`: it changed some other way (canceled, superseded, or it was not in a state the
 *   action applies to): do not send the action again.
 */
export type ActionEffect = "unchanged" | "applied" | "diverged";

const step = (deployment: Deployment): number | undefined =>
  deployment.status.canary?.steps.current;

function sameState(before: Deployment, after: Deployment): boolean {
  return (
    before.status.value === after.status.value &&
    before.status.reason === after.status.reason &&
    step(before) === step(after) &&
    before.status.details.last_status_change === after.status.details.last_status_change
  );
}

/**
 * Classifies a read-back (pure). Continue from PAUSED at step s goes to ACTIVE/DEPLOYING (step
 * s+1, or s on the last step), then on to PAUSED at a later step or FINALIZED/DEPLOYED
 * (`cloud_controller_ng app/actions/deployment_continue.rb`). Cancel goes to ACTIVE/CANCELING, then
 * FINALIZED/CANCELED (`deployment_cancel.rb`).
 */
export function actionEffect(
  action: DeploymentAction,
  before: Deployment,
  after: Deployment,
): ActionEffect {
  if (sameState(before, after)) return "unchanged";
  const { value, reason } = after.status;
  if (action === "continue") {
    if (before.status.reason !== "PAUSED") return "diverged";
    const advanced =
      (value === "ACTIVE" && reason === "DEPLOYING") ||
      (value === "FINALIZED" && reason === "DEPLOYED") ||
      (value === "ACTIVE" && reason === "PAUSED" && (step(after) ?? 0) > (step(before) ?? 0));
    return advanced ? "applied" : "diverged";
  }
  const wasCancelable = before.status.value === "ACTIVE";
  const canceled = reason === "CANCELING" || (value === "FINALIZED" && reason === "CANCELED");
  return wasCancelable && canceled ? "applied" : "diverged";
}

/** Whether a cancel has nothing left to do: the deployment is already canceling or canceled. */
export function alreadyCanceled(deployment: Deployment): boolean {
  return deployment.status.reason === "CANCELING" || deployment.status.reason === "CANCELED";
}
