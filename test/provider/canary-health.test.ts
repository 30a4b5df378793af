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
      settlesInSeconds: 0,
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
      settlesInSeconds: 0,
    });
  });

  it("does not call a canary without instances healthy", () => {
    expect(assessCanaryHealth([])).toEqual({
      healthy: false,
      instances: "no instances reported",
      settlesInSeconds: 0,
    });
  });

  it("with forSeconds, asks every RUNNING instance to have been up that long, and says when it will be", () => {
    const stats = [
      { index: 0, state: "RUNNING", uptime: 45 },
      { index: 1, state: "RUNNING", uptime: 12 },
    ];
    expect(assessCanaryHealth(stats, 30)).toEqual({
      healthy: false,
      instances: "#0 RUNNING for 45s, #1 RUNNING for 12s",
      settlesInSeconds: 18,
    });
    expect(assessCanaryHealth(stats, 12)).toMatchObject({ healthy: true, settlesInSeconds: 0 });
    // A crashed instance is not a matter of waiting: no settle time.
    expect(
      assessCanaryHealth([{ index: 0, state: "CRASHED", uptime: 0 }, ...stats], 30),
    ).toMatchObject({ healthy: false, settlesInSeconds: 0 });
  });
});
