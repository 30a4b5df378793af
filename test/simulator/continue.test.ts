/**
 * `POST /v3/deployments/:guid/actions/continue`: the order of checks per role
 * (CC `app/controllers/v3/deployments_controller.rb#continue`), the transitions
 * (`app/actions/deployment_continue.rb`) and the response right after.
 */
import { describe, expect } from "vitest";
import {
  action,
  appGuid,
  asUser,
  call,
  clientTokenFor,
  createDeploymentFor,
  type DeploymentJson,
  expectCfError,
  forgetTokens,
  getDeployment,
  invalidAuthToken,
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

const NOT_FOUND = "Deployment not found";

function expectCannotContinue(
  result: Awaited<ReturnType<typeof action>>,
  value: string,
  reason: string,
): void {
  expectCfError(
    result,
    unprocessable(`Cannot continue a deployment with status: ${value} and reason: ${reason}`),
  );
}

describe("continue: authentication", () => {
  it("answers 401 CF-NotAuthenticated without an Authorization header", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    const result = await call(sim, "POST", `/v3/deployments/${guid}/actions/continue`);
    expectCfError(result, notAuthenticated);
    expect(await statusOf(sim, guid)).toBe("ACTIVE/PAUSED");
  });

  it("answers 401 CF-NotAuthenticated when the Authorization header is not a bearer token", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const token = await tokenFor(sim, "developer");
    const result = await call(sim, "POST", `/v3/deployments/${guid}/actions/continue`, {
      headers: { Authorization: `Basic ${Buffer.from("developer:x").toString("base64")}` },
    });
    expectCfError(result, notAuthenticated);
    const raw = await call(sim, "POST", `/v3/deployments/${guid}/actions/continue`, {
      headers: { Authorization: token },
    });
    expectCfError(raw, notAuthenticated);
  });

  it("answers 401 CF-InvalidAuthToken to a garbage bearer token", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    const result = await call(sim, "POST", `/v3/deployments/${guid}/actions/continue`, {
      token: "not-a-jwt",
    });
    expectCfError(result, invalidAuthToken);
  });

  it("answers 401 CF-InvalidAuthToken to a token whose signature was tampered with", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const token = await tokenFor(sim, "developer");
    const [header, payload, signature = ""] = token.split(".");
    const flipped = `${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`;
    const result = await call(sim, "POST", `/v3/deployments/${guid}/actions/continue`, {
      token: `${header}.${payload}.${flipped}`,
    });
    expectCfError(result, invalidAuthToken);
  });

  it("answers 401 CF-InvalidAuthToken to an expired token", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    const token = await tokenFor(sim, "developer");
    await sim.control.expireTokens();
    forgetTokens(sim);
    const result = await call(sim, "POST", `/v3/deployments/${guid}/actions/continue`, { token });
    expectCfError(result, invalidAuthToken);
    expect(await statusOf(sim, guid)).toBe("ACTIVE/PAUSED");
  });

  it("accepts the bearer keyword in any case", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    const token = await tokenFor(sim, "developer");
    const result = await call(sim, "POST", `/v3/deployments/${guid}/actions/continue`, {
      headers: { Authorization: `BeArEr ${token}` },
    });
    expect(result.status, result.text).toBe(200);
  });

  it("checks authentication before looking the deployment up", async ({ sim }) => {
    const result = await call(sim, "POST", "/v3/deployments/no-such-guid/actions/continue");
    expectCfError(result, notAuthenticated);
  });
});

describe("continue: write scope", () => {
  it("answers 403 CF-NotAuthorized to a Space Developer whose token lacks cloud_controller.write", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const result = await action(sim, "reader", guid, "continue");
    expectCfError(result, notAuthorized);
    expect(await statusOf(sim, guid)).toBe("ACTIVE/PAUSED");
  });

  it("checks the write scope before the lookup: an unknown guid still gets 403", async ({
    sim,
  }) => {
    const result = await action(sim, "reader", "no-such-guid", "continue");
    expectCfError(result, notAuthorized);
  });

  it("checks the write scope before the state: a deployment that is not PAUSED still gets 403", async ({
    sim,
  }) => {
    const created = await createDeploymentFor(sim, "api");
    const result = await action(sim, "reader", created.guid, "continue");
    expect(result.status).toBe(403);
  });
});

describe("continue: lookup and role", () => {
  it("answers 404 Deployment not found to an unknown guid", async ({ sim }) => {
    const result = await action(sim, "developer", "no-such-guid", "continue");
    expectCfError(result, notFound(NOT_FOUND));
  });

  for (const role of ["manager", "auditor", "outsider"]) {
    it(`answers 404 Deployment not found (not 403) to the ${role} and leaves the deployment PAUSED`, async ({
      sim,
    }) => {
      const guid = await pausedWebDeployment(sim);
      const result = await action(sim, role, guid, "continue");
      expectCfError(result, notFound(NOT_FOUND));
      expect(await statusOf(sim, guid)).toBe("ACTIVE/PAUSED");
    });
  }

  it("answers 404 rather than 422 to a read-only role on a deployment that is not PAUSED", async ({
    sim,
  }) => {
    const created = await createDeploymentFor(sim, "api");
    const result = await action(sim, "auditor", created.guid, "continue");
    expectCfError(result, notFound(NOT_FOUND));
  });
});

describe("continue: success per role", () => {
  for (const role of ["admin", "developer", "supporter"]) {
    it(`lets the ${role} continue and answers 200 with an empty body`, async ({ sim }) => {
      const guid = await pausedWebDeployment(sim);
      const result = await action(sim, role, guid, "continue");
      expect(result.status).toBe(200);
      expect(result.text).toBe("");
    });
  }

  it("lets the promoter client (Space Developer) continue with a client-credentials token", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const result = await call(sim, "POST", `/v3/deployments/${guid}/actions/continue`, {
      token: await clientTokenFor(sim, "promoter"),
    });
    expect(result.status, result.text).toBe(200);
    expect(result.text).toBe("");
  });

  it("accepts and ignores an empty JSON object body", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    const result = await call(sim, "POST", `/v3/deployments/${guid}/actions/continue`, {
      token: await tokenFor(sim, "developer"),
      body: {},
    });
    expect(result.status, result.text).toBe(200);
  });
});

describe("continue: state check", () => {
  it("refuses a second continue issued right after a successful one", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    expectCannotContinue(await action(sim, "supporter", guid, "continue"), "ACTIVE", "DEPLOYING");
  });
});

describe("continue: transitions and the response right after", () => {
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

  it("moves a PAUSED canary with steps left to PREPAUSED at the next step, visible at once", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const before = await getDeployment(sim, guid);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    const after = await getDeployment(sim, guid);
    expect(after.status.value).toBe("ACTIVE");
    expect(after.status.reason).toBe("DEPLOYING");
    expect(after.status.canary).toEqual({ steps: { current: 2, total: 3 } });
    expect(Object.keys(after.links).sort()).toEqual(["app", "cancel", "self"]);
    expect(Date.parse(after.status.details.last_status_change)).toBeGreaterThanOrEqual(
      Date.parse(before.status.details.last_status_change),
    );
  });

  it("shows the PREPAUSED state through the states filter", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    const result = await call(sim, "GET", "/v3/deployments?states=PREPAUSED", {
      token: await tokenFor(sim, "admin"),
    });
    const body = result.json as { resources: Array<{ guid: string }> };
    expect(body.resources.map((d) => d.guid)).toEqual([guid]);
  });

  it("pauses again at the next step after updater ticks, never without one", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    expect(await statusOf(sim, guid)).toBe("ACTIVE/DEPLOYING");
    const ticks = await tickUntil(sim, guid, "ACTIVE/PAUSED");
    expect(ticks).toBeGreaterThanOrEqual(1);
    const paused = await getDeployment(sim, guid);
    expect(paused.status.canary).toEqual({ steps: { current: 2, total: 3 } });
    expect(Object.keys(paused.links).sort()).toEqual(["app", "cancel", "continue", "self"]);
  });

  it("never advances a PAUSED deployment on ticks alone", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    await sim.control.tick(10);
    const deployment = await getDeployment(sim, guid);
    expect(`${deployment.status.value}/${deployment.status.reason}`).toBe("ACTIVE/PAUSED");
    expect(deployment.status.canary).toEqual({ steps: { current: 1, total: 3 } });
  });

  it("moves the last step to DEPLOYING without incrementing it, then to FINALIZED/DEPLOYED", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    for (const step of [1, 2]) {
      expect((await action(sim, "developer", guid, "continue")).status, `step ${step}`).toBe(200);
      await tickUntil(sim, guid, "ACTIVE/PAUSED");
    }
    expect((await getDeployment(sim, guid)).status.canary).toEqual({
      steps: { current: 3, total: 3 },
    });
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    const deploying = await getDeployment(sim, guid);
    expect(`${deploying.status.value}/${deploying.status.reason}`).toBe("ACTIVE/DEPLOYING");
    expect(deploying.status.canary).toEqual({ steps: { current: 3, total: 3 } });
    await tickUntil(sim, guid, "FINALIZED/DEPLOYED");
    const states = await call(
      sim,
      "GET",
      `/v3/deployments?states=DEPLOYED&app_guids=${appGuid(sim, "web")}`,
      {
        token: await tokenFor(sim, "admin"),
      },
    );
    expect(
      (states.json as { resources: Array<{ guid: string }> }).resources.map((d) => d.guid),
    ).toEqual([guid]);
  });

  it("needs exactly one continue for a canary without steps, which then deploys", async ({
    sim,
  }) => {
    const created = await createDeploymentFor(sim, "api", { strategy: "canary" });
    await tickUntil(sim, created.guid, "ACTIVE/PAUSED");
    expect((await action(sim, "developer", created.guid, "continue")).status).toBe(200);
    const deploying = await getDeployment(sim, created.guid);
    expect(`${deploying.status.value}/${deploying.status.reason}`).toBe("ACTIVE/DEPLOYING");
    expect(deploying.status.canary).toEqual({ steps: { current: 1, total: 1 } });
    await tickUntil(sim, created.guid, "FINALIZED/DEPLOYED");
  });

  it("pauses on a 100 % final step and needs one more continue to finalize", async ({ sim }) => {
    const created = await createDeploymentFor(sim, "api", {
      strategy: "canary",
      options: { canary: { steps: [{ instance_weight: 50 }, { instance_weight: 100 }] } },
    });
    await tickUntil(sim, created.guid, "ACTIVE/PAUSED");
    expect((await action(sim, "developer", created.guid, "continue")).status).toBe(200);
    await tickUntil(sim, created.guid, "ACTIVE/PAUSED");
    expect((await getDeployment(sim, created.guid)).status.canary).toEqual({
      steps: { current: 2, total: 2 },
    });
    await sim.control.tick(5);
    expect(await statusOf(sim, created.guid)).toBe("ACTIVE/PAUSED");
    expect((await action(sim, "developer", created.guid, "continue")).status).toBe(200);
    await tickUntil(sim, created.guid, "FINALIZED/DEPLOYED");
  });

  it("stamps updated_at and last_successful_healthcheck on the tick that scales the canary up, and last_status_change only when it pauses", async ({
    sim,
    time,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const stamps = async () => {
      const { updated_at, status } = await getDeployment(sim, guid);
      return {
        reason: status.reason,
        updated: updated_at,
        healthy: status.details.last_successful_healthcheck,
        changed: status.details.last_status_change,
      };
    };
    time.advance(2000);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    const continued = await stamps();
    time.advance(2000);
    await sim.control.tick();
    const scaled = await stamps();
    time.advance(2000);
    await sim.control.tick();
    const paused = await stamps();

    expect(continued.reason).toBe("DEPLOYING");
    expect(continued.changed).toBe(continued.updated);
    expect(scaled).toEqual({
      reason: "DEPLOYING",
      updated: scaled.healthy,
      healthy: scaled.healthy,
      changed: continued.changed,
    });
    expect(Date.parse(scaled.updated) - Date.parse(continued.updated)).toBe(2000);
    expect(paused).toEqual({
      reason: "PAUSED",
      updated: paused.changed,
      healthy: paused.changed,
      changed: paused.changed,
    });
    expect(Date.parse(paused.changed ?? "") - Date.parse(scaled.updated)).toBe(2000);
  });

  it("sets last_successful_healthcheck when the canary pauses", async ({ sim, time }) => {
    const guid = await pausedWebDeployment(sim);
    const first = await getDeployment(sim, guid);
    time.advance(1100);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    await tickUntil(sim, guid, "ACTIVE/PAUSED");
    const second = await getDeployment(sim, guid);
    expect(Date.parse(second.status.details.last_successful_healthcheck ?? "")).toBeGreaterThan(
      Date.parse(first.status.details.last_successful_healthcheck ?? ""),
    );
  });
});
