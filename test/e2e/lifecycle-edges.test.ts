import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import {
  it,
  posts,
  promotionOf,
  pushRolling,
  type Stack,
  stackConfig,
  test,
} from "./host-helpers.js";

// Edges of the lifecycle through runLocal (the real provider host) and the simulator: a rolling
// deployment, and the next `up` after a partial failure.

/**
 * Pushes a rolling deployment of app `api` and runs `up` of a promotion of it with `inputs`,
 * ticking the updater only once the provider waits for the deployment.
 */
async function upRolling(
  sim: SimulatorHandle,
  stack: Stack,
  inputs: Parameters<typeof promotionOf>[0],
) {
  const guid = await pushRolling(sim);
  await sim.control.clearRequests();
  const stopTicking = tickWhenPolled(sim, guid);
  const result = await stack
    .run("up", promotionOf(inputs, "api"), stackConfig(sim))
    .finally(stopTicking);
  return { guid, result };
}

/** Waits until `condition` holds (polling every 20 ms), or fails after `timeoutMs`. */
async function eventually(condition: () => Promise<boolean>, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Starts the updater once the provider polls the deployment itself (it found it active and is
 * waiting), so the run sees it scale; returns the function that stops the updater.
 */
function tickWhenPolled(sim: SimulatorHandle, guid: string): () => void {
  let stopped = false;
  let ticker: NodeJS.Timeout | undefined;
  eventually(async () => {
    if (stopped) return true;
    const requests = await sim.control.requests();
    return requests.some((r) => r.method === "GET" && r.path === `/v3/deployments/${guid}`);
  }, 30_000)
    .then(() => {
      if (!stopped) ticker = setInterval(() => void sim.control.tick().catch(() => 0), 50);
    })
    .catch(() => undefined);
  return () => {
    stopped = true;
    clearInterval(ticker);
  };
}

describe("DeploymentPromotion's lifecycle edges through the real provider host", {
  timeout: 60_000,
}, () => {
  describe("on manual ticks", () => {
    test.override({ simOptions: { tickMs: 0 } });

    it("waits for a rolling deployment to finish and records it, sending nothing", async ({
      sim,
      stack,
    }) => {
      const { guid, result } = await upRolling(sim, stack, {});
      expect(result.outputs).toEqual({
        strategy: "rolling",
        statusReason: "DEPLOYED",
        canaryStep: null,
        continues: [],
      });
      expect(result.resources[0]?.outputs).toMatchObject({
        deploymentGuid: guid,
        statusValue: "FINALIZED",
      });
      expect(await posts(sim)).toEqual([]);
      expect(await sim.control.auditEvents({ types: ["audit.app.deployment.continue"] })).toEqual(
        [],
      );
    });

    it("lets toStep wait for a rolling deployment too, and says it does not apply", async ({
      sim,
      stack,
    }) => {
      const { result } = await upRolling(sim, stack, { toStep: 2 });
      expect(result.outputs).toMatchObject({ strategy: "rolling", canaryStep: null });
      expect(result.logs.some((l) => l.includes("toStep does not apply to it"))).toBe(true);
      expect(await posts(sim)).toEqual([]);
    });

    it("after a partial failure, the next up continues from where the deployment is, once per step", async ({
      sim,
      stack: { run },
      webDeployment: guid,
      operator,
    }) => {
      const program = promotionOf({ toStep: 3, timeoutSeconds: 1 });
      await sim.control.tick(20);

      // Continues 1 → 2, then times out waiting for step 2 (nothing ticks the updater).
      const failed = await run("up", program, stackConfig(sim)).catch((e: unknown) => e);
      expect(failed).toMatchObject({
        code: "RUN_LOCAL_RESOURCE_FAILED",
        initFailure: {
          id: guid,
          properties: { canaryStep: { current: 2 }, continues: [{ fromStep: 1, toStep: 2 }] },
        },
      });
      expect(await posts(sim)).toEqual([`/v3/deployments/${guid}/actions/continue`]);

      await sim.control.tick(20);
      // The updater runs again while the next up waits.
      const ticker = setInterval(() => void sim.control.tick().catch(() => undefined), 20);
      const next = await run("up", program, stackConfig(sim)).finally(() => clearInterval(ticker));
      expect(next.resources.map((r) => [r.name, r.operation])).toEqual([["web", "update"]]);
      expect(next.outputs).toMatchObject({
        statusReason: "PAUSED",
        canaryStep: { current: 3, total: 3 },
        continues: [
          { fromStep: 1, toStep: 2 },
          { fromStep: 2, toStep: 3 },
        ],
      });
      expect(await posts(sim)).toEqual([
        `/v3/deployments/${guid}/actions/continue`,
        `/v3/deployments/${guid}/actions/continue`,
      ]);
      expect((await operator.getDeployment(guid)).status.canary?.steps).toEqual({
        current: 3,
        total: 3,
      });
    });
  });

  it("treats a deployed deployment the Cloud Controller pruned (404) as no drift, and the next up does nothing", async ({
    sim,
    stack: { run },
    webDeployment: guid,
  }) => {
    const deployed = await run("up", promotionOf({}), stackConfig(sim));
    expect(deployed.outputs).toMatchObject({ statusReason: "DEPLOYED" });
    // PruneCompletedDeployments removed it
    // (cloud_controller_ng app/jobs/runtime/prune_completed_deployments.rb).
    await sim.control.addFault({
      method: "GET",
      path: `/v3/deployments/${guid}`,
      status: 404,
      body: {
        errors: [{ code: 10010, title: "CF-ResourceNotFound", detail: "Deployment not found" }],
      },
      times: 1000,
    });
    await sim.control.clearRequests();

    const refreshed = await run("refresh", promotionOf({}), stackConfig(sim));
    expect(refreshed.resources.map((r) => [r.operation, r.drift])).toEqual([["refresh", false]]);
    expect(refreshed.resources[0]?.outputs).toEqual(deployed.resources[0]?.outputs);
    const again = await run("up", promotionOf({}), stackConfig(sim));
    expect(again.resources.map((r) => r.operation)).toEqual(["same"]);
    expect(again.outputs).toEqual(deployed.outputs);
    expect(await posts(sim)).toEqual([]);
  });
});
