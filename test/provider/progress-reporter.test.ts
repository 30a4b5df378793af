import { describe, expect, it } from "vitest";
import type { DeploymentStatusReason } from "../../src/client/index.js";
import { createProgressReporter, formatElapsed } from "../../src/provider/progress-reporter.js";
import type { DeploymentSnapshot } from "../../src/provider/promotion-record.js";

const snapshot = (reason: DeploymentStatusReason, current: number): DeploymentSnapshot => ({
  deploymentGuid: "g",
  appGuid: "a",
  strategy: "canary",
  statusValue: "ACTIVE",
  statusReason: reason,
  canaryStep: { current, total: 3 },
  dropletGuid: null,
  previousDropletGuid: null,
  revision: null,
  lastStatusChange: null,
  lastSuccessfulHealthcheck: null,
  newProcessGuid: null,
});

describe("createProgressReporter", () => {
  it("prints on each change and repeats an unchanged status only after the heartbeat", () => {
    let now = 1_000_000;
    const lines: string[] = [];
    const progress = createProgressReporter({
      appName: "web",
      now: () => now,
      print: (l) => lines.push(l),
    });
    progress.observe(snapshot("DEPLOYING", 2));
    now += 3_000;
    progress.observe(snapshot("DEPLOYING", 2));
    now += 9_000;
    progress.observe(snapshot("DEPLOYING", 2));
    now += 1_000;
    progress.observe(snapshot("PAUSED", 2));
    progress.note("continued from step 2/3 → step 3/3");
    expect(lines).toEqual([
      "web: canary step 2/3 scaling… (0s)",
      "web: canary step 2/3 scaling… (12s)",
      "web: canary step 2/3 paused (13s)",
      "web: continued from step 2/3 → step 3/3 (13s)",
    ]);
  });

  it("calls ACTIVE/DEPLOYING after the last continue a rollout, not a canary step scaling", () => {
    const lines: string[] = [];
    const progress = createProgressReporter({
      appName: "web",
      now: () => 0,
      print: (l) => lines.push(l),
    });
    progress.observe(snapshot("PAUSED", 3));
    progress.observe(snapshot("DEPLOYING", 3), true);
    expect(lines).toEqual([
      "web: canary step 3/3 paused (0s)",
      "web: rolling out to all instances… (0s)",
    ]);
  });

  it("formats minutes with two-digit seconds", () => {
    expect(formatElapsed(125_400)).toBe("2m05s");
    expect(formatElapsed(59_999)).toBe("59s");
  });
});
