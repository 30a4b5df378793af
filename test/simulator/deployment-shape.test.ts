/**
 * The deployment JSON and its links in every state (CC `app/presenters/v3/deployment_presenter.rb`).
 */
import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import {
  action,
  appGuid,
  asUser,
  call,
  createDeployment,
  createDeploymentFor,
  type DeploymentJson,
  expectCfError,
  getDeployment,
  ISO_SECONDS,
  it,
  pausedWebDeployment,
  seededApp,
  tickUntil,
  tokenFor,
  UUID,
  unprocessable,
  webDeployment,
} from "../support/index.js";

function linkNames(deployment: DeploymentJson): string[] {
  return Object.keys(deployment.links).sort();
}

function expectLinks(sim: SimulatorHandle, deployment: DeploymentJson, names: string[]): void {
  const base = `${sim.url}/v3/deployments/${deployment.guid}`;
  const all: Record<string, { href: string; method?: string }> = {
    self: { href: base },
    app: { href: `${sim.url}/v3/apps/${deployment.relationships.app.data.guid}` },
    cancel: { href: `${base}/actions/cancel`, method: "POST" },
    continue: { href: `${base}/actions/continue`, method: "POST" },
  };
  const expected: Record<string, { href: string; method?: string }> = {};
  for (const name of names) expected[name] = all[name] as { href: string; method?: string };
  expect(deployment.links).toEqual(expected);
}

describe("deployment JSON shape", () => {
  it("renders a rolling deployment created for a started app with every top-level field", async ({
    sim,
  }) => {
    const api = seededApp(sim, "api");
    const created = await createDeploymentFor(sim, "api");
    expect(created).toEqual({
      guid: expect.stringMatching(UUID),
      created_at: expect.stringMatching(ISO_SECONDS),
      updated_at: expect.stringMatching(ISO_SECONDS),
      status: {
        value: "ACTIVE",
        reason: "DEPLOYING",
        details: {
          last_successful_healthcheck: expect.stringMatching(ISO_SECONDS),
          last_status_change: expect.stringMatching(ISO_SECONDS),
        },
      },
      strategy: "rolling",
      options: { max_in_flight: 1 },
      droplet: { guid: api?.stagedDropletGuid },
      previous_droplet: { guid: expect.any(String) },
      new_processes: [{ guid: expect.any(String), type: "web" }],
      revision:
        created.revision === null
          ? null
          : { guid: expect.any(String), version: expect.any(Number) },
      relationships: { app: { data: { guid: api?.guid } } },
      metadata: { labels: {}, annotations: {} },
      links: expect.any(Object),
    });
    expectLinks(sim, created, ["app", "cancel", "self"]);
  });

  it("has no state field (removed from the API in 2020)", async ({ sim }) => {
    const created = await createDeploymentFor(sim, "api");
    expect(Object.keys(created)).not.toContain("state");
    const read = await getDeployment(sim, created.guid);
    expect(Object.keys(read)).not.toContain("state");
  });

  it("returns the same JSON from GET as the create response", async ({ sim }) => {
    const created = await createDeploymentFor(sim, "api");
    expect(await getDeployment(sim, created.guid)).toEqual(created);
  });

  it("gives the new web process a guid different from the app's current web process", async ({
    sim,
  }) => {
    const created = await createDeploymentFor(sim, "api");
    expect(created.new_processes).toHaveLength(1);
    expect(created.new_processes[0]?.guid).not.toBe(seededApp(sim, "api")?.webProcessGuid);
  });

  it("defaults the strategy to rolling and max_in_flight to 1", async ({ sim }) => {
    const created = await createDeploymentFor(sim, "api");
    expect(created.strategy).toBe("rolling");
    expect(created.options).toEqual({ max_in_flight: 1 });
    expect(created.status.canary).toBeUndefined();
  });

  it("echoes the options given at create and omits the ones not given", async ({ sim }) => {
    const created = await createDeploymentFor(sim, "api", {
      options: { max_in_flight: 3, web_instances: 5 },
    });
    expect(created.options).toEqual({ max_in_flight: 3, web_instances: 5 });
  });

  it("starts a canary without steps in PREPAUSED: ACTIVE/DEPLOYING, step 1 of 1, cancel but no continue link", async ({
    sim,
  }) => {
    const created = await createDeploymentFor(sim, "api", { strategy: "canary" });
    expect(created.strategy).toBe("canary");
    expect(created.status.value).toBe("ACTIVE");
    expect(created.status.reason).toBe("DEPLOYING");
    expect(created.status.canary).toEqual({ steps: { current: 1, total: 1 } });
    expect(created.options).toEqual({ max_in_flight: 1 });
    expectLinks(sim, created, ["app", "cancel", "self"]);
  });

  it("echoes canary steps in options and counts them in status.canary.steps.total", async ({
    sim,
  }) => {
    const steps = [{ instance_weight: 20 }, { instance_weight: 20 }, { instance_weight: 60 }];
    const created = await createDeploymentFor(sim, "api", {
      strategy: "canary",
      options: { canary: { steps } },
    });
    expect(created.options).toEqual({ max_in_flight: 1, canary: { steps } });
    expect(created.status.canary).toEqual({ steps: { current: 1, total: 3 } });
  });

  it("shows the seeded web canary PAUSED at step 1 of 3 with both continue and cancel links", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const deployment = await getDeployment(sim, guid);
    expect(deployment.strategy).toBe("canary");
    expect(deployment.status).toEqual({
      value: "ACTIVE",
      reason: "PAUSED",
      details: {
        last_successful_healthcheck: expect.stringMatching(ISO_SECONDS),
        last_status_change: expect.stringMatching(ISO_SECONDS),
      },
      canary: { steps: { current: 1, total: 3 } },
    });
    expect(deployment.options).toMatchObject({
      max_in_flight: 1,
      canary: {
        steps: [{ instance_weight: 25 }, { instance_weight: 50 }, { instance_weight: 75 }],
      },
    });
    expect(deployment.relationships.app.data.guid).toBe(appGuid(sim, "web"));
    expectLinks(sim, deployment, ["app", "cancel", "continue", "self"]);
  });

  it("shows ACTIVE/CANCELING with only the cancel action link after cancel", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "admin", guid, "cancel")).status).toBe(200);
    const deployment = await getDeployment(sim, guid);
    expect(`${deployment.status.value}/${deployment.status.reason}`).toBe("ACTIVE/CANCELING");
    expectLinks(sim, deployment, ["app", "cancel", "self"]);
  });

  it("shows FINALIZED/CANCELED with only self and app links, keeping status.canary", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "admin", guid, "cancel")).status).toBe(200);
    await tickUntil(sim, guid, "FINALIZED/CANCELED");
    const deployment = await getDeployment(sim, guid);
    expectLinks(sim, deployment, ["app", "self"]);
    expect(deployment.status.canary).toEqual({ steps: { current: 1, total: 3 } });
    expect(deployment.status.details.error).toBeUndefined();
  });

  it("shows FINALIZED/DEPLOYED with only self and app links once a rolling deployment finishes", async ({
    sim,
  }) => {
    const created = await createDeploymentFor(sim, "api");
    await tickUntil(sim, created.guid, "FINALIZED/DEPLOYED");
    const deployment = await getDeployment(sim, created.guid);
    expect(linkNames(deployment)).toEqual(["app", "self"]);
    expectLinks(sim, deployment, ["app", "self"]);
  });

  it("finalizes a deployment for a stopped app at once as FINALIZED/DEPLOYED, even for canary", async ({
    sim,
  }) => {
    const created = await createDeploymentFor(sim, "worker", {
      strategy: "canary",
      options: { canary: { steps: [{ instance_weight: 50 }] } },
    });
    expect(`${created.status.value}/${created.status.reason}`).toBe("FINALIZED/DEPLOYED");
    expectLinks(sim, created, ["app", "self"]);
  });

  it("keeps status.canary after a canary finalizes as DEPLOYED, with current equal to total", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    for (let step = 1; step <= 3; step++) {
      expect((await action(sim, "admin", guid, "continue")).status).toBe(200);
      if (step < 3) await tickUntil(sim, guid, "ACTIVE/PAUSED");
    }
    await tickUntil(sim, guid, "FINALIZED/DEPLOYED");
    const deployment = await getDeployment(sim, guid);
    expect(deployment.status.canary).toEqual({ steps: { current: 3, total: 3 } });
    expectLinks(sim, deployment, ["app", "self"]);
  });

  it("marks a superseded PAUSED canary FINALIZED/SUPERSEDED without action links", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const paused = await getDeployment(sim, guid);
    await createDeploymentFor(sim, "web", { droplet: { guid: paused.droplet.guid } });
    const superseded = await getDeployment(sim, guid);
    expect(`${superseded.status.value}/${superseded.status.reason}`).toBe("FINALIZED/SUPERSEDED");
    expectLinks(sim, superseded, ["app", "self"]);
  });

  it("moves last_status_change when the reason changes and keeps it when only a tick passes", async ({
    sim,
    time,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const before = await getDeployment(sim, guid);
    time.advance(1100);
    expect((await action(sim, "admin", guid, "cancel")).status).toBe(200);
    const after = await getDeployment(sim, guid);
    expect(Date.parse(after.status.details.last_status_change)).toBeGreaterThan(
      Date.parse(before.status.details.last_status_change),
    );
    expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
    expect(after.created_at).toBe(before.created_at);
  });

  it("updates metadata through PATCH and returns the whole deployment", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    const result = await call(sim, "PATCH", `/v3/deployments/${guid}`, {
      token: await tokenFor(sim, "developer"),
      body: { metadata: { labels: { env: "prod" }, annotations: { note: "hi" } } },
    });
    expect(result.status, result.text).toBe(200);
    const patched = result.json as DeploymentJson;
    expect(patched.guid).toBe(guid);
    expect(patched.metadata).toEqual({ labels: { env: "prod" }, annotations: { note: "hi" } });
    expect((await getDeployment(sim, guid)).metadata).toEqual(patched.metadata);
    expect(patched.status.reason).toBe("PAUSED");
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

describe("deployment JSON: defaults at creation", () => {
  it("sets last_successful_healthcheck and last_status_change to the insert time", async ({
    sim,
  }) => {
    const created = await createDeploymentFor(sim, "api");
    expect(created.status.details.last_successful_healthcheck).toBe(created.created_at);
    expect(created.status.details.last_status_change).toBe(created.created_at);
    expect(created.updated_at).toBe(created.created_at);
  });

  it("creates no new process for a stopped app, and previous_droplet is null without a droplet", async ({
    sim,
  }) => {
    const created = await createDeploymentFor(sim, "worker");
    expect(created.new_processes).toEqual([]);
    expect(created.previous_droplet).toEqual({ guid: null });
  });
});

describe("a deployment of a stopped app", () => {
  // CC deployment_create.rb#deployment_for_stopped_app: DEPLOYED at once, no new process.
  it("is a whole FINALIZED/DEPLOYED canary that neither continue nor cancel can act on", async ({
    sim,
  }) => {
    const worker = seededApp(sim, "worker");
    const steps = [{ instance_weight: 50 }];
    const result = await createDeployment(sim, "developer", {
      relationships: { app: { data: { guid: worker?.guid } } },
      droplet: { guid: worker?.stagedDropletGuid },
      strategy: "canary",
      options: { canary: { steps } },
    });
    expect(result.status, result.text).toBe(201);
    const created = result.json as { guid: string; created_at: string };
    const self = `${sim.url}/v3/deployments/${created.guid}`;
    expect(result.json).toEqual({
      guid: created.guid,
      created_at: created.created_at,
      updated_at: created.created_at,
      status: {
        value: "FINALIZED",
        reason: "DEPLOYED",
        details: {
          last_successful_healthcheck: created.created_at,
          last_status_change: created.created_at,
        },
        canary: { steps: { current: 1, total: 1 } },
      },
      strategy: "canary",
      options: { max_in_flight: 1, canary: { steps } },
      droplet: { guid: worker?.stagedDropletGuid },
      previous_droplet: { guid: null },
      new_processes: [],
      revision: null,
      relationships: { app: { data: { guid: worker?.guid } } },
      metadata: { labels: {}, annotations: {} },
      links: { self: { href: self }, app: { href: `${sim.url}/v3/apps/${worker?.guid}` } },
    });
    expectCfError(
      await action(sim, "developer", created.guid, "continue"),
      unprocessable("Cannot continue a deployment with status: FINALIZED and reason: DEPLOYED"),
    );
    expectCfError(
      await action(sim, "developer", created.guid, "cancel"),
      unprocessable("Cannot cancel a deployment with status: FINALIZED and reason: DEPLOYED"),
    );
  });
});

describe("a freshly created canary", () => {
  it("renders exactly: PREPAUSED as ACTIVE/DEPLOYING, step 1, self/app/cancel links", async ({
    sim,
  }) => {
    const api = seededApp(sim, "api");
    const result = await createDeployment(sim, "developer", {
      relationships: { app: { data: { guid: api?.guid } } },
      droplet: { guid: api?.stagedDropletGuid },
      strategy: "canary",
      options: {
        max_in_flight: 2,
        canary: { steps: [{ instance_weight: 50 }, { instance_weight: 100 }] },
      },
    });
    expect(result.status, result.text).toBe(201);
    expect(result.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const created = result.json as {
      guid: string;
      created_at: string;
      new_processes: Array<{ guid: string }>;
    };
    const self = `${sim.url}/v3/deployments/${created.guid}`;
    expect(result.json).toEqual({
      guid: created.guid,
      created_at: created.created_at,
      updated_at: created.created_at,
      status: {
        value: "ACTIVE",
        reason: "DEPLOYING",
        details: {
          last_successful_healthcheck: created.created_at,
          last_status_change: created.created_at,
        },
        canary: { steps: { current: 1, total: 2 } },
      },
      strategy: "canary",
      options: {
        max_in_flight: 2,
        canary: { steps: [{ instance_weight: 50 }, { instance_weight: 100 }] },
      },
      droplet: { guid: api?.stagedDropletGuid },
      previous_droplet: { guid: expect.any(String) },
      new_processes: [{ guid: created.new_processes[0]?.guid, type: "web" }],
      revision: null,
      relationships: { app: { data: { guid: api?.guid } } },
      metadata: { labels: {}, annotations: {} },
      links: {
        self: { href: self },
        app: { href: `${sim.url}/v3/apps/${api?.guid}` },
        cancel: { href: `${self}/actions/cancel`, method: "POST" },
      },
    });
  });
});

describe("a canary created with an empty steps list", () => {
  // CC deployment_presenter.rb: `total: canary_steps&.length || 1` (0 is truthy in Ruby), and
  // `options.canary` is shown whenever canary_steps is set, even to [].
  it("echoes steps [] and counts a total of 0", async ({ sim }) => {
    const api = seededApp(sim, "api");
    const result = await createDeployment(sim, "developer", {
      relationships: { app: { data: { guid: api?.guid } } },
      droplet: { guid: api?.stagedDropletGuid },
      strategy: "canary",
      options: { canary: { steps: [] } },
    });
    expect(result.status, result.text).toBe(201);
    const created = result.json as {
      guid: string;
      options: unknown;
      status: { canary: unknown };
    };
    expect(created.options).toEqual({ max_in_flight: 1, canary: { steps: [] } });
    expect(created.status.canary).toEqual({ steps: { current: 1, total: 0 } });
  });
});
