/**
 * Facts found in review against CC's own source and request specs, each with the file it comes
 * from (reference §1.3, §3.1 step 7, §3.3, §5).
 */
import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import {
  action,
  appGuid,
  call,
  createDeployment,
  expectCfError,
  it,
  pausedWebDeployment,
  seededApp,
  tokenFor,
} from "../support/index.js";

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

describe("create: droplet and revision sources", () => {
  // CC deployments_controller.rb#create: no app here has revisions enabled.
  it("refuses a revision for an app without revisions enabled with 422", async ({ sim }) => {
    const result = await createDeployment(sim, "developer", {
      relationships: { app: { data: { guid: appGuid(sim, "api") } } },
      revision: { guid: "some-revision" },
    });
    expectCfError(
      result,
      422,
      10008,
      "CF-UnprocessableEntity",
      "Cannot create deployment from a revision for an app without revisions enabled",
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
      422,
      10008,
      "CF-UnprocessableEntity",
      "Invalid droplet. Please specify a droplet in the request or set a current droplet for the app.",
    );
  });
});

describe("X-VCAP-Request-ID", () => {
  // CC vcap_request_context_setter.rb: `presence` skips an empty X-VCAP-Request-ID.
  it("falls back to X-Request-ID when X-VCAP-Request-ID is empty", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/info", {
      headers: { "X-VCAP-Request-ID": "", "X-Request-ID": "req-7" },
    });
    expect(result.headers.get("x-vcap-request-id")).toMatch(
      /^req-7::[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });
});

describe("list: pagination hrefs exactly as CC writes them", () => {
  // CC paginated_list_presenter.rb: per_page, order_by and the filters, then `Hash#to_query`,
  // which CGI-escapes each pair and sorts them.
  it("sorts the parameters and escapes the comma between filter values", async ({ sim }) => {
    const web = appGuid(sim, "web");
    const result = await call(
      sim,
      "GET",
      `/v3/deployments?status_values=ACTIVE,FINALIZED&app_guids=${web}&order_by=-created_at&per_page=1`,
      { token: await tokenFor(sim, "admin") },
    );
    expect(result.status, result.text).toBe(200);
    const base = `${sim.url}/v3/deployments`;
    const rest = `per_page=1&status_values=ACTIVE%2CFINALIZED`;
    expect((result.json as { pagination: unknown }).pagination).toEqual({
      total_results: 1,
      total_pages: 1,
      first: { href: `${base}?app_guids=${web}&order_by=-created_at&page=1&${rest}` },
      last: { href: `${base}?app_guids=${web}&order_by=-created_at&page=1&${rest}` },
      next: null,
      previous: null,
    });
  });

  it("links the cf CLI's latest-active-deployment query in CC's order", async ({ sim }) => {
    const web = appGuid(sim, "web");
    const result = await call(
      sim,
      "GET",
      `/v3/deployments?app_guids=${web}&status_values=ACTIVE&order_by=-created_at&per_page=1&page=1`,
      { token: await tokenFor(sim, "developer") },
    );
    expect(result.status, result.text).toBe(200);
    const pagination = (result.json as { pagination: { first: { href: string } } }).pagination;
    expect(pagination.first.href).toBe(
      `${sim.url}/v3/deployments?app_guids=${web}&order_by=-created_at&page=1&per_page=1&status_values=ACTIVE`,
    );
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
      422,
      10008,
      "CF-UnprocessableEntity",
      "Cannot continue a deployment with status: FINALIZED and reason: DEPLOYED",
    );
    expectCfError(
      await action(sim, "developer", created.guid, "cancel"),
      422,
      10008,
      "CF-UnprocessableEntity",
      "Cannot cancel a deployment with status: FINALIZED and reason: DEPLOYED",
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

describe("X-VCAP-Request-ID sanitizing", () => {
  // CC vcap_request_context_setter.rb: a present id is always followed by `::<uuid>`, even when
  // nothing of it survives the sanitizing.
  it("answers ::<uuid> to an id made only of characters it strips", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/info", { headers: { "X-VCAP-Request-ID": "!!!" } });
    expect(result.headers.get("x-vcap-request-id")).toMatch(
      /^::[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it("keeps word characters and dashes only, and at most 255 of them", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/info", {
      headers: { "X-VCAP-Request-ID": `a.b c/d-e_${"x".repeat(300)}` },
    });
    const id = result.headers.get("x-vcap-request-id") ?? "";
    const [kept = "", uuid = ""] = id.split("::");
    expect(kept).toBe(`abcd-e_${"x".repeat(248)}`);
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
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

describe("list: several query errors", () => {
  // CC list_message.rb declares the pagination validators; deployments_list_message.rb adds
  // NoAdditionalParamsValidator after them, so its message comes last.
  it("reports per_page before the unknown parameter", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/deployments?foo=1&per_page=0", {
      token: await tokenFor(sim, "admin"),
    });
    expectCfError(
      result,
      400,
      10005,
      "CF-BadQueryParameter",
      "The query parameter is invalid: Per page must be a positive integer, Unknown query parameter(s): 'foo'. Valid parameters are: 'page', 'per_page', 'order_by', 'created_ats', 'updated_ats', 'guids', 'label_selector', 'app_guids', 'states', 'status_reasons', 'status_values'",
    );
  });
});
