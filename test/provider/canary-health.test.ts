import { describe, expect, it } from "vitest";
import { assessCanaryHealth } from "../../src/provider/canary-health.js";

describe("assessCanaryHealth", () => {
  it("is healthy only when every instance is RUNNING", () => {
    expect(
      assessCanaryHealth([
        { index: 1, state: "RUNNING" },
        { index: 0, state: "RUNNING" },
      ]),
    ).toEqual({
      healthy: true,
      instances: "#0 RUNNING, #1 RUNNING",
    });
    expect(
      assessCanaryHealth([
        { index: 0, state: "RUNNING" },
        { index: 1, state: "CRASHED", details: "APP/PROC/WEB: Exited with status 1" },
        { index: 2, state: "STARTING" },
      ]),
    ).toEqual({
      healthy: false,
      instances: "#0 RUNNING, #1 CRASHED (APP/PROC/WEB: Exited with status 1), #2 STARTING",
    });
  });

  it("does not call a canary without instances healthy", () => {
    expect(assessCanaryHealth([])).toEqual({ healthy: false, instances: "no instances reported" });
  });
});
