/**
 * `POST /v3/deployments/:guid/actions/cancel` (CC `app/actions/deployment_cancel.rb`).
 */
import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import {
  action,
  asUser,
  call,
  createDeploymentFor,
  type DeploymentJson,
  expectCfError,
  getDeployment,
  instanceCount,
  it,
  notAuthenticated,
  notAuthorized,
  notFound,
  pausedWebDeployment,
  seededApp,
  statusOf,
  tickUntil,
  tokenFor,
  unprocessable,
  webDeployment,
} from "../support/index.js";

describe("cancel", () => {
  it("cancels a PAUSED canary: 200 with an empty body, then ACTIVE/CANCELING at once", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const result = await action(sim, "developer", guid, "cancel");
    expect(result.status).toBe(200);
    expect(result.text).toBe("");
    expect(await statusOf(sim, guid)).toBe("ACTIVE/CANCELING");
  });

  it("finishes a cancel on the next updater ticks as FINALIZED/CANCELED", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    const ticks = await tickUntil(sim, guid, "FINALIZED/CANCELED");
    expect(ticks).toBeGreaterThanOrEqual(1);
  });

  for (const role of ["manager", "auditor", "outsider"]) {
    it(`answers 404 Deployment not found to the ${role}`, async ({ sim }) => {
      const guid = await pausedWebDeployment(sim);
      expectCfError(await action(sim, role, guid, "cancel"), notFound("Deployment not found"));
      expect(await statusOf(sim, guid)).toBe("ACTIVE/PAUSED");
    });
  }

  it("answers 403 to a token without cloud_controller.write", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expectCfError(await action(sim, "reader", guid, "cancel"), notAuthorized);
  });

  it("answers 401 without a token and 404 to an unknown guid", async ({ sim }) => {
    expectCfError(
      await call(sim, "POST", `/v3/deployments/${webDeployment(sim)}/actions/cancel`),
      notAuthenticated,
    );
    expectCfError(
      await action(sim, "developer", "no-such-guid", "cancel"),
      notFound("Deployment not found"),
    );
  });

  it("scales the original web process back to its instance count once CANCELED", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const web = seededApp(sim, "web");
    if (web === undefined) throw new Error("no web app");
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    await tickUntil(sim, guid, "FINALIZED/CANCELED");
    expect(await instanceCount(sim, web.webProcessGuid)).toBe(4);
  });

  it("keeps the canary step where it was when canceled", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    await tickUntil(sim, guid, "FINALIZED/CANCELED");
    expect((await getDeployment(sim, guid)).status.canary).toEqual({
      steps: { current: 2, total: 3 },
    });
  });

  it("cancels a PAUSED canary: CANCELING at once, then CANCELED after one tick", async ({
    sim,
  }) => {
    const api = await asUser(sim, "developer");
    const guid = webDeployment(sim);
    await sim.control.tick();
    const answer = await api("POST", `/v3/deployments/${guid}/actions/cancel`);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("");
    const canceling = (await api("GET", `/v3/deployments/${guid}`)).body as DeploymentJson;
    expect(canceling.status).toMatchObject({ value: "ACTIVE", reason: "CANCELING" });
    expect(Object.keys(canceling.links)).toEqual(["self", "app", "cancel"]);
    await sim.control.tick();
    const canceled = (await api("GET", `/v3/deployments/${guid}`)).body as DeploymentJson;
    expect(canceled.status).toMatchObject({ value: "FINALIZED", reason: "CANCELED" });
    expect(Object.keys(canceled.links)).toEqual(["self", "app"]);
    const again = await api("POST", `/v3/deployments/${guid}/actions/cancel`);
    expectCfError(
      again,
      unprocessable("Cannot cancel a deployment with status: FINALIZED and reason: CANCELED"),
    );
  });
});

describe("cancel then supersede", () => {
  it("supersedes a CANCELING deployment into CANCELED with FINALIZED/SUPERSEDED", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const droplet = (await getDeployment(sim, guid)).droplet.guid;
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    await createDeploymentFor(sim, "web", { droplet: { guid: droplet } });
    const superseded = await getDeployment(sim, guid);
    expect(`${superseded.status.value}/${superseded.status.reason}`).toBe("FINALIZED/SUPERSEDED");
    const result = await call(sim, "GET", `/v3/deployments?states=CANCELED`, {
      token: await tokenFor(sim, "admin"),
    });
    expect(
      (result.json as { resources: Array<{ guid: string }> }).resources.map((d) => d.guid),
    ).toEqual([guid]);
  });
});

describe("cancel from every ACTIVE state", () => {
  const appData = (sim: SimulatorHandle, name: string) => ({
    relationships: { app: { data: { guid: seededApp(sim, name).guid } } },
  });

  it("cancels from DEPLOYING, PREPAUSED and CANCELING alike", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const rolling = (await api("POST", "/v3/deployments", appData(sim, "api")))
      .body as DeploymentJson;
    for (const guid of [rolling.guid, webDeployment(sim), webDeployment(sim)]) {
      const answer = await api("POST", `/v3/deployments/${guid}/actions/cancel`);
      expect(answer.status).toBe(200);
      const after = (await api("GET", `/v3/deployments/${guid}`)).body as DeploymentJson;
      expect(after.status).toMatchObject({ value: "ACTIVE", reason: "CANCELING" });
    }
    await sim.control.tick();
    for (const guid of [rolling.guid, webDeployment(sim)]) {
      const after = (await api("GET", `/v3/deployments/${guid}`)).body as DeploymentJson;
      expect(after.status).toMatchObject({ value: "FINALIZED", reason: "CANCELED" });
    }
    expect((await sim.control.auditEvents({ types: ["audit.app.deployment.cancel"] })).length).toBe(
      3,
    );
  });

  it("supersedes a PREPAUSED canary as CANCELED/SUPERSEDED", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const answer = await api("POST", "/v3/deployments", {
      strategy: "canary",
      ...appData(sim, "web"),
    });
    expect(answer.status).toBe(201);
    const old = await api("GET", "/v3/deployments?states=CANCELED&status_reasons=SUPERSEDED");
    expect((old.body as { resources: DeploymentJson[] }).resources.map((d) => d.guid)).toEqual([
      webDeployment(sim),
    ]);
  });
});
