import type { Deployment, DeploymentState, StatusReason, StatusValue } from "../model.js";
import { canaryStepPlan } from "./canary-plan.js";

/** States the updater or a cancel can still act on (CC `ACTIVE_STATES`). */
export const ACTIVE_STATES: readonly DeploymentState[] = [
  "DEPLOYING",
  "PREPAUSED",
  "PAUSED",
  "CANCELING",
];

/**
 * `status.value`/`status.reason` for each internal state (CC `app/models/runtime/deployment_model.rb`). PREPAUSED looks exactly
 * like DEPLOYING from outside; SUPERSEDED is set explicitly by {@link supersede}.
 */
const STATUS_OF: Record<DeploymentState, { value: StatusValue; reason: StatusReason }> = {
  DEPLOYING: { value: "ACTIVE", reason: "DEPLOYING" },
  PREPAUSED: { value: "ACTIVE", reason: "DEPLOYING" },
  PAUSED: { value: "ACTIVE", reason: "PAUSED" },
  CANCELING: { value: "ACTIVE", reason: "CANCELING" },
  DEPLOYED: { value: "FINALIZED", reason: "DEPLOYED" },
  CANCELED: { value: "FINALIZED", reason: "CANCELED" },
};

/**
 * Moves a deployment to `state`, stamping `updated_at`, and `status_updated_at` when the value or
 * reason changes (CC `deployment_model.rb` `before_update` hook).
 */
export function setDeploymentState(
  deployment: Deployment,
  state: DeploymentState,
  now: number,
  reason: StatusReason = STATUS_OF[state].reason,
): void {
  const value = STATUS_OF[state].value;
  if (value !== deployment.statusValue || reason !== deployment.statusReason) {
    deployment.statusUpdatedAt = now;
  }
  deployment.state = state;
  deployment.statusValue = value;
  deployment.statusReason = reason;
  deployment.updatedAt = now;
}

/** The initial status for a new deployment in `state`. */
export function initialStatus(state: DeploymentState): {
  value: StatusValue;
  reason: StatusReason;
} {
  return STATUS_OF[state];
}

/**
 * `status.canary.steps.total`: the number of steps, or 1 without steps (CC `deployment_presenter.rb`). CC writes
 * `canary_steps&.length || 1`, and Ruby's 0 is truthy: an explicit empty `steps: []` shows 0.
 */
export function canaryTotalSteps(deployment: Deployment): number {
  return deployment.canarySteps?.length ?? 1;
}

/**
 * The two scaling targets of an updater tick (CC `updater.rb#canary`/`#scale`): the desired
 * number of new-process instances and the desired total across all web processes.
 */
export function scalingTargets(deployment: Deployment): { newTarget: number; totalTarget: number } {
  if (deployment.state === "PREPAUSED") {
    const plan = canaryStepPlan(
      deployment.originalInstances,
      deployment.webInstances,
      deployment.canarySteps,
    );
    const step = plan[Math.min(deployment.canaryCurrentStep, plan.length) - 1] ?? plan[0];
    const canary = step?.canary ?? 1;
    return { newTarget: canary, totalTarget: canary + (step?.original ?? 0) };
  }
  const target = deployment.webInstances ?? deployment.originalInstances;
  return { newTarget: target, totalTarget: target };
}

/**
 * Supersedes the app's previous ACTIVE deployment when a new one is created for a started app
 * (CC `deployment_create.rb#supersede_deployment`): DEPLOYING becomes DEPLOYED, every other active
 * state becomes CANCELED, both with reason SUPERSEDED.
 */
export function supersede(deployment: Deployment, now: number): void {
  const target = deployment.state === "DEPLOYING" ? "DEPLOYED" : "CANCELED";
  setDeploymentState(deployment, target, now, "SUPERSEDED");
}

/**
 * Continue from PAUSED (CC `app/actions/deployment_continue.rb`): more steps left → next step,
 * PREPAUSED; on the last step (or without steps) → DEPLOYING, step unchanged.
 */
export function continueDeployment(deployment: Deployment, now: number): void {
  const steps = deployment.canarySteps?.length ?? 0;
  if (deployment.canaryCurrentStep < steps) {
    deployment.canaryCurrentStep += 1;
    setDeploymentState(deployment, "PREPAUSED", now);
  } else {
    setDeploymentState(deployment, "DEPLOYING", now);
  }
}
