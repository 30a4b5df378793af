/**
 * `POST /v3/deployments`: validations with their exact 422 details
 * (CC `app/messages/deployment_create_message.rb`), roles, superseding and the stopped-app
 * branch (`app/actions/deployment_create.rb`).
 */
import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import {
  appGuid,
  asUser,
  call,
  cfError,
  createDeployment,
  createDeploymentFor,
  type DeploymentJson,
  expectCfError,
  getDeployment,
  it,
  messageParse,
  notAuthenticated,
  notAuthorized,
  pausedWebDeployment,
  seededApp,
  tokenFor,
  unprocessable,
  webDeployment,
} from "../support/index.js";

function appRef(sim: SimulatorHandle, name: string) {
  return { relationships: { app: { data: { guid: seededApp(sim, name).guid } } } };
}

const unprocessableBody = (detail: string) => cfError(10008, "CF-UnprocessableEntity", detail);

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
  ])("refuses %j with 422 %s", async ([body, detail], { sim }) => {
    const api = await asUser(sim, "developer");
    const answer = await api("POST", "/v3/deployments", { ...appRef(sim, "api"), ...body });
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual(unprocessableBody(detail));
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
    expect(missing.body).toEqual(unprocessableBody(detail));
    const noApp = await developer("POST", "/v3/deployments", {});
    expect(noApp.body).toEqual(unprocessableBody(detail));
    for (const user of ["manager", "auditor", "outsider"]) {
      const api = await asUser(sim, user);
      const answer = await api("POST", "/v3/deployments", appRef(sim, "api"));
      expect(answer.status).toBe(422);
      expect(answer.body).toEqual(unprocessableBody(detail));
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
      unprocessableBody(
        "Unable to assign current droplet. Ensure the droplet exists and belongs to this app.",
      ),
    );
    const none = await api("POST", "/v3/deployments", appRef(sim, "worker"));
    expect(none.body).toEqual(
      unprocessableBody(
        "Invalid droplet. Please specify a droplet in the request or set a current droplet for the app.",
      ),
    );
  });

  it("refuses a reader token (no cloud_controller.write) with 403 before validating", async ({
    sim,
  }) => {
    const api = await asUser(sim, "reader");
    const answer = await api("POST", "/v3/deployments", { strategy: "potato" });
    expectCfError(answer, notAuthorized);
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
    expect(answer.body).toEqual(unprocessableBody("Unknown field(s): 'strategy'"));
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

function apiBody(
  sim: SimulatorHandle,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    relationships: { app: { data: { guid: appGuid(sim, "api") } } },
    droplet: { guid: seededApp(sim, "api")?.stagedDropletGuid },
    ...extra,
  };
}

async function expect422(sim: SimulatorHandle, extra: Record<string, unknown>, detail: string) {
  const result = await createDeployment(sim, "developer", apiBody(sim, extra));
  expectCfError(result, unprocessable(detail));
}

describe("create: validations", () => {
  it.for<[string, Record<string, unknown>, string]>([
    [
      "rejects an unknown strategy",
      { strategy: "potato" },
      "Strategy 'potato' is not a supported deployment strategy",
    ],
    [
      "rejects options.canary on a rolling deployment",
      { strategy: "rolling", options: { canary: { steps: [{ instance_weight: 50 }] } } },
      "Options canary are only valid for Canary deployments",
    ],
    [
      "rejects options.canary when the strategy is left to default",
      { options: { canary: {} } },
      "Options canary are only valid for Canary deployments",
    ],
    [
      "rejects canary steps not sorted ascending",
      {
        strategy: "canary",
        options: { canary: { steps: [{ instance_weight: 50 }, { instance_weight: 20 }] } },
      },
      "Options canary steps instance weight must be sorted in ascending order",
    ],
    [
      "rejects canary steps that are not an array of objects",
      { strategy: "canary", options: { canary: { steps: [50] } } },
      "Options canary steps must be an array of objects",
    ],
    [
      "rejects a step with a key other than instance_weight",
      { strategy: "canary", options: { canary: { steps: [{ instance_weight: 50, foo: 1 }] } } },
      "Options canary steps has unsupported key(s): foo",
    ],
    [
      "rejects a negative web_instances",
      { options: { web_instances: -1 } },
      "Web instances must be greater than or equal to 0",
    ],
    [
      "rejects a web_instances that is not a number",
      { options: { web_instances: "abc" } },
      "Web instances is not a number",
    ],
    [
      "rejects an unknown option key as 'Options has unsupported key(s)'",
      { options: { foo: 1 } },
      "Options has unsupported key(s): foo",
    ],
    [
      "rejects options.canary that is not an object",
      { strategy: "canary", options: { canary: "yes" } },
      "Options canary must be an object",
    ],
  ])("%s", async ([, extra, detail], { sim }) => {
    await expect422(sim, extra, detail);
  });

  it("accepts repeated weights such as [20, 20]", async ({ sim }) => {
    const result = await createDeployment(
      sim,
      "developer",
      apiBody(sim, {
        strategy: "canary",
        options: { canary: { steps: [{ instance_weight: 20 }, { instance_weight: 20 }] } },
      }),
    );
    expect(result.status, result.text).toBe(201);
  });

  for (const weight of [0, 101, -5, 1.5, "50"]) {
    it(`rejects the instance weight ${JSON.stringify(weight)}`, async ({ sim }) => {
      await expect422(
        sim,
        { strategy: "canary", options: { canary: { steps: [{ instance_weight: weight }] } } },
        "Options canary steps instance weight must be an Integer between 1-100 (inclusive)",
      );
    });
  }

  it("accepts the boundary weights 1 and 100", async ({ sim }) => {
    const result = await createDeployment(
      sim,
      "developer",
      apiBody(sim, {
        strategy: "canary",
        options: { canary: { steps: [{ instance_weight: 1 }, { instance_weight: 100 }] } },
      }),
    );
    expect(result.status, result.text).toBe(201);
  });

  it("rejects a step without instance_weight", async ({ sim }) => {
    const result = await createDeployment(
      sim,
      "developer",
      apiBody(sim, { strategy: "canary", options: { canary: { steps: [{}] } } }),
    );
    expect(result.status).toBe(422);
    const detail = (result.json as { errors: Array<{ detail: string }> }).errors[0]?.detail;
    expect(detail).toContain('Options canary steps missing key: "instance_weight"');
  });

  for (const value of [0, -1, "2", 1.5]) {
    it(`rejects max_in_flight ${JSON.stringify(value)}`, async ({ sim }) => {
      await expect422(
        sim,
        { options: { max_in_flight: value } },
        "Max in flight must be an integer greater than 0",
      );
    });
  }

  it("rejects both droplet and revision, the message prefixed with its attribute (Droplet)", async ({
    sim,
  }) => {
    // errors.add(:droplet, ...) in deployment_create_message.rb; full_messages prefixes "Droplet".
    await expect422(
      sim,
      { revision: { guid: "some-revision" } },
      "Droplet Cannot set both fields 'droplet' and 'revision'",
    );
  });

  it("rejects an unknown app guid with 'Unable to use app'", async ({ sim }) => {
    const result = await createDeployment(sim, "developer", {
      relationships: { app: { data: { guid: "no-such-app" } } },
    });
    expectCfError(
      result,
      unprocessable("Unable to use app. Ensure that the app exists and you have access to it."),
    );
  });

  it("rejects a malformed JSON body with 400 CF-MessageParseError", async ({ sim }) => {
    const result = await call(sim, "POST", "/v3/deployments", {
      token: await tokenFor(sim, "developer"),
      rawBody: "{not json",
    });
    expectCfError(result, messageParse("Request invalid due to parse error: invalid request body"));
  });
});

describe("create: roles", () => {
  for (const role of ["admin", "developer", "supporter"]) {
    it(`lets the ${role} create a deployment (201)`, async ({ sim }) => {
      const result = await createDeployment(sim, role, apiBody(sim));
      expect(result.status, result.text).toBe(201);
    });
  }

  for (const role of ["manager", "auditor", "outsider"]) {
    it(`answers 422 'Unable to use app' to the ${role}`, async ({ sim }) => {
      expectCfError(
        await createDeployment(sim, role, apiBody(sim)),
        unprocessable("Unable to use app. Ensure that the app exists and you have access to it."),
      );
    });
  }

  it("answers 403 to a token without cloud_controller.write", async ({ sim }) => {
    expectCfError(await createDeployment(sim, "reader", apiBody(sim)), notAuthorized);
  });

  it("answers 401 without a token", async ({ sim }) => {
    expectCfError(
      await call(sim, "POST", "/v3/deployments", { body: apiBody(sim) }),
      notAuthenticated,
    );
  });
});

describe("create: superseding and stopped apps", () => {
  it("supersedes a PAUSED canary: CANCELED state, FINALIZED/SUPERSEDED", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    const old = await getDeployment(sim, guid);
    const fresh = await createDeploymentFor(sim, "web", { droplet: { guid: old.droplet.guid } });
    const superseded = await getDeployment(sim, guid);
    expect(superseded.status.value).toBe("FINALIZED");
    expect(superseded.status.reason).toBe("SUPERSEDED");
    const admin = await tokenFor(sim, "admin");
    const canceled = await call(sim, "GET", `/v3/deployments?states=CANCELED`, { token: admin });
    expect(
      (canceled.json as { resources: Array<{ guid: string }> }).resources.map((d) => d.guid),
    ).toEqual([guid]);
    expect(`${fresh.status.value}/${fresh.status.reason}`).toBe("ACTIVE/DEPLOYING");
  });

  it("supersedes a DEPLOYING rolling deployment: DEPLOYED state, FINALIZED/SUPERSEDED", async ({
    sim,
  }) => {
    const first = await createDeploymentFor(sim, "api");
    await createDeploymentFor(sim, "api");
    const superseded = await getDeployment(sim, first.guid);
    expect(`${superseded.status.value}/${superseded.status.reason}`).toBe("FINALIZED/SUPERSEDED");
    const admin = await tokenFor(sim, "admin");
    const deployed = await call(
      sim,
      "GET",
      `/v3/deployments?states=DEPLOYED&app_guids=${appGuid(sim, "api")}`,
      { token: admin },
    );
    expect(
      (deployed.json as { resources: Array<{ guid: string }> }).resources.map((d) => d.guid),
    ).toEqual([first.guid]);
  });

  it("keeps at most one ACTIVE deployment per app", async ({ sim }) => {
    await createDeploymentFor(sim, "api");
    await createDeploymentFor(sim, "api", { strategy: "canary" });
    const third = await createDeploymentFor(sim, "api");
    const result = await call(
      sim,
      "GET",
      `/v3/deployments?status_values=ACTIVE&app_guids=${appGuid(sim, "api")}`,
      { token: await tokenFor(sim, "admin") },
    );
    expect(
      (result.json as { resources: Array<{ guid: string }> }).resources.map((d) => d.guid),
    ).toEqual([third.guid]);
  });

  it("finalizes a rolling deployment for a stopped app at once and does not supersede other apps", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const created = await createDeploymentFor(sim, "worker");
    expect(`${created.status.value}/${created.status.reason}`).toBe("FINALIZED/DEPLOYED");
    expect(created.droplet.guid).toBe(seededApp(sim, "worker")?.stagedDropletGuid);
    expect((await getDeployment(sim, guid)).status.reason).toBe("PAUSED");
  });

  it("starts the stopped app", async ({ sim }) => {
    await createDeploymentFor(sim, "worker");
    const result = await call(sim, "GET", `/v3/apps/${appGuid(sim, "worker")}`, {
      token: await tokenFor(sim, "admin"),
    });
    expect((result.json as { state: string }).state).toBe("STARTED");
  });

  it("records previous_droplet as the app's droplet before the deployment", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    const canary = await getDeployment(sim, guid);
    const next = await createDeploymentFor(sim, "web", { droplet: { guid: canary.droplet.guid } });
    expect(next.previous_droplet?.guid).toBe(canary.droplet.guid);
  });
});

describe("create: more validations", () => {
  it("joins several validation messages with ', '", async ({ sim }) => {
    const result = await createDeployment(
      sim,
      "developer",
      apiBody(sim, { strategy: "potato", options: { max_in_flight: 0 } }),
    );
    expectCfError(
      result,
      unprocessable(
        "Strategy 'potato' is not a supported deployment strategy, Max in flight must be an integer greater than 0",
      ),
    );
  });

  it("accepts web_instances 0", async ({ sim }) => {
    const result = await createDeployment(
      sim,
      "developer",
      apiBody(sim, { options: { web_instances: 0 } }),
    );
    expect(result.status, result.text).toBe(201);
  });

  it("rejects memory_in_mb 0 and disk_in_mb 0 as not greater than 0", async ({ sim }) => {
    for (const key of ["memory_in_mb", "disk_in_mb"]) {
      const result = await createDeployment(
        sim,
        "developer",
        apiBody(sim, { options: { [key]: 0 } }),
      );
      expect(result.status, key).toBe(422);
      const detail = (result.json as { errors: Array<{ detail: string }> }).errors[0]?.detail;
      expect(detail, key).toMatch(/must be greater than 0$/);
    }
  });

  it("accepts log_rate_limit_in_bytes_per_second -1 and rejects -2", async ({ sim }) => {
    const ok = await createDeployment(
      sim,
      "developer",
      apiBody(sim, { options: { log_rate_limit_in_bytes_per_second: -1 } }),
    );
    expect(ok.status, ok.text).toBe(201);
    expect((ok.json as { options: Record<string, unknown> }).options).toEqual({
      max_in_flight: 1,
      log_rate_limit_in_bytes_per_second: -1,
    });
    const bad = await createDeployment(
      sim,
      "developer",
      apiBody(sim, { options: { log_rate_limit_in_bytes_per_second: -2 } }),
    );
    expect(bad.status, bad.text).toBe(422);
  });

  it("echoes memory_in_mb and disk_in_mb in options when given", async ({ sim }) => {
    const created = await createDeploymentFor(sim, "api", {
      options: { memory_in_mb: 512, disk_in_mb: 1024 },
    });
    expect(created.options).toEqual({ max_in_flight: 1, memory_in_mb: 512, disk_in_mb: 1024 });
  });

  it("reports both the missing key and the weight range for a step without instance_weight", async ({
    sim,
  }) => {
    await expect422(
      sim,
      { strategy: "canary", options: { canary: { steps: [{}] } } },
      'Options canary steps missing key: "instance_weight", Options canary steps instance weight must be an Integer between 1-100 (inclusive)',
    );
  });

  it("uses the app's current droplet when no droplet is given", async ({ sim }) => {
    const result = await createDeployment(sim, "developer", {
      relationships: { app: { data: { guid: appGuid(sim, "api") } } },
    });
    expect(result.status, result.text).toBe(201);
    const body = result.json as { droplet: { guid: string }; previous_droplet: { guid: string } };
    expect(body.droplet.guid).toBe(body.previous_droplet.guid);
  });
});

describe("create: droplet and revision sources", () => {
  // CC deployments_controller.rb#create: no app here has revisions enabled.
  it("refuses a revision for an app without revisions enabled with 422", async ({ sim }) => {
    const result = await createDeployment(sim, "developer", {
      relationships: { app: { data: { guid: appGuid(sim, "api") } } },
      revision: { guid: "some-revision" },
    });
    expectCfError(
      result,
      unprocessable(
        "Cannot create deployment from a revision for an app without revisions enabled",
      ),
    );
  });

  // CC deployment_create.rb AppDropletSource.
  it("refuses an app without a current droplet (the seeded worker) when no droplet is given", async ({
    sim,
  }) => {
    const result = await createDeployment(sim, "admin", {
      relationships: { app: { data: { guid: appGuid(sim, "worker") } } },
    });
    expectCfError(
      result,
      unprocessable(
        "Invalid droplet. Please specify a droplet in the request or set a current droplet for the app.",
      ),
    );
  });
});

describe("create: scaling options as ProcessScaleMessage validates them", () => {
  async function detail(sim: SimulatorHandle, options: Record<string, unknown>): Promise<unknown> {
    const result = await createDeployment(sim, "developer", {
      relationships: { app: { data: { guid: appGuid(sim, "api") } } },
      options,
    });
    expect(result.status, result.text).toBe(422);
    return (result.json as { errors: Array<{ detail: string }> }).errors[0]?.detail;
  }

  // CC deployment_create_message.rb#validate_options: scaling options first, then max_in_flight.
  it("reports the scaling options before max_in_flight", async ({ sim }) => {
    expect(await detail(sim, { max_in_flight: 0, web_instances: -1 })).toBe(
      "Web instances must be greater than or equal to 0, Max in flight must be an integer greater than 0",
    );
  });

  // CC process_scale_message.rb: less_than_or_equal_to MAX_DB_INT / MAX_DB_BIGINT.
  it("caps web_instances, memory_in_mb and disk_in_mb at the database integer maximum", async ({
    sim,
  }) => {
    expect(await detail(sim, { web_instances: 2147483648 })).toBe(
      "Web instances must be less than or equal to 2147483647",
    );
    expect(await detail(sim, { memory_in_mb: 2147483648, disk_in_mb: 2147483648 })).toBe(
      "Memory in mb must be less than or equal to 2147483647, Disk in mb must be less than or equal to 2147483647",
    );
  });
});
