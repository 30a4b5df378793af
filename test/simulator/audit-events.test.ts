/**
 * `GET /v3/audit_events` for deployment create/continue/cancel (CC `app/repositories/deployment_event_repository.rb`).
 */
import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import {
  action,
  appGuid,
  asUser,
  call,
  clientTokenFor,
  createDeploymentFor,
  ISO_SECONDS,
  it,
  type List,
  pausedWebDeployment,
  seededApp,
  seededClient,
  tokenFor,
  webDeployment,
} from "../support/index.js";

interface AuditEvent {
  guid: string;
  type: string;
  created_at: string;
  actor: { guid: string; type: string; name: string };
  target: { guid: string; type: string; name: string };
  data: Record<string, unknown>;
}

async function events(sim: SimulatorHandle, query: string, user = "admin"): Promise<AuditEvent[]> {
  const result = await call(sim, "GET", `/v3/audit_events${query}`, {
    token: await tokenFor(sim, user),
  });
  expect(result.status, result.text).toBe(200);
  const body = result.json as { resources: AuditEvent[]; pagination: unknown };
  expect(body.pagination).toEqual(expect.objectContaining({ total_results: expect.any(Number) }));
  return body.resources;
}

describe("audit events", () => {
  it("records a continue against the app, with the deployment guid in data", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    const found = await events(sim, "?types=audit.app.deployment.continue");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      guid: expect.any(String),
      type: "audit.app.deployment.continue",
      created_at: expect.stringMatching(ISO_SECONDS),
      actor: { guid: expect.any(String), type: "user" },
      target: { guid: appGuid(sim, "web"), type: "app", name: "web" },
      data: { deployment_guid: guid },
    });
  });

  it("records a cancel as audit.app.deployment.cancel", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "supporter", guid, "cancel")).status).toBe(200);
    const found = await events(sim, "?types=audit.app.deployment.cancel");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      type: "audit.app.deployment.cancel",
      target: { guid: appGuid(sim, "web"), type: "app", name: "web" },
      data: { deployment_guid: guid },
    });
  });

  it("records a create as audit.app.deployment.create", async ({ sim }) => {
    const created = await createDeploymentFor(sim, "api");
    const found = await events(
      sim,
      `?types=audit.app.deployment.create&target_guids=${appGuid(sim, "api")}`,
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      type: "audit.app.deployment.create",
      target: { guid: appGuid(sim, "api"), type: "app", name: "api" },
      data: { deployment_guid: created.guid },
    });
  });

  it("puts the create's droplet, type, revision, request body and strategy in data", async ({
    sim,
  }) => {
    const app = seededApp(sim, "api");
    const request = {
      relationships: { app: { data: { guid: app.guid } } },
      droplet: { guid: app.stagedDropletGuid },
      strategy: "canary",
      options: { max_in_flight: 2 },
    };
    const created = await call(sim, "POST", "/v3/deployments", {
      token: await tokenFor(sim, "admin"),
      body: request,
    });
    expect(created.status, created.text).toBe(201);
    const [event] = await events(sim, "?types=audit.app.deployment.create");
    expect(event?.data).toStrictEqual({
      deployment_guid: (created.json as { guid: string }).guid,
      droplet_guid: app.stagedDropletGuid,
      type: null,
      revision_guid: null,
      request,
      strategy: "canary",
    });
  });

  it("records strategy rolling for a create that names no strategy", async ({ sim }) => {
    const created = await createDeploymentFor(sim, "api");
    const [event] = await events(sim, "?types=audit.app.deployment.create");
    expect(event?.data).toMatchObject({ deployment_guid: created.guid, strategy: "rolling" });
    expect(event?.data["request"]).not.toHaveProperty("strategy");
  });

  it("records a null strategy in the request as the rolling it became", async ({ sim }) => {
    await createDeploymentFor(sim, "api", { strategy: null });
    const [event] = await events(sim, "?types=audit.app.deployment.create");
    expect(event?.data["request"]).toMatchObject({ strategy: "rolling" });
  });

  it("records nothing for a refused continue", async ({ sim }) => {
    const created = await createDeploymentFor(sim, "api");
    expect((await action(sim, "developer", created.guid, "continue")).status).toBe(422);
    expect((await action(sim, "auditor", created.guid, "continue")).status).toBe(404);
    expect(await events(sim, "?types=audit.app.deployment.continue")).toEqual([]);
  });

  it("filters by several types and by target_guids", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    await createDeploymentFor(sim, "api");
    const both = await events(
      sim,
      "?types=audit.app.deployment.continue,audit.app.deployment.cancel",
    );
    expect(both.map((e) => e.type).sort()).toEqual([
      "audit.app.deployment.cancel",
      "audit.app.deployment.continue",
    ]);
    const forWeb = await events(sim, `?target_guids=${appGuid(sim, "web")}`);
    expect(forWeb.every((e) => e.target.guid === appGuid(sim, "web"))).toBe(true);
    expect(forWeb.map((e) => e.type)).toEqual(
      expect.arrayContaining(["audit.app.deployment.continue", "audit.app.deployment.cancel"]),
    );
    const forApi = await events(
      sim,
      `?types=audit.app.deployment.create&target_guids=${appGuid(sim, "api")}`,
    );
    expect(forApi).toHaveLength(1);
  });

  it("names the acting client when a client-credentials token continues", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    const result = await call(sim, "POST", `/v3/deployments/${guid}/actions/continue`, {
      token: await clientTokenFor(sim, "promoter"),
    });
    expect(result.status).toBe(200);
    const found = await events(sim, "?types=audit.app.deployment.continue");
    expect(found).toHaveLength(1);
    expect(found[0]?.actor.guid).toBe(seededClient(sim, "promoter")?.clientId);
  });

  it("exposes the same events through the control API", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    const viaControl = await sim.control.auditEvents({ types: ["audit.app.deployment.continue"] });
    expect(viaControl).toHaveLength(1);
    expect(viaControl[0]).toMatchObject({
      type: "audit.app.deployment.continue",
      target: { guid: appGuid(sim, "web"), type: "app" },
      data: { deployment_guid: guid },
    });
  });

  it("answers 401 without a token", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/audit_events");
    expect(result.status).toBe(401);
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
});

describe("audit events: V3 shape", () => {
  it("renders the V3 audit event with space, organization and a self link", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    const found = await events(sim, "?types=audit.app.deployment.continue");
    expect(found[0]).toEqual({
      guid: expect.any(String),
      created_at: expect.stringMatching(ISO_SECONDS),
      updated_at: expect.stringMatching(ISO_SECONDS),
      type: "audit.app.deployment.continue",
      actor: { guid: expect.any(String), type: "user", name: expect.any(String) },
      target: { guid: appGuid(sim, "web"), type: "app", name: "web" },
      data: expect.objectContaining({ deployment_guid: guid }),
      space: { guid: sim.space.guid },
      organization: { guid: sim.org.guid },
      links: { self: { href: `${sim.url}/v3/audit_events/${found[0]?.guid}` } },
    });
  });

  it("filters by space_guids and organization_guids", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    expect(
      await events(sim, `?types=audit.app.deployment.continue&space_guids=${sim.space.guid}`),
    ).toHaveLength(1);
    expect(
      await events(sim, `?types=audit.app.deployment.continue&organization_guids=${sim.org.guid}`),
    ).toHaveLength(1);
    expect(await events(sim, "?space_guids=nope")).toEqual([]);
  });

  it("shows the outsider none of the space's events", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    expect(await events(sim, "", "outsider")).toEqual([]);
  });
});

async function auditData(sim: SimulatorHandle, type: string): Promise<unknown[]> {
  const result = await call(sim, "GET", `/v3/audit_events?types=${type}`, {
    token: await tokenFor(sim, "admin"),
  });
  expect(result.status, result.text).toBe(200);
  return (result.json as { resources: Array<{ data: unknown }> }).resources.map((e) => e.data);
}

describe("audit event data", () => {
  // CC spec/unit/actions/deployment_continue_spec.rb: metadata is exactly these two keys.
  it("records the deployment's droplet guid and the deployment guid for a continue", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    expect(await auditData(sim, "audit.app.deployment.continue")).toEqual([
      { deployment_guid: guid, droplet_guid: seededApp(sim, "web")?.stagedDropletGuid },
    ]);
  });

  // CC app/repositories/deployment_event_repository.rb#record_cancel.
  it("records the deployment's droplet guid and the deployment guid for a cancel", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    expect(await auditData(sim, "audit.app.deployment.cancel")).toEqual([
      { deployment_guid: guid, droplet_guid: seededApp(sim, "web")?.stagedDropletGuid },
    ]);
  });
});

describe("audit event actor", () => {
  // CC deployment_event_repository.rb: actor_name is the user's email (`UserAuditInfo#user_email`),
  // and event_presenter.rb shows actor_name as actor.name.
  it("names a user by the email of the token", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    const token = await tokenFor(sim, "developer");
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    const claims = JSON.parse(
      Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"),
    ) as { user_id: string; email: string };
    const result = await call(sim, "GET", "/v3/audit_events?types=audit.app.deployment.continue", {
      token: await tokenFor(sim, "admin"),
    });
    const [event] = (result.json as { resources: Array<{ actor: unknown }> }).resources;
    expect(event?.actor).toEqual({ guid: claims.user_id, type: "user", name: claims.email });
    expect(claims.email).toBe("developer@example.com");
  });
});

describe("GET /v3/audit_events", () => {
  it("filters by types and target_guids and hides events from users without a role", async ({
    sim,
  }) => {
    const api = await asUser(sim, "developer");
    const guid = webDeployment(sim);
    await sim.control.tick();
    await api("POST", `/v3/deployments/${guid}/actions/continue`);
    await api("POST", "/v3/deployments", {
      relationships: { app: { data: { guid: seededApp(sim, "api").guid } } },
    });
    const types = async (query: string, as = api) =>
      ((await as("GET", `/v3/audit_events?${query}`)).body as List<{ type: string }>).resources.map(
        (e) => e.type,
      );
    expect(await types("")).toEqual([
      "audit.app.deployment.continue",
      "audit.app.deployment.create",
    ]);
    expect(await types("types=audit.app.deployment.create")).toEqual([
      "audit.app.deployment.create",
    ]);
    expect(await types(`target_guids=${seededApp(sim, "web").guid}`)).toEqual([
      "audit.app.deployment.continue",
    ]);
    expect(await types(`space_guids=${sim.space.guid}&types=audit.app.deployment.cancel`)).toEqual(
      [],
    );
    expect(await types("", await asUser(sim, "outsider"))).toEqual([]);
    expect(await types("", await asUser(sim, "auditor"))).toHaveLength(2);
  });

  it("matches GET /_sim/audit_events with filters", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    await api("POST", `/v3/deployments/${webDeployment(sim)}/actions/cancel`);
    const [event] = await sim.control.auditEvents({
      types: ["audit.app.deployment.cancel"],
      targetGuids: [seededApp(sim, "web").guid],
    });
    const viaApi = await api("GET", `/v3/audit_events/${event?.guid}`);
    expect(viaApi.body).toEqual(event);
    expect(await sim.control.auditEvents({ targetGuids: ["other"] })).toEqual([]);
  });
});
