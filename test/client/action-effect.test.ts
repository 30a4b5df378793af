import { describe, expect, it } from "vitest";
import {
  type ActionEffect,
  actionEffect,
  type Deployment,
  type DeploymentAction,
} from "../../src/client/index.js";

function deployment(
  value: "ACTIVE" | "FINALIZED",
  reason: Deployment["status"]["reason"],
  step: number,
  lastStatusChange = "2026-01-01T00:00:00Z",
): Deployment {
  return {
    guid: "d",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: lastStatusChange,
    status: {
      value,
      reason,
      details: { last_successful_healthcheck: null, last_status_change: lastStatusChange },
      canary: { steps: { current: step, total: 3 } },
    },
    strategy: "canary",
    droplet: { guid: "new" },
    previous_droplet: { guid: "old" },
    new_processes: [],
    revision: null,
    relationships: { app: { data: { guid: "a" } } },
  };
}

const paused1 = deployment("ACTIVE", "PAUSED", 1);
const later = "2026-01-01T00:00:05Z";

describe("actionEffect", () => {
  it("calls an identical read-back unchanged, so the action may be sent again", () => {
    expect(actionEffect("continue", paused1, deployment("ACTIVE", "PAUSED", 1))).toBe("unchanged");
    expect(actionEffect("cancel", paused1, deployment("ACTIVE", "PAUSED", 1))).toBe("unchanged");
  });

  it("sees a continue in DEPLOYING, a later paused step, or DEPLOYED", () => {
    const afters = [
      deployment("ACTIVE", "DEPLOYING", 2, later),
      deployment("ACTIVE", "DEPLOYING", 1, later),
      deployment("ACTIVE", "PAUSED", 2, later),
      deployment("FINALIZED", "DEPLOYED", 3, later),
    ];
    expect(afters.map((after) => actionEffect("continue", paused1, after))).toEqual([
      "applied",
      "applied",
      "applied",
      "applied",
    ]);
  });

  const canceling = deployment("ACTIVE", "CANCELING", 1, later);
  const canceled = deployment("FINALIZED", "CANCELED", 1, later);
  const superseded = deployment("FINALIZED", "SUPERSEDED", 1, later);
  const deploying = deployment("ACTIVE", "DEPLOYING", 1);
  const pausedLater = deployment("ACTIVE", "PAUSED", 1, later);
  const deploying2 = deployment("ACTIVE", "DEPLOYING", 2, later);
  const deployed = deployment("FINALIZED", "DEPLOYED", 3);
  const canceledLater = deployment("FINALIZED", "CANCELED", 3, later);
  it.each<[string, DeploymentAction, Deployment, Deployment, ActionEffect]>([
    ["a cancel is not a continue", "continue", paused1, canceling, "diverged"],
    ["a supersede is not a continue", "continue", paused1, superseded, "diverged"],
    ["nothing is a continue of one not paused", "continue", deploying, pausedLater, "diverged"],
    ["CANCELING is a cancel", "cancel", paused1, canceling, "applied"],
    ["CANCELED is a cancel", "cancel", paused1, canceled, "applied"],
    ["DEPLOYING is not a cancel", "cancel", paused1, deploying2, "diverged"],
    ["nothing is a cancel of a finalized one", "cancel", deployed, canceledLater, "diverged"],
  ])("%s", (_case, action, before, after, effect) => {
    expect(actionEffect(action, before, after)).toBe(effect);
  });
});
