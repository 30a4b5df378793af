import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import {
  asUser,
  cfError,
  type DeploymentJson,
  it,
  seededApp,
  send,
  webDeployment,
} from "../support/index.js";

describe("continue and cancel", () => {
  it("pauses the seeded web canary at step 1 on the first tick, with a continue link", async ({
    sim,
  }) => {
    const api = await asUser(sim, "developer");
    const guid = webDeployment(sim);
    const before = (await api("GET", `/v3/deployments/${guid}`)).body as DeploymentJson;
    expect(before.status).toMatchObject({
      value: "ACTIVE",
      reason: "DEPLOYING",
      canary: { steps: { current: 1, total: 3 } },
    });
    expect(Object.keys(before.links)).toEqual(["self", "app", "cancel"]);
    await sim.control.tick();
    const after = (await api("GET", `/v3/deployments/${guid}`)).body as DeploymentJson;
    expect(after.status).toMatchObject({ value: "ACTIVE", reason: "PAUSED" });
    expect(after.links).toEqual({
      self: { href: `${sim.url}/v3/deployments/${guid}` },
      app: { href: `${sim.url}/v3/apps/${seededApp(sim, "web").guid}` },
      cancel: { href: `${sim.url}/v3/deployments/${guid}/actions/cancel`, method: "POST" },
      continue: { href: `${sim.url}/v3/deployments/${guid}/actions/continue`, method: "POST" },
    });
  });

  it("continues a PAUSED canary with 200 and an empty body, then shows ACTIVE/DEPLOYING at step 2", async ({
    sim,
  }) => {
    const api = await asUser(sim, "developer");
    const guid = webDeployment(sim);
    await sim.control.tick();
    const answer = await api("POST", `/v3/deployments/${guid}/actions/continue`);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("");
    const after = (await api("GET", `/v3/deployments/${guid}`)).body as DeploymentJson;
    expect(after.status).toMatchObject({
      value: "ACTIVE",
      reason: "DEPLOYING",
      canary: { steps: { current: 2, total: 3 } },
    });
    expect(after.links.continue).toBeUndefined();
    expect(after.links.cancel).toBeDefined();
  });

  it("refuses to continue a PREPAUSED canary with the DEPLOYING detail", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const answer = await api("POST", `/v3/deployments/${webDeployment(sim)}/actions/continue`);
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual(
      cfError(
        10008,
        "CF-UnprocessableEntity",
        "Cannot continue a deployment with status: ACTIVE and reason: DEPLOYING",
      ),
    );
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
    expect(again.status).toBe(422);
    expect(again.body).toEqual(
      cfError(
        10008,
        "CF-UnprocessableEntity",
        "Cannot cancel a deployment with status: FINALIZED and reason: CANCELED",
      ),
    );
  });

  it("records continue and cancel audit events targeting the app", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const guid = webDeployment(sim);
    await sim.control.tick();
    await api("POST", `/v3/deployments/${guid}/actions/continue`);
    await api("POST", `/v3/deployments/${guid}/actions/cancel`);
    const events = await sim.control.auditEvents();
    expect(events.map((e) => e.type)).toEqual([
      "audit.app.deployment.continue",
      "audit.app.deployment.cancel",
    ]);
    expect(events[0]).toMatchObject({
      actor: { type: "user", name: "developer@example.com" },
      target: { guid: seededApp(sim, "web").guid, type: "app", name: "web" },
      data: { deployment_guid: guid },
      space: { guid: sim.space.guid },
      organization: { guid: sim.org.guid },
    });
  });

  it("answers an unknown deployment GUID with 404 Deployment not found", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    for (const path of ["", "/actions/continue", "/actions/cancel"]) {
      const answer = await api(path === "" ? "GET" : "POST", `/v3/deployments/nope${path}`);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual(cfError(10010, "CF-ResourceNotFound", "Deployment not found"));
    }
  });

  it("answers requests without a bearer token with 401 10002", async ({ sim }) => {
    for (const authorization of [undefined, "Basic Y2Y6", "token abc"]) {
      const answer = await send(`${sim.url}/v3/deployments/${webDeployment(sim)}`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(cfError(10002, "CF-NotAuthenticated", "Authentication error"));
    }
  });

  it("answers a bad bearer token (any case of bearer) with 401 1000", async ({ sim }) => {
    for (const authorization of ["bearer abc.def.ghi", "BEARER x", "Bearer"]) {
      const answer = await send(`${sim.url}/v3/deployments`, { headers: { authorization } });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(cfError(1000, "CF-InvalidAuthToken", "Invalid Auth Token"));
    }
  });
});

describe("every transition of reference §2.1", () => {
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

  it("stamps last_status_change on value/reason changes and last_successful_healthcheck on pause", async ({
    startSim,
  }) => {
    let now = Date.parse("2026-07-01T08:00:00Z");
    const sim = await startSim({ now: () => now });
    const api = await asUser(sim, "developer");
    const guid = webDeployment(sim);
    const get = async () => (await api("GET", `/v3/deployments/${guid}`)).body as DeploymentJson;
    now += 10_000;
    await sim.control.tick();
    expect((await get()).status.details).toEqual({
      last_successful_healthcheck: "2026-07-01T08:00:10Z",
      last_status_change: "2026-07-01T08:00:10Z",
    });
    expect((await get()).updated_at).toBe("2026-07-01T08:00:10Z");
    now += 10_000;
    await api("POST", `/v3/deployments/${guid}/actions/continue`);
    expect((await get()).status.details).toEqual({
      last_successful_healthcheck: "2026-07-01T08:00:10Z",
      last_status_change: "2026-07-01T08:00:20Z",
    });
    now += 10_000;
    // Scaling ticks keep ACTIVE/DEPLOYING: no status change, but a newer health check.
    await sim.control.tick();
    expect((await get()).status.details).toEqual({
      last_successful_healthcheck: "2026-07-01T08:00:30Z",
      last_status_change: "2026-07-01T08:00:20Z",
    });
    expect((await get()).created_at).toBe("2026-07-01T08:00:00Z");
  });
});
