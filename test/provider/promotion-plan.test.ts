import { describe, expect, it } from "vitest";
import type { DeploymentStatusReason, DeploymentStatusValue } from "../../src/client/index.js";
import { continuesFromPaused, planPromotion } from "../../src/provider/promotion-plan.js";
import type { DeploymentSnapshot } from "../../src/provider/promotion-record.js";

const GUID = "8a1b7b9c-0d2e-4f3a-9b8c-7d6e5f4a3b2c";

function canary(
  reason: DeploymentStatusReason,
  current: number,
  total = 3,
  value: DeploymentStatusValue = "ACTIVE",
): DeploymentSnapshot {
  return {
    deploymentGuid: GUID,
    appGuid: "app",
    strategy: "canary",
    statusValue: value,
    statusReason: reason,
    canaryStep: { current, total },
    dropletGuid: "d",
    previousDropletGuid: "p",
    revision: null,
    lastStatusChange: null,
    lastSuccessfulHealthcheck: null,
    newProcessGuid: "proc",
  };
}

const context = { appName: "web" };
const deployed = { kind: "deployed" } as const;
const step = (n: number) => ({ kind: "step", step: n }) as const;

describe("continuesFromPaused", () => {
  it("counts one continue per step, plus one on the last step to finalize", () => {
    expect(continuesFromPaused(1, 3, deployed)).toBe(3);
    expect(continuesFromPaused(3, 3, deployed)).toBe(1);
    expect(continuesFromPaused(1, 3, step(2))).toBe(1);
    expect(continuesFromPaused(1, 3, step(3))).toBe(2);
    expect(continuesFromPaused(2, 3, step(2))).toBe(0);
    expect(continuesFromPaused(3, 3, step(2))).toBe(0);
    expect(continuesFromPaused(1, 1, deployed)).toBe(1);
  });
});

describe("planPromotion", () => {
  it("continues a paused canary below the goal and says exactly what it plans", () => {
    expect(planPromotion(canary("PAUSED", 1), deployed, context)).toEqual({
      action: "continue",
      fromStep: 1,
      toStep: 2,
      continues: 3,
      summary: `continue deployment ${GUID} of app web: step 1/3 → deployed, 3 continues`,
    });
    expect(planPromotion(canary("PAUSED", 1), step(2), context)).toEqual({
      action: "continue",
      fromStep: 1,
      toStep: 2,
      continues: 1,
      summary: `continue deployment ${GUID} of app web: step 1/3 → step 2/3, 1 continue`,
    });
  });

  it("finalizes from the last step with a continue whose target is 'deployed'", () => {
    expect(planPromotion(canary("PAUSED", 3), deployed, context)).toMatchObject({
      action: "continue",
      fromStep: 3,
      toStep: "deployed",
      continues: 1,
    });
  });

  it("is done at or past the goal, and when deployed", () => {
    expect(planPromotion(canary("PAUSED", 2), step(2), context)).toEqual({
      action: "done",
      summary: `deployment ${GUID} of app web is paused at step 2/3, goal step 2/3: nothing to do`,
    });
    expect(planPromotion(canary("PAUSED", 3), step(2), context).action).toBe("done");
    expect(planPromotion(canary("DEPLOYING", 3), step(2), context).action).toBe("done");
    expect(planPromotion(canary("DEPLOYED", 3, 3, "FINALIZED"), step(2), context).action).toBe(
      "done",
    );
    expect(planPromotion(canary("DEPLOYED", 3, 3, "FINALIZED"), deployed, context)).toEqual({
      action: "done",
      summary: `deployment ${GUID} of app web is deployed (FINALIZED/DEPLOYED): nothing to do`,
    });
  });

  it("waits while the canary scales, counting the continues still to come", () => {
    expect(planPromotion(canary("DEPLOYING", 2), deployed, context)).toEqual({
      action: "wait",
      continues: 2,
      summary: `deployment ${GUID} of app web is scaling to step 2/3: wait for it to pause, then step 2/3 → deployed, 2 continues`,
    });
    expect(planPromotion(canary("DEPLOYING", 2), step(2), context)).toMatchObject({
      action: "wait",
      continues: 0,
    });
  });

  it("waits for the finalization after the last continue instead of counting another", () => {
    expect(
      planPromotion(canary("DEPLOYING", 3), deployed, { appName: "web", finalContinueSent: true }),
    ).toMatchObject({ action: "wait", continues: 0 });
  });

  it("waits for a rolling deployment, which has nothing to continue", () => {
    const rolling = { ...canary("DEPLOYING", 1), strategy: "rolling", canaryStep: null };
    expect(planPromotion(rolling, deployed, context)).toEqual({
      action: "wait",
      continues: 0,
      summary: `deployment ${GUID} of app web is a rolling deployment (ACTIVE/DEPLOYING): nothing to continue, wait for it to finish`,
    });
    expect(planPromotion(rolling, step(2), context).summary).toContain(
      "toStep does not apply to it",
    );
  });

  it("fails on canceled, superseded and canceling deployments, naming the deployment", () => {
    expect(planPromotion(canary("CANCELED", 2, 3, "FINALIZED"), deployed, context)).toEqual({
      action: "fail",
      problem: "canceled",
      summary: `deployment ${GUID} of app web was canceled (FINALIZED/CANCELED); it cannot be promoted`,
    });
    expect(planPromotion(canary("SUPERSEDED", 2, 3, "FINALIZED"), deployed, context)).toMatchObject(
      {
        action: "fail",
        problem: "superseded",
      },
    );
    expect(planPromotion(canary("CANCELING", 2), deployed, context)).toMatchObject({
      action: "fail",
      problem: "canceling",
    });
    expect(
      planPromotion(
        canary(
          // Not a reason the client lets through: the branch guards the plan, not the types.
          "FAILED" as DeploymentStatusReason,
          2,
          3,
          "FINALIZED",
        ),
        deployed,
        context,
      ),
    ).toMatchObject({
      action: "fail",
      problem: "unknown-status",
    });
  });

  it("fails when toStep is beyond the deployment's last step", () => {
    expect(planPromotion(canary("PAUSED", 1), step(4), context)).toEqual({
      action: "fail",
      problem: "beyond-last-step",
      summary: `toStep 4 is beyond the last canary step of deployment ${GUID} of app web (3 steps); nothing was sent`,
    });
  });
});
