import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import {
  action,
  asUser,
  cfError,
  type DeploymentJson,
  it,
  seededApp,
  webDeployment,
} from "../support/index.js";

function appRef(sim: SimulatorHandle, name: string) {
  return { relationships: { app: { data: { guid: seededApp(sim, name).guid } } } };
}

const unprocessable = (detail: string) => cfError(10008, "CF-UnprocessableEntity", detail);

describe("POST /v3/deployments", () => {
  it("creates a rolling deployment by default, 201 with the deployment and an audit event", async ({
    startSim,
  }) => {
    let now = Date.parse("2026-03-01T10:00:00.250Z");
    const sim = await startSim({ now: () => now });
    now += 1000;
    const api = await asUser(sim, "developer");
    const app = seededApp(sim, "api");
    const answer = await api("POST", "/v3/deployments", {
      droplet: { guid: app.stagedDropletGuid },
      ...appRef(sim, "api"),
      metadata: { labels: { release: "42" } },
    });
    expect(answer.status).toBe(201);
    const body = answer.body as DeploymentJson;
    expect(body).toEqual({
      guid: expect.any(String),
      created_at: "2026-03-01T10:00:01Z",
      updated_at: "2026-03-01T10:00:01Z",
      status: {
        value: "ACTIVE",
        reason: "DEPLOYING",
        details: {
          last_successful_healthcheck: "2026-03-01T10:00:01Z",
          last_status_change: "2026-03-01T10:00:01Z",
        },
      },
      strategy: "rolling",
      options: { max_in_flight: 1 },
      droplet: { guid: app.stagedDropletGuid },
      previous_droplet: { guid: expect.any(String) },
      new_processes: [{ guid: expect.any(String), type: "web" }],
      revision: null,
      relationships: { app: { data: { guid: app.guid } } },
      metadata: { labels: { release: "42" }, annotations: {} },
      links: {
        self: { href: `${sim.url}/v3/deployments/${body.guid}` },
        app: { href: `${sim.url}/v3/apps/${app.guid}` },
        cancel: { href: `${sim.url}/v3/deployments/${body.guid}/actions/cancel`, method: "POST" },
      },
    });
    const current = (await api("GET", `/v3/apps/${app.guid}/droplets/current`)).body as {
      guid: string;
    };
    expect(current.guid).toBe(app.stagedDropletGuid);
    const [event] = await sim.control.auditEvents({ types: ["audit.app.deployment.create"] });
    expect(event).toMatchObject({
      type: "audit.app.deployment.create",
      actor: { type: "user", name: "developer@example.com" },
      target: { guid: app.guid, type: "app", name: "api" },
      data: { deployment_guid: body.guid, droplet_guid: app.stagedDropletGuid },
    });
  });

  it("creates a canary in PREPAUSED: ACTIVE/DEPLOYING at step 1 of N, no continue link", async ({
    sim,
  }) => {
    const api = await asUser(sim, "supporter");
    const answer = await api("POST", "/v3/deployments", {
      strategy: "canary",
      options: {
        max_in_flight: 2,
        canary: { steps: [{ instance_weight: 20 }, { instance_weight: 20 }] },
      },
      ...appRef(sim, "api"),
    });
    expect(answer.status).toBe(201);
    const body = answer.body as DeploymentJson;
    expect(body.status.canary).toEqual({ steps: { current: 1, total: 2 } });
    expect(body.options).toEqual({
      max_in_flight: 2,
      canary: { steps: [{ instance_weight: 20 }, { instance_weight: 20 }] },
    });
    expect(Object.keys(body.links)).toEqual(["self", "app", "cancel"]);
  });

  it("shows a canary without steps as one step of one", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const answer = await api("POST", "/v3/deployments", {
      strategy: "canary",
      ...appRef(sim, "api"),
    });
    const body = answer.body as DeploymentJson;
    expect(body.status.canary).toEqual({ steps: { current: 1, total: 1 } });
    expect(body.options).toEqual({ max_in_flight: 1 });
    await sim.control.tick();
    await api("POST", `/v3/deployments/${body.guid}/actions/continue`);
    const after = (await api("GET", `/v3/deployments/${body.guid}`)).body as DeploymentJson;
    expect(after.status).toMatchObject({
      reason: "DEPLOYING",
      canary: { steps: { current: 1, total: 1 } },
    });
  });

  it("finalizes a deployment of a stopped app at once, even a canary, and starts the app", async ({
    sim,
  }) => {
    const api = await asUser(sim, "developer");
    const worker = seededApp(sim, "worker");
    const answer = await api("POST", "/v3/deployments", {
      strategy: "canary",
      droplet: { guid: worker.stagedDropletGuid },
      options: { canary: { steps: [{ instance_weight: 50 }] } },
      ...appRef(sim, "worker"),
    });
    expect(answer.status).toBe(201);
    const body = answer.body as DeploymentJson;
    expect(body.status).toMatchObject({ value: "FINALIZED", reason: "DEPLOYED" });
    expect(body.new_processes).toEqual([]);
    expect(body.previous_droplet).toEqual({ guid: null });
    expect(Object.keys(body.links)).toEqual(["self", "app"]);
    const app = (await api("GET", `/v3/apps/${worker.guid}`)).body as { state: string };
    expect(app.state).toBe("STARTED");
  });

  it("supersedes a PAUSED canary as CANCELED/SUPERSEDED", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    await sim.control.tick();
    const answer = await api("POST", "/v3/deployments", appRef(sim, "web"));
    expect(answer.status).toBe(201);
    const old = (await api("GET", `/v3/deployments/${webDeployment(sim)}`)).body as DeploymentJson;
    expect(old.status).toMatchObject({ value: "FINALIZED", reason: "SUPERSEDED" });
    const canceled = await api("GET", "/v3/deployments?states=CANCELED");
    expect((canceled.body as { resources: DeploymentJson[] }).resources.map((d) => d.guid)).toEqual(
      [webDeployment(sim)],
    );
  });

  it("supersedes a DEPLOYING rolling deployment as DEPLOYED/SUPERSEDED", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const first = (await api("POST", "/v3/deployments", appRef(sim, "api"))).body as DeploymentJson;
    await api("POST", "/v3/deployments", appRef(sim, "api"));
    const old = (await api("GET", `/v3/deployments/${first.guid}`)).body as DeploymentJson;
    expect(old.status).toMatchObject({ value: "FINALIZED", reason: "SUPERSEDED" });
    const deployed = await api(
      "GET",
      `/v3/deployments?states=DEPLOYED&app_guids=${seededApp(sim, "api").guid}`,
    );
    expect((deployed.body as { resources: DeploymentJson[] }).resources.map((d) => d.guid)).toEqual(
      [first.guid],
    );
  });

  it("supersedes a CANCELING deployment as CANCELED/SUPERSEDED", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    await api("POST", `/v3/deployments/${webDeployment(sim)}/actions/cancel`);
    await api("POST", "/v3/deployments", appRef(sim, "web"));
    const old = await api("GET", `/v3/deployments?states=CANCELED&status_reasons=SUPERSEDED`);
    expect((old.body as { resources: DeploymentJson[] }).resources.map((d) => d.guid)).toEqual([
      webDeployment(sim),
    ]);
  });

  it.for<[Record<string, unknown>, string]>([
    [{ strategy: "potato" }, "Strategy 'potato' is not a supported deployment strategy"],
    [{ options: { canary: {} } }, "Options canary are only valid for Canary deployments"],
    [{ potato: 1, tomato: 2 }, "Unknown field(s): 'potato', 'tomato'"],
    [{ options: { max_in_flight: 0 } }, "Max in flight must be an integer greater than 0"],
    [{ options: { max_in_flight: "2" } }, "Max in flight must be an integer greater than 0"],
    [{ options: { speed: 1 } }, "Options has unsupported key(s): speed"],
    [{ options: "fast" }, "Options must be an object"],
    [{ options: { web_instances: "x" } }, "Web instances is not a number"],
    [{ options: { web_instances: -1 } }, "Web instances must be greater than or equal to 0"],
    [{ options: { memory_in_mb: 0 } }, "Memory in mb must be greater than 0"],
    [{ options: { disk_in_mb: -5 } }, "Disk in mb must be greater than 0"],
    [
      { options: { log_rate_limit_in_bytes_per_second: -2 } },
      "Log rate limit in bytes per second must be greater than or equal to -1",
    ],
    [
      { droplet: { guid: "a" }, revision: { guid: "b" } },
      "Droplet Cannot set both fields 'droplet' and 'revision'",
    ],
    [{ strategy: "canary", options: { canary: "x" } }, "Options canary must be an object"],
    [
      { strategy: "canary", options: { canary: { steps: [1, 2] } } },
      "Options canary steps must be an array of objects",
    ],
    [
      { strategy: "canary", options: { canary: { steps: [{ instance_weight: 50, x: 1 }] } } },
      "Options canary steps has unsupported key(s): x",
    ],
    [
      { strategy: "canary", options: { canary: { steps: [{}] } } },
      'Options canary steps missing key: "instance_weight", Options canary steps instance weight must be an Integer between 1-100 (inclusive)',
    ],
    [
      { strategy: "canary", options: { canary: { steps: [{ instance_weight: 0 }] } } },
      "Options canary steps instance weight must be an Integer between 1-100 (inclusive)",
    ],
    [
      { strategy: "canary", options: { canary: { steps: [{ instance_weight: 101 }] } } },
      "Options canary steps instance weight must be an Integer between 1-100 (inclusive)",
    ],
    [
      { strategy: "canary", options: { canary: { steps: [{ instance_weight: 2.5 }] } } },
      "Options canary steps instance weight must be an Integer between 1-100 (inclusive)",
    ],
    [
      {
        strategy: "canary",
        options: { canary: { steps: [{ instance_weight: 50 }, { instance_weight: 20 }] } },
      },
      "Options canary steps instance weight must be sorted in ascending order",
    ],
    [
      { strategy: "potato", options: { max_in_flight: -1 } },
      "Strategy 'potato' is not a supported deployment strategy, Max in flight must be an integer greater than 0",
    ],
  ])("refuses %j with 422 %s", async ([body, detail], { startSim }) => {
    const sim = await startSim();
    const api = await asUser(sim, "developer");
    const answer = await api("POST", "/v3/deployments", { ...appRef(sim, "api"), ...body });
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual(unprocessable(detail));
    expect(await sim.control.auditEvents()).toEqual([]);
  });

  it("refuses a missing app, or one the caller cannot manage, with 422 Unable to use app", async ({
    sim,
  }) => {
    const detail = "Unable to use app. Ensure that the app exists and you have access to it.";
    const developer = await asUser(sim, "developer");
    const missing = await developer("POST", "/v3/deployments", {
      relationships: { app: { data: { guid: "nope" } } },
    });
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual(unprocessable(detail));
    const noApp = await developer("POST", "/v3/deployments", {});
    expect(noApp.body).toEqual(unprocessable(detail));
    for (const user of ["manager", "auditor", "outsider"]) {
      const api = await asUser(sim, user);
      const answer = await api("POST", "/v3/deployments", appRef(sim, "api"));
      expect(answer.status).toBe(422);
      expect(answer.body).toEqual(unprocessable(detail));
    }
  });

  it("refuses a droplet of another app and an app without any droplet", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const foreign = await api("POST", "/v3/deployments", {
      droplet: { guid: seededApp(sim, "web").stagedDropletGuid },
      ...appRef(sim, "api"),
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body).toEqual(
      unprocessable(
        "Unable to assign current droplet. Ensure the droplet exists and belongs to this app.",
      ),
    );
    const none = await api("POST", "/v3/deployments", appRef(sim, "worker"));
    expect(none.body).toEqual(
      unprocessable(
        "Invalid droplet. Please specify a droplet in the request or set a current droplet for the app.",
      ),
    );
  });

  it("refuses a reader token (no cloud_controller.write) with 403 before validating", async ({
    sim,
  }) => {
    const api = await asUser(sim, "reader");
    const answer = await api("POST", "/v3/deployments", { strategy: "potato" });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual(
      cfError(10003, "CF-NotAuthorized", "You are not authorized to perform the requested action"),
    );
  });
});

describe("PATCH /v3/deployments/:guid", () => {
  it("updates labels and annotations, null deleting a key", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const guid = webDeployment(sim);
    await api("PATCH", `/v3/deployments/${guid}`, {
      metadata: { labels: { a: "1", b: "2" }, annotations: { note: "x" } },
    });
    const answer = await api("PATCH", `/v3/deployments/${guid}`, {
      metadata: { labels: { a: null } },
    });
    expect(answer.status).toBe(200);
    expect((answer.body as { metadata: unknown }).metadata).toEqual({
      labels: { b: "2" },
      annotations: { note: "x" },
    });
  });

  it("refuses other fields with 422", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const answer = await api("PATCH", `/v3/deployments/${webDeployment(sim)}`, {
      strategy: "canary",
    });
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual(unprocessable("Unknown field(s): 'strategy'"));
  });

  it("answers readers who cannot write with 403 and strangers with 404", async ({ sim }) => {
    const body = { metadata: { labels: { a: "1" } } };
    for (const [user, status] of [
      ["manager", 403],
      ["auditor", 403],
      ["supporter", 403],
      ["outsider", 404],
      ["admin", 200],
    ] as const) {
      const api = await asUser(sim, user);
      const answer = await api("PATCH", `/v3/deployments/${webDeployment(sim)}`, body);
      expect([user, answer.status]).toEqual([user, status]);
    }
  });
});
