import { describe, expect } from "vitest";
import promoteToStep from "../../examples/promote-to-step/index.js";
import promoteWeb from "../../examples/promote-web/index.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import type { RunLocalResult } from "../../src/testing/index.js";
import { ccRequests, it, posts, pushCanary, type Stack, stackConfig } from "./host-helpers.js";

// A promotion end to end, through runLocal (the real `@pulumi/pulumi` provider host over gRPC) and
// the simulator over real HTTP; each asserted on outputs and on the simulator's request log and
// audit events.

/** Every request that is not a GET, as "METHOD path" (UAA included). */
async function nonReads(sim: SimulatorHandle): Promise<string[]> {
  return (await sim.control.requests())
    .filter((r) => r.method !== "GET")
    .map((r) => `${r.method} ${r.path}`);
}

const continuePath = (guid: string) => `/v3/deployments/${guid}/actions/continue`;

/** The run went through the one resource, `web`, with `operation`, and ended with `outputs`. */
function expectWebRun(result: RunLocalResult, operation: string, outputs: Record<string, unknown>) {
  expect(result.resources.map((r) => [r.name, r.operation])).toEqual([["web", operation]]);
  expect(result.outputs).toMatchObject(outputs);
}

/** Stack config with `toStep: "2"`, and the first `up` of promote-to-step with it. */
async function upToStep2(sim: SimulatorHandle, run: Stack["run"]) {
  const config = stackConfig(sim, { toStep: "2" });
  return { config, first: await run("up", promoteToStep, config) };
}

describe("DeploymentPromotion through the real provider host", { timeout: 60_000 }, () => {
  it("promotes the seeded web canary to step 2, then fully by an update", async ({
    sim,
    stack: { run },
    webDeployment: guid,
  }) => {
    const first = await run("up", promoteToStep, stackConfig(sim, { toStep: "2" }));
    expectWebRun(first, "create", {
      deploymentGuid: guid,
      statusValue: "ACTIVE",
      statusReason: "PAUSED",
      canaryStep: { current: 2, total: 3 },
      continues: [{ fromStep: 1, toStep: 2, at: expect.any(String) }],
    });
    const requests = await ccRequests(sim);
    const firstPost = requests.findIndex((r) => r.method === "POST");
    expect(await posts(sim)).toEqual([continuePath(guid)]);
    // Check found the deployment and read the canary's stats for its plan; Create started from
    // what Check found (under a second before), its health gate read the stats again right before
    // the continue, and the continue compares against Check's read of the deployment.
    expect(
      requests.slice(0, firstPost).map((r) => r.path.replace(/[0-9a-f-]{36}/g, ":guid")),
    ).toEqual([
      "/v3/organizations",
      "/v3/spaces",
      "/v3/apps",
      "/v3/deployments",
      "/v3/processes/:guid/stats",
      "/v3/processes/:guid/stats",
    ]);
    const afterFirst = await sim.control.auditEvents({ types: ["audit.app.deployment.continue"] });
    expect(afterFirst).toHaveLength(1);
    expect(afterFirst[0]?.data).toMatchObject({ deployment_guid: guid });
    expect(first.logs).toContain(
      `plan: continue deployment ${guid} of app web: step 1/3 → step 2/3, 1 continue`,
    );
    expect(first.logs.some((l) => /^web: canary step 2\/3 scaling… \(\d+s\)$/.test(l))).toBe(true);

    const second = await run("up", promoteWeb);
    expectWebRun(second, "update", {
      deploymentGuid: guid,
      statusValue: "FINALIZED",
      statusReason: "DEPLOYED",
      canaryStep: { current: 3, total: 3 },
      continues: [
        { fromStep: 1, toStep: 2 },
        { fromStep: 2, toStep: 3 },
        { fromStep: 3, toStep: "deployed" },
      ],
    });
    expect(await posts(sim)).toEqual([continuePath(guid), continuePath(guid), continuePath(guid)]);
    expect(
      await sim.control.auditEvents({ types: ["audit.app.deployment.continue"] }),
    ).toHaveLength(3);
  });

  it("logs in once per host and reuses its connections across check, create and every poll", async ({
    sim,
    stack: { run },
  }) => {
    await sim.control.clearRequests();
    await run("up", promoteToStep, stackConfig(sim, { toStep: "3" }));
    const log = await sim.control.requests();
    expect(log.filter((r) => r.path === "/uaa/oauth/token").map((r) => r.status)).toEqual([200]);
    // Polls every 50 ms for seconds, on at most a handful of keep-alive connections.
    expect(log.length).toBeGreaterThan(10);
    expect(new Set(log.map((r) => r.connection)).size).toBeLessThanOrEqual(3);
  });

  it("sends no POST on a second up with the same program", async ({ sim, stack: { run } }) => {
    const { config, first } = await upToStep2(sim, run);
    await sim.control.clearRequests();

    const again = await run("up", promoteToStep, config);
    expect(again.resources.map((r) => [r.name, r.operation])).toEqual([["web", "same"]]);
    expect(again.outputs).toEqual(first.outputs);
    expect(await posts(sim)).toEqual([]);
    expect(
      await sim.control.auditEvents({ types: ["audit.app.deployment.continue"] }),
    ).toHaveLength(1);
  });

  it("previews the planned action, for a new promotion and for a further one, and sends no POST", async ({
    sim,
    stack: { run },
    webDeployment: guid,
  }) => {
    const config = stackConfig(sim, { toStep: "2" });
    await sim.control.tick(20);

    const fresh = await run("preview", promoteToStep, config);
    expect(fresh.resources.map((r) => [r.name, r.operation])).toEqual([["web", "create"]]);
    expect(fresh.logs).toContain(
      `plan: continue deployment ${guid} of app web: step 1/3 → step 2/3, 1 continue`,
    );
    expect(await posts(sim)).toEqual([]);
    // The look behind the plan only reads: its one write-like request is the UAA login.
    expect(await nonReads(sim)).toEqual(["POST /uaa/oauth/token"]);

    await run("up", promoteToStep, config);
    await sim.control.clearRequests();
    const further = await run("preview", promoteWeb);
    expect(further.resources.map((r) => [r.name, r.operation])).toEqual([["web", "update"]]);
    expect(further.logs).toContain(
      `plan: continue deployment ${guid} of app web: step 2/3 → deployed, 2 continues`,
    );
    expect(await posts(sim)).toEqual([]);
    expect(await nonReads(sim)).toEqual(["POST /uaa/oauth/token"]);
    // A preview writes no state: the next up still starts from step 2.
    const up = await run("up", promoteWeb);
    expect(up.resources[0]?.previous?.outputs).toMatchObject({ canaryStep: { current: 2 } });
  });

  it("shows a cancel made outside Pulumi as drift on refresh, and the next up attempts nothing", async ({
    sim,
    stack: { run },
    webDeployment: guid,
    operator,
  }) => {
    const { config } = await upToStep2(sim, run);

    await operator.cancelDeployment(guid);
    await sim.control.tick(20);
    await sim.control.clearRequests();

    const refreshed = await run("refresh", promoteToStep, config);
    expect(refreshed.resources.map((r) => [r.name, r.operation, r.drift])).toEqual([
      ["web", "refresh", true],
    ]);
    expect(refreshed.resources[0]?.outputs).toMatchObject({
      statusValue: "FINALIZED",
      statusReason: "CANCELED",
      canaryStep: { current: 2, total: 3 },
      continues: [{ fromStep: 1, toStep: 2 }],
    });
    expect(await posts(sim)).toEqual([]);

    const next = await run("up", promoteToStep, config);
    expect(next.resources.map((r) => [r.name, r.operation])).toEqual([["web", "same"]]);
    expect(next.logs).toContain(
      `plan: deployment ${guid} of app web was canceled (FINALIZED/CANCELED); it cannot be promoted`,
    );
    const further = await run("up", promoteWeb).catch((error: unknown) => error);
    expect(further).toMatchObject({
      code: "RUN_LOCAL_RESOURCE_FAILED",
      step: "diff",
      providerMessage: `[PROMOTION_NOT_PROMOTABLE] deployment ${guid} of app web was canceled (FINALIZED/CANCELED); it cannot be promoted`,
    });
    expect(await posts(sim)).toEqual([]);
  });

  it("replaces the promotion when the app gets a newer canary deployment (a new cf push)", async ({
    sim,
    stack: { run },
    webDeployment: old,
  }) => {
    const { config } = await upToStep2(sim, run);
    const pushed = await pushCanary(sim);
    await sim.control.clearRequests();

    const preview = await run("preview", promoteToStep, config);
    expect(preview.resources.map((r) => [r.name, r.operation])).toEqual([["web", "replace"]]);
    expect(preview.resources[0]?.diff?.replaces).toEqual(["appName"]);
    expect(
      preview.logs.some((l) =>
        l.startsWith(
          `plan: app web has a newer active deployment ${pushed} (was ${old}): replace; then `,
        ),
      ),
    ).toBe(true);
    expect(await posts(sim)).toEqual([]);

    const up = await run("up", promoteToStep, config);
    expectWebRun(up, "replace", {
      deploymentGuid: pushed,
      statusReason: "PAUSED",
      canaryStep: { current: 2, total: 3 },
      continues: [{ fromStep: 1, toStep: 2 }],
    });
    // Only the new deployment was continued; the old promotion was forgotten, nothing sent for it.
    expect(await posts(sim)).toEqual([continuePath(pushed)]);
  });

  it("sends nothing to the Cloud Controller on destroy", async ({
    sim,
    operator,
    stack: { run },
    webDeployment: guid,
  }) => {
    const { config } = await upToStep2(sim, run);
    await sim.control.clearRequests();
    const events = await sim.control.auditEvents();

    const destroyed = await run("destroy", promoteToStep, config);
    expect(destroyed.resources.map((r) => [r.name, r.operation])).toEqual([["web", "delete"]]);
    expect(await sim.control.requests()).toEqual([]);
    expect(await sim.control.auditEvents()).toEqual(events);
    expect(destroyed.logs).toContain(
      `web: removed the promotion record of deployment ${guid} from the stack; nothing was sent to Cloud Foundry`,
    );
    expect((await operator.getDeployment(guid)).status).toMatchObject({
      value: "ACTIVE",
      reason: "PAUSED",
    });
  });

  it("refuses a deployment of another droplet before sending anything", async ({
    sim,
    stack: { run },
    webDeployment: guid,
    operator,
  }) => {
    const wrong = "99999999-9999-4999-8999-999999999999";
    const droplet = (await operator.getDeployment(guid)).droplet.guid;

    const error = await run(
      "up",
      promoteToStep,
      stackConfig(sim, { toStep: "2", expectedDropletGuid: wrong }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "RUN_LOCAL_RESOURCE_FAILED",
      step: "check",
      providerMessage: `[PROMOTION_WRONG_DROPLET] deployment ${guid} of app web deploys droplet ${droplet}, but expectedDropletGuid is ${wrong}: refusing to promote another release; nothing was sent`,
    });
    expect(await posts(sim)).toEqual([]);
    expect(await sim.control.auditEvents({ types: ["audit.app.deployment.continue"] })).toEqual([]);

    // The right droplet is promoted.
    const right = await run(
      "up",
      promoteToStep,
      stackConfig(sim, { toStep: "2", expectedDropletGuid: droplet }),
    );
    expect(right.resources[0]?.outputs).toMatchObject({
      dropletGuid: droplet,
      expectedDropletGuid: droplet,
      canaryStep: { current: 2 },
    });
  });
});
