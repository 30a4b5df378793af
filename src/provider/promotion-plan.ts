import type { RecordedDeployment } from "./promotion-record.js";

/**
 * Where the promotion should end: paused at canary step `step`, or all the way to
 * FINALIZED/DEPLOYED (`toStep` omitted).
 */
export type PromotionGoal = { kind: "step"; step: number } | { kind: "deployed" };

/** Why a deployment cannot be promoted (any more). */
export type PromotionProblem =
  | "canceled"
  | "superseded"
  | "canceling"
  | "beyond-last-step"
  | "unknown-status";

/**
 * What converging a deployment toward a goal needs right now, decided from one observation.
 * `continues` counts every continue still needed from here to the goal, this one included.
 */
export type PromotionPlan =
  | { action: "done"; summary: string }
  | {
      action: "continue";
      fromStep: number;
      toStep: number | "deployed";
      continues: number;
      summary: string;
    }
  | { action: "wait"; continues: number; summary: string }
  | { action: "fail"; problem: PromotionProblem; summary: string };

/** What the plan knows beyond one observation of the deployment. */
export interface PlanContext {
  /** The app's name, for messages. */
  appName: string;
  /**
   * Whether a continue from the last canary step was already sent, which moves the deployment to
   * DEPLOYING without changing the step (`app/actions/deployment_continue.rb`). From the outside
   * that state looks exactly like scaling toward the last step (both are ACTIVE/DEPLOYING,
   * cloud_controller_ng app/presenters/v3/deployment_presenter.rb), so only our own
   * record tells them apart.
   * @default false
   */
  finalContinueSent?: boolean;
}

/**
 * Decides the next move of a promotion (pure). Each continue advances exactly one canary step,
 * and a continue on the last step finalizes (cloud_controller_ng
 * app/actions/deployment_continue.rb), so from PAUSED at step c of t, reaching step g needs
 * g − c continues and reaching DEPLOYED needs t − c + 1.
 */
export function planPromotion(
  deployment: RecordedDeployment,
  goal: PromotionGoal,
  context: PlanContext,
): PromotionPlan {
  const subject = `deployment ${deployment.deploymentGuid} of app ${context.appName}`;
  const status = `${deployment.statusValue}/${deployment.statusReason}`;
  const goalText = describeGoal(goal, deployment);

  if (deployment.statusValue === "FINALIZED") {
    switch (deployment.statusReason) {
      case "DEPLOYED":
        return { action: "done", summary: `${subject} is deployed (${status}): nothing to do` };
      case "CANCELED":
        return {
          action: "fail",
          problem: "canceled",
          summary: `${subject} was canceled (${status}); it cannot be promoted`,
        };
      case "SUPERSEDED":
        return {
          action: "fail",
          problem: "superseded",
          summary: `${subject} was superseded by a newer deployment of the app (${status}); it cannot be promoted`,
        };
    }
  }
  if (deployment.statusValue === "ACTIVE" && deployment.statusReason === "CANCELING") {
    return {
      action: "fail",
      problem: "canceling",
      summary: `${subject} is being canceled (${status}); it cannot be promoted`,
    };
  }
  const progressing =
    deployment.statusValue === "ACTIVE" &&
    (deployment.statusReason === "DEPLOYING" || deployment.statusReason === "PAUSED");
  if (!progressing) {
    return {
      action: "fail",
      problem: "unknown-status",
      summary: `${subject} has a status this provider does not know (${status}); nothing was sent`,
    };
  }

  const step = deployment.canaryStep;
  if (deployment.strategy !== "canary" || step === null) {
    const ignored = goal.kind === "step" ? "; toStep does not apply to it" : "";
    return {
      action: "wait",
      continues: 0,
      summary: `${subject} is a ${deployment.strategy} deployment (${status}): nothing to continue, wait for it to finish${ignored}`,
    };
  }

  if (goal.kind === "step" && goal.step > step.total) {
    return {
      action: "fail",
      problem: "beyond-last-step",
      summary: `toStep ${goal.step} is beyond the last canary step of ${subject} (${step.total} step${step.total === 1 ? "" : "s"}); nothing was sent`,
    };
  }

  const position = `step ${step.current}/${step.total}`;
  if (deployment.statusReason === "PAUSED") {
    const continues = continuesFromPaused(step.current, step.total, goal);
    if (continues === 0) {
      return {
        action: "done",
        summary: `${subject} is paused at ${position}, goal ${goalText}: nothing to do`,
      };
    }
    return {
      action: "continue",
      fromStep: step.current,
      toStep: step.current < step.total ? step.current + 1 : "deployed",
      continues,
      summary: `continue ${subject}: ${position} → ${goalText}, ${plural(continues, "continue")}`,
    };
  }

  // ACTIVE/DEPLOYING: scaling toward `step.current` (PREPAUSED), or finalizing after the last
  // continue. Either way the updater is working and the only move is to wait.
  if (context.finalContinueSent === true) {
    return {
      action: "wait",
      continues: 0,
      summary: `${subject} is finalizing after the last continue (${position}): wait for it to be deployed`,
    };
  }
  if (goal.kind === "step" && step.current > goal.step) {
    return {
      action: "done",
      summary: `${subject} is at ${position}, past goal ${goalText}: nothing to do`,
    };
  }
  const after = continuesFromPaused(step.current, step.total, goal);
  const then =
    after === 0 ? "no continue" : `then ${position} → ${goalText}, ${plural(after, "continue")}`;
  return {
    action: "wait",
    continues: after,
    summary: `${subject} is scaling to ${position}: wait for it to pause, ${then}`,
  };
}

/** Continues needed from PAUSED at step `current` of `total` to reach `goal`. */
export function continuesFromPaused(current: number, total: number, goal: PromotionGoal): number {
  if (goal.kind === "deployed") return Math.max(0, total - current + 1);
  return Math.max(0, goal.step - current);
}

/** "step 2/3" or "deployed", for messages. */
export function describeGoal(goal: PromotionGoal, deployment?: RecordedDeployment): string {
  if (goal.kind === "deployed") return "deployed";
  const total = deployment?.canaryStep?.total;
  return total === undefined ? `step ${goal.step}` : `step ${goal.step}/${total}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
