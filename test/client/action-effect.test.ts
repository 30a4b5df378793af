import { describe, expect, it } from "vitest";
import { actionEffect, type Deployment } from "../../src/client/index.js";

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

  it("does not take a cancel, a supersede or any change of a non-paused deployment for a continue", () => {
    expect(actionEffect("continue", paused1, deployment("ACTIVE", "CANCELING", 1, later))).toBe(
      "diverged",
    );
    expect(actionEffect("continue", paused1, deployment("FINALIZED", "SUPERSEDED", 1, later))).toBe(
      "diverged",
    );
    expect(
      actionEffect(
        "continue",
        deployment("ACTIVE", "DEPLOYING", 1),
        deployment("ACTIVE", "PAUSED", 1, later),
      ),
    ).toBe("diverged");
  });

  it("sees a cancel in CANCELING or CANCELED, and nothing else", () => {
    expect(actionEffect("cancel", paused1, deployment("ACTIVE", "CANCELING", 1, later))).toBe(
      "applied",
    );
    expect(actionEffect("cancel", paused1, deployment("FINALIZED", "CANCELED", 1, later))).toBe(
      "applied",
    );
    expect(actionEffect("cancel", paused1, deployment("ACTIVE", "DEPLOYING", 2, later))).toBe(
      "diverged",
    );
    expect(
      actionEffect(
        "cancel",
        deployment("FINALIZED", "DEPLOYED", 3),
        deployment("FINALIZED", "CANCELED", 3, later),
      ),
    ).toBe("diverged");
  });
});
