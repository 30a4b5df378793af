import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";
import { describe, expect } from "vitest";
import { createCloudFoundryClient } from "../../src/client/index.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { pollUntil } from "../support/poll.js";
import { it, posts, stackConfig } from "./host-helpers.js";

// Someone else at the deployment while we promote it, and a Cloud Controller that refuses our
// continue: through runLocal (the real provider host) and the simulator.

/** One promotion of the seeded web canary, its outputs as stack outputs. */
function promotion(args: { toStep?: number; pollIntervalSeconds: number }) {
  return () => {
    const config = new pulumi.Config();
    const web = new DeploymentPromotion("web", {
      appName: "web",
      orgName: config.require("org"),
      spaceName: config.require("space"),
      ...args,
    });
    return { canaryStep: web.canaryStep, continues: web.continues, overshoot: web.overshoot };
  };
}

/** A client logged in as a seeded user. */
function clientAs(sim: SimulatorHandle, name: string) {
  const user = sim.users[name];
  if (user === undefined) throw new Error(`the default seed has no ${name}`);
  return createCloudFoundryClient({
    apiUrl: sim.url,
    credentials: { kind: "password", username: user.username, password: user.password },
  });
}

/** Stack config that connects as another seeded user. */
function configAs(sim: SimulatorHandle, name: string) {
  const user = sim.users[name];
  if (user === undefined) throw new Error(`the default seed has no ${name}`);
  return stackConfig(sim, {
    "cloudfoundry:user": user.username,
    "cloudfoundry:password": { secret: user.password },
  });
}

describe("someone else continues while we promote", { timeout: 60_000 }, () => {
  it("an admin's continue past toStep: recorded where it went, and named", async ({
    sim,
    webDeployment: guid,
    stack: { run },
  }) => {
    const admin = clientAs(sim, "admin");
    try {
      // Slow reads: the admin's continue lands while the provider waits after its own.
      const up = run("up", promotion({ toStep: 2, pollIntervalSeconds: 2 }));
      await pollUntil("our first continue", async () => (await posts(sim)).length === 1, {
        tries: 1_000,
      });
      await pollUntil("the canary paused at step 2", async () => {
        const d = await admin.getDeployment(guid);
        return d.status.reason === "PAUSED" && d.status.canary?.steps?.current === 2;
      });
      await admin.continueDeployment(guid);
      const result = await up;

      expect(result.outputs["canaryStep"]).toMatchObject({ current: 3, total: 3 });
      expect(result.outputs["continues"]).toEqual([
        { fromStep: 1, toStep: 2, at: expect.any(String), by: "developer@example.com", ours: true },
        { fromStep: 2, toStep: 3, at: expect.any(String), by: "admin@example.com", ours: false },
      ]);
      expect(result.outputs["overshoot"]).toEqual({ by: ["admin@example.com"], toStep: 3 });
      expect(
        result.logs.some((l) =>
          l.includes("step 2/3 → step 3/3 was continued by admin@example.com"),
        ),
      ).toBe(true);
      expect(
        result.logs.some((l) =>
          l.includes("without a continue from this provider: someone else continued it"),
        ),
      ).toBe(true);
      expect(
        result.logs.some((l) =>
          l.includes(
            "warning: the deployment went past the goal step 2/3 to step 3/3: continued by admin@example.com",
          ),
        ),
      ).toBe(true);
      // Only the continue from step 1 was ours.
      const events = await sim.control.auditEvents({ types: ["audit.app.deployment.continue"] });
      expect(events.map((e) => e.actor.name)).toEqual([
        "developer@example.com",
        "admin@example.com",
      ]);
    } finally {
      await admin.close();
    }
  });

  it("a continue sent by the same user outside this stack is listed as ours", async ({
    webDeployment: guid,
    stack: { run },
    operator: developer,
  }) => {
    // As a run killed after its first continue left it: continued once, recorded nowhere.
    await pollUntil(
      "the canary paused",
      async () => (await developer.getDeployment(guid)).status.reason === "PAUSED",
    );
    await developer.continueDeployment(guid);
    const result = await run("up", promotion({ toStep: 3, pollIntervalSeconds: 0.05 }));
    expect(result.outputs["continues"]).toEqual([
      { fromStep: 1, toStep: 2, at: expect.any(String), by: "developer@example.com", ours: true },
      { fromStep: 2, toStep: 3, at: expect.any(String), by: "developer@example.com", ours: true },
    ]);
    expect(result.outputs["overshoot"]).toBeNull();
  });
});

describe("a continue the Cloud Controller refuses", { timeout: 60_000 }, () => {
  it.for([
    ["reader", "a token without cloud_controller.write", "403"],
    ["auditor", "a role that may read but not manage the app", "404"],
  ] as const)(
    "as %s (%s): a definite refusal, no partial failure",
    async ([user, _why, status], { sim, stack: { run } }) => {
      const error = await run(
        "up",
        promotion({ pollIntervalSeconds: 0.05 }),
        configAs(sim, user),
      ).catch((e) => e);
      expect(error.code).toBe("RUN_LOCAL_RESOURCE_FAILED");
      expect(error.initFailure).toBeUndefined();
      expect(error.message).toContain(
        "[PROMOTION_REFUSED] the Cloud Controller refused to continue",
      );
      expect(error.message).toContain(status);
      expect(error.message).toContain("Space Developer or Space Supporter");
      expect(error.message).toContain("cloud_controller.write");
      expect(error.message).not.toContain("outcome is unknown");
      expect(await sim.control.auditEvents({ types: ["audit.app.deployment.continue"] })).toEqual(
        [],
      );
    },
  );
});

describe("refresh after someone else continued", { timeout: 60_000 }, () => {
  it("lists the admin's continue (ours: false) and the overshoot as drift, sending nothing; refreshes without a change show no drift", async ({
    sim,
    webDeployment: guid,
    stack: { run },
  }) => {
    const program = promotion({ toStep: 2, pollIntervalSeconds: 0.05 });
    const up = await run("up", program);
    const ours = {
      fromStep: 1,
      toStep: 2,
      at: expect.any(String),
      by: "developer@example.com",
      ours: true,
    };
    expect(up.resources[0]?.outputs["continues"]).toEqual([ours]);
    const unchanged = await run("refresh", program);
    expect(unchanged.resources.map((r) => [r.operation, r.drift])).toEqual([["refresh", false]]);
    expect(unchanged.resources[0]?.outputs).toEqual(up.resources[0]?.outputs);

    const admin = clientAs(sim, "admin");
    try {
      await admin.continueDeployment(guid);
      await pollUntil("the canary paused at step 3", async () => {
        const d = await admin.getDeployment(guid);
        return d.status.reason === "PAUSED" && d.status.canary?.steps?.current === 3;
      });
    } finally {
      await admin.close();
    }
    await sim.control.clearRequests();
    const refreshed = await run("refresh", program);
    expect(refreshed.resources.map((r) => [r.operation, r.drift])).toEqual([["refresh", true]]);
    const outputs = refreshed.resources[0]?.outputs ?? {};
    expect(outputs["canaryStep"]).toEqual({ current: 3, total: 3 });
    const recorded = (up.resources[0]?.outputs["continues"] ?? []) as unknown[];
    expect(outputs["continues"]).toEqual([
      recorded[0],
      { fromStep: 2, toStep: 3, at: expect.any(String), by: "admin@example.com", ours: false },
    ]);
    expect(outputs["overshoot"]).toEqual({ by: ["admin@example.com"], toStep: 3 });
    expect(refreshed.logs.filter((l) => l.includes("was continued by"))).toEqual([
      expect.stringMatching(
        /^web: step 2\/3 → step 3\/3 was continued by admin@example\.com at \S+, not by this provider$/,
      ),
    ]);
    expect(await posts(sim)).toEqual([]);

    const again = await run("refresh", program);
    expect(again.resources.map((r) => [r.operation, r.drift])).toEqual([["refresh", false]]);
    expect(again.resources[0]?.outputs).toEqual(outputs);
    expect(again.logs.filter((l) => l.includes("was continued by"))).toEqual([]);
  });
});
