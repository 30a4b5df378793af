/**
 * `GET /v3/deployments`: filters, the pagination envelope, order_by, unknown parameters and
 * per-role visibility (CC `app/messages/deployments_list_message.rb`,
 * `app/fetchers/deployment_list_fetcher.rb`).
 */
import { describe, expect } from "vitest";
import type { SeedDescription, SimulatorHandle } from "../../src/simulator/index.js";
import {
  action,
  appGuid,
  asUser,
  badQuery,
  call,
  cfError,
  createDeploymentFor,
  type DeploymentJson,
  expectCfError,
  expectCfErrorPrefix,
  it,
  pausedWebDeployment,
  test,
  tokenFor,
} from "../support/index.js";

interface Page {
  pagination: {
    total_results: number;
    total_pages: number;
    first: { href: string };
    last: { href: string };
    next: { href: string } | null;
    previous: { href: string } | null;
  };
  resources: DeploymentJson[];
}

/** Five apps with paused canaries, plus one without a deployment. */
function pausedFleetSeed(): SeedDescription {
  const apps = Array.from({ length: 5 }, (_, i) => ({
    name: `app-${i}`,
    instances: 2,
    deployment: { strategy: "canary" as const, steps: [50], paused: true },
  }));
  return {
    users: [{ username: "dev", roles: [{ type: "space_developer", org: "o", space: "s" }] }],
    orgs: [{ name: "o", spaces: [{ name: "s", apps: [...apps, { name: "idle" }] }] }],
  };
}

const bad = (message: string) =>
  cfError(10005, "CF-BadQueryParameter", `The query parameter is invalid: ${message}`);

describe("GET /v3/deployments", () => {
  test.override({ simOptions: { seed: pausedFleetSeed() } });

  it("paginates with the V3 envelope, links repeating the filters", async ({ startSim }) => {
    let now = Date.parse("2026-05-01T00:00:00Z");
    const sim = await startSim({ seed: pausedFleetSeed(), now: () => (now += 10) });
    const api = await asUser(sim, "dev");
    const base = `${sim.url}/v3/deployments`;
    const answer = await api("GET", "/v3/deployments?per_page=2&page=2&status_values=ACTIVE");
    expect(answer.status).toBe(200);
    const page = answer.body as Page;
    expect(page.pagination).toEqual({
      total_results: 5,
      total_pages: 3,
      first: { href: `${base}?page=1&per_page=2&status_values=ACTIVE` },
      last: { href: `${base}?page=3&per_page=2&status_values=ACTIVE` },
      next: { href: `${base}?page=3&per_page=2&status_values=ACTIVE` },
      previous: { href: `${base}?page=1&per_page=2&status_values=ACTIVE` },
    });
    expect(page.resources.map((d) => d.relationships)).toEqual([
      { app: { data: { guid: sim.apps["app-2"]?.guid } } },
      { app: { data: { guid: sim.apps["app-3"]?.guid } } },
    ]);
  });

  it("has one empty page when nothing matches", async ({ sim }) => {
    const api = await asUser(sim, "dev");
    const page = (await api("GET", "/v3/deployments?states=DEPLOYED")).body as Page;
    expect(page.pagination).toMatchObject({
      total_results: 0,
      total_pages: 1,
      next: null,
      previous: null,
    });
    expect(page.resources).toEqual([]);
  });

  it("orders by -created_at newest first, even within one second", async ({ startSim }) => {
    let now = Date.parse("2026-05-01T00:00:00Z");
    const sim = await startSim({ seed: pausedFleetSeed(), now: () => (now += 1) });
    const api = await asUser(sim, "dev");
    const page = (await api("GET", "/v3/deployments?order_by=-created_at")).body as Page;
    expect(page.resources.map((d) => d.relationships)).toEqual(
      ["app-4", "app-3", "app-2", "app-1", "app-0"].map((name) => ({
        app: { data: { guid: sim.apps[name]?.guid } },
      })),
    );
    expect(new Set(page.resources.map((d) => d.created_at)).size).toBe(1);
  });

  it("finds the latest active deployment the way the cf CLI asks for it", async ({ sim }) => {
    const api = await asUser(sim, "dev");
    const app = sim.apps["app-1"]?.guid;
    const page = (
      await api(
        "GET",
        `/v3/deployments?app_guids=${app}&status_values=ACTIVE&order_by=-created_at&per_page=1&page=1`,
      )
    ).body as Page;
    expect(page.resources.map((d) => d.guid)).toEqual([sim.deployments["app-1"]]);
  });

  it("filters OR within a parameter and AND across parameters", async ({ sim }) => {
    const api = await asUser(sim, "dev");
    const [a, b, c] = ["app-0", "app-1", "app-2"].map((n) => sim.deployments[n] ?? "");
    await api("POST", `/v3/deployments/${a}/actions/continue`);
    await api("POST", `/v3/deployments/${b}/actions/cancel`);
    const apps = ["app-0", "app-1", "app-2"].map((n) => sim.apps[n]?.guid).join(",");
    const guids = async (query: string) =>
      ((await api("GET", `/v3/deployments?${query}`)).body as Page).resources.map((d) => d.guid);
    expect(await guids("states=DEPLOYING,CANCELING")).toEqual([a, b]);
    expect(await guids("status_reasons=PAUSED")).toEqual(
      ["app-2", "app-3", "app-4"].map((n) => sim.deployments[n]),
    );
    expect(await guids(`app_guids=${apps}&status_reasons=PAUSED,CANCELING`)).toEqual([b, c]);
    expect(await guids(`app_guids=${apps}&status_values=FINALIZED`)).toEqual([]);
    expect(await guids("states=PREPAUSED")).toEqual([]);
    expect(await guids("states=potato")).toEqual([]);
    expect(await guids(`guids=${c}`)).toEqual([c]);
  });

  it("tells PREPAUSED from DEPLOYING only through the states filter", async ({ sim }) => {
    const api = await asUser(sim, "dev");
    const [a, b] = ["app-0", "app-1"].map((n) => sim.deployments[n] ?? "");
    await api("POST", `/v3/deployments/${a}/actions/continue`);
    await api("POST", "/v3/deployments", {
      strategy: "canary",
      options: { canary: { steps: [{ instance_weight: 50 }] } },
      relationships: { app: { data: { guid: sim.apps["app-1"]?.guid } } },
    });
    const page = (await api("GET", "/v3/deployments?states=PREPAUSED")).body as Page;
    expect(page.resources).toHaveLength(1);
    const prepaused = page.resources[0];
    const deploying = (await api("GET", `/v3/deployments/${a}`)).body as DeploymentJson;
    expect(prepaused?.status.value).toBe(deploying.status.value);
    expect(prepaused?.status.reason).toBe(deploying.status.reason);
    expect(prepaused?.guid).not.toBe(b);
  });

  it("filters by label_selector", async ({ sim }) => {
    const api = await asUser(sim, "dev");
    const [a, b, c] = ["app-0", "app-1", "app-2"].map((n) => sim.deployments[n] ?? "");
    await api("PATCH", `/v3/deployments/${a}`, {
      metadata: { labels: { env: "prod", tier: "1" } },
    });
    await api("PATCH", `/v3/deployments/${b}`, { metadata: { labels: { env: "dev" } } });
    await api("PATCH", `/v3/deployments/${c}`, { metadata: { labels: { env: "qa" } } });
    const guids = async (selector: string) =>
      (
        (await api("GET", `/v3/deployments?label_selector=${encodeURIComponent(selector)}`))
          .body as Page
      ).resources.map((d) => d.guid);
    expect(await guids("env=prod")).toEqual([a]);
    expect(await guids("env in (dev,qa)")).toEqual([b, c]);
    expect(await guids("env,!tier")).toEqual([b, c]);
    // As in CC, != and notin also match deployments without the label.
    expect(await guids("env!=prod,env notin (qa)")).toEqual([
      b,
      ...["app-3", "app-4"].map((n) => sim.deployments[n]),
    ]);
    expect(await guids("tier")).toEqual([a]);
    const invalid = await api("GET", "/v3/deployments?label_selector=%3D%3D");
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual(bad("Invalid label_selector value"));
  });

  it.for<[string, string]>([
    ["page=0", "Page must be a positive integer"],
    ["per_page=0", "Per page must be a positive integer"],
    ["per_page=5001", "Per page must be between 1 and 5000"],
    ["order_by=name", "Order by can only be: 'created_at', 'updated_at'"],
    [
      "page=x&order_by=guid",
      "Page must be a positive integer, Order by can only be: 'created_at', 'updated_at'",
    ],
    [
      "foo=1&bar=2",
      "Unknown query parameter(s): 'foo', 'bar'. Valid parameters are: 'page', 'per_page', 'order_by', 'created_ats', 'updated_ats', 'guids', 'app_guids', 'states', 'status_reasons', 'status_values', 'label_selector'",
    ],
  ])("refuses ?%s with 400 10005", async ([query, message], { sim }) => {
    const api = await asUser(sim, "dev");
    const answer = await api("GET", `/v3/deployments?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(bad(message));
  });
});

async function list(sim: SimulatorHandle, query: string, user = "admin"): Promise<Page> {
  const result = await call(sim, "GET", `/v3/deployments${query}`, {
    token: await tokenFor(sim, user),
  });
  expect(result.status, result.text).toBe(200);
  return result.json as Page;
}

function guids(body: Page): string[] {
  return body.resources.map((d) => d.guid);
}

function hrefParts(href: string | undefined): { path: string; params: Record<string, string> } {
  const url = new URL(href ?? "");
  return { path: `${url.origin}${url.pathname}`, params: Object.fromEntries(url.searchParams) };
}

/** Seed plus: web PAUSED canary, api superseded rolling + api DEPLOYING, worker DEPLOYED. */
async function mixedStates(sim: SimulatorHandle) {
  const web = await pausedWebDeployment(sim);
  const apiOld = (await createDeploymentFor(sim, "api")).guid;
  const worker = (await createDeploymentFor(sim, "worker")).guid;
  const apiNew = (await createDeploymentFor(sim, "api")).guid;
  return { web, apiOld, worker, apiNew };
}

describe("list deployments", () => {
  it("returns the pagination envelope with hrefs under the API root", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    const body = await list(sim, "");
    expect(body.resources.map((d) => d.guid)).toEqual([guid]);
    expect(body.pagination).toEqual({
      total_results: 1,
      total_pages: 1,
      first: { href: expect.any(String) },
      last: { href: expect.any(String) },
      next: null,
      previous: null,
    });
    expect(hrefParts(body.pagination.first.href)).toEqual({
      path: `${sim.url}/v3/deployments`,
      params: { page: "1", per_page: "50" },
    });
    expect(hrefParts(body.pagination.last.href)).toEqual(hrefParts(body.pagination.first.href));
  });

  it("reports total_pages 1 and an empty list when nothing matches", async ({ sim }) => {
    const body = await list(sim, "?states=NOPE");
    expect(body.resources).toEqual([]);
    expect(body.pagination.total_results).toBe(0);
    expect(body.pagination.total_pages).toBe(1);
    expect(body.pagination.next).toBeNull();
    expect(body.pagination.previous).toBeNull();
  });

  it("paginates with per_page and links next and previous pages, repeating the filters", async ({
    sim,
  }) => {
    const all = await mixedStates(sim);
    const page1 = await list(sim, "?per_page=2");
    expect(page1.pagination.total_results).toBe(4);
    expect(page1.pagination.total_pages).toBe(2);
    expect(guids(page1)).toEqual([all.web, all.apiOld]);
    expect(hrefParts(page1.pagination.next?.href).params).toEqual({ page: "2", per_page: "2" });
    expect(page1.pagination.previous).toBeNull();
    expect(hrefParts(page1.pagination.last.href).params).toEqual({ page: "2", per_page: "2" });
    const page2 = await list(sim, "?per_page=2&page=2");
    expect(guids(page2)).toEqual([all.worker, all.apiNew]);
    expect(page2.pagination.next).toBeNull();
    expect(hrefParts(page2.pagination.previous?.href).params).toEqual({ page: "1", per_page: "2" });

    const filtered = await list(sim, "?status_values=FINALIZED&per_page=1");
    expect(filtered.pagination.total_results).toBe(2);
    expect(hrefParts(filtered.pagination.first.href).params).toEqual({
      page: "1",
      per_page: "1",
      status_values: "FINALIZED",
    });
  });

  it("returns an empty page beyond the last one", async ({ sim }) => {
    await mixedStates(sim);
    const body = await list(sim, "?per_page=2&page=5");
    expect(body.resources).toEqual([]);
    expect(body.pagination.total_results).toBe(4);
  });

  it("filters by app_guids, OR within a parameter", async ({ sim }) => {
    const all = await mixedStates(sim);
    expect(guids(await list(sim, `?app_guids=${appGuid(sim, "api")}`))).toEqual([
      all.apiOld,
      all.apiNew,
    ]);
    expect(
      guids(await list(sim, `?app_guids=${appGuid(sim, "web")},${appGuid(sim, "worker")}`)),
    ).toEqual([all.web, all.worker]);
  });

  it("filters by status_values and status_reasons, AND across parameters", async ({ sim }) => {
    const all = await mixedStates(sim);
    expect(guids(await list(sim, "?status_values=ACTIVE"))).toEqual([all.web, all.apiNew]);
    expect(guids(await list(sim, "?status_reasons=SUPERSEDED"))).toEqual([all.apiOld]);
    expect(guids(await list(sim, "?status_reasons=PAUSED,DEPLOYED"))).toEqual([
      all.web,
      all.worker,
    ]);
    expect(
      guids(await list(sim, `?status_values=ACTIVE&app_guids=${appGuid(sim, "api")}`)),
    ).toEqual([all.apiNew]);
  });

  it("filters by internal states, telling PREPAUSED from DEPLOYING", async ({ sim }) => {
    const all = await mixedStates(sim);
    expect(guids(await list(sim, "?states=PAUSED"))).toEqual([all.web]);
    expect(guids(await list(sim, "?states=DEPLOYED"))).toEqual([all.apiOld, all.worker]);
    expect(guids(await list(sim, "?states=DEPLOYING"))).toEqual([all.apiNew]);
    expect((await action(sim, "admin", all.web, "continue")).status).toBe(200);
    expect(guids(await list(sim, "?states=PREPAUSED"))).toEqual([all.web]);
    expect(guids(await list(sim, "?states=DEPLOYING"))).toEqual([all.apiNew]);
    expect(guids(await list(sim, "?states=CANCELING,CANCELED"))).toEqual([]);
  });

  it("matches nothing for an unknown filter value instead of failing", async ({ sim }) => {
    await mixedStates(sim);
    expect((await list(sim, "?status_values=POTATO")).resources).toEqual([]);
  });

  it("orders by creation by default and honours order_by=-created_at and updated_at", async ({
    sim,
  }) => {
    const all = await mixedStates(sim);
    const ascending = [all.web, all.apiOld, all.worker, all.apiNew];
    expect(guids(await list(sim, ""))).toEqual(ascending);
    expect(guids(await list(sim, "?order_by=created_at"))).toEqual(ascending);
    expect(guids(await list(sim, "?order_by=-created_at"))).toEqual([...ascending].reverse());
    const byUpdated = await list(sim, "?order_by=updated_at");
    expect(byUpdated.resources).toHaveLength(4);
    const descUpdated = await list(sim, "?order_by=-updated_at");
    expect(guids(descUpdated)).toEqual([...guids(byUpdated)].reverse());
  });

  it("answers the cf CLI's latest-active-deployment query with the paused canary", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const body = await list(
      sim,
      `?app_guids=${appGuid(sim, "web")}&status_values=ACTIVE&order_by=-created_at&per_page=1&page=1`,
      "developer",
    );
    expect(guids(body)).toEqual([guid]);
    expect(hrefParts(body.pagination.first.href).params).toEqual({
      app_guids: appGuid(sim, "web"),
      status_values: "ACTIVE",
      order_by: "-created_at",
      per_page: "1",
      page: "1",
    });
  });

  it("rejects an unknown query parameter with 400 CF-BadQueryParameter naming it", async ({
    sim,
  }) => {
    const result = await call(sim, "GET", "/v3/deployments?foo=bar", {
      token: await tokenFor(sim, "admin"),
    });
    const detail = expectCfErrorPrefix(
      result,
      badQuery(
        "The query parameter is invalid: Unknown query parameter(s): 'foo'. Valid parameters are: '",
      ),
    );
    for (const name of [
      "app_guids",
      "states",
      "status_values",
      "status_reasons",
      "order_by",
      "page",
      "per_page",
    ]) {
      expect(detail).toContain(`'${name}'`);
    }
  });

  for (const query of [
    "order_by=name",
    "per_page=0",
    "per_page=5001",
    "page=0",
    "per_page=abc",
    "page=-1",
  ]) {
    it(`rejects ${query} with 400 CF-BadQueryParameter`, async ({ sim }) => {
      const result = await call(sim, "GET", `/v3/deployments?${query}`, {
        token: await tokenFor(sim, "admin"),
      });
      expectCfErrorPrefix(result, badQuery("The query parameter is invalid: "));
    });
  }

  it("accepts per_page=5000 and order_by=+created_at", async ({ sim }) => {
    await pausedWebDeployment(sim);
    expect((await list(sim, "?per_page=5000")).resources).toHaveLength(1);
    expect((await list(sim, "?order_by=%2Bcreated_at")).resources).toHaveLength(1);
  });

  for (const role of ["developer", "supporter", "manager", "auditor", "reader"]) {
    it(`shows the space's deployments to the ${role}`, async ({ sim }) => {
      const guid = await pausedWebDeployment(sim);
      expect(guids(await list(sim, "", role))).toEqual([guid]);
    });
  }

  it("shows the outsider an empty list with 200", async ({ sim }) => {
    await pausedWebDeployment(sim);
    const body = await list(sim, "", "outsider");
    expect(body.resources).toEqual([]);
    expect(body.pagination.total_results).toBe(0);
  });
});

describe("list deployments: other accepted filters", () => {
  it("filters by guids", async ({ sim }) => {
    const all = await mixedStates(sim);
    expect(guids(await list(sim, `?guids=${all.worker},${all.web}`))).toEqual([
      all.web,
      all.worker,
    ]);
  });

  it("accepts created_ats with a relational operator", async ({ sim }) => {
    await mixedStates(sim);
    const body = await list(sim, "?created_ats%5Blt%5D=2999-01-01T00:00:00Z");
    expect(body.resources).toHaveLength(4);
    const none = await list(sim, "?created_ats%5Bgt%5D=2999-01-01T00:00:00Z");
    expect(none.resources).toEqual([]);
  });

  it("repeats order_by in the pagination hrefs", async ({ sim }) => {
    await mixedStates(sim);
    const body = await list(sim, "?order_by=-created_at&per_page=3");
    expect(hrefParts(body.pagination.next?.href).params).toEqual({
      order_by: "-created_at",
      page: "2",
      per_page: "3",
    });
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

describe("list: order_by in the pagination hrefs (CC OrderByMapper.to_param_hash)", () => {
  async function firstHref(sim: SimulatorHandle, path: string): Promise<string> {
    const result = await call(sim, "GET", path, { token: await tokenFor(sim, "admin") });
    expect(result.status, result.text).toBe(200);
    return (result.json as { pagination: { first: { href: string } } }).pagination.first.href;
  }

  it.for([
    ["order_by=created_at", "order_by=%2Bcreated_at&"],
    ["order_by=%2Bcreated_at", "order_by=%2Bcreated_at&"],
    ["order_by=-updated_at", "order_by=-updated_at&"],
    ["order_by=", ""],
  ])("links ?%s with %j", async ([query, linked], { sim }) => {
    expect(await firstHref(sim, `/v3/deployments?${query}`)).toBe(
      `${sim.url}/v3/deployments?${linked}page=1&per_page=50`,
    );
  });

  it("links an apps list ordered by state with the column CC sorts, desired_state", async ({
    sim,
  }) => {
    expect(await firstHref(sim, "/v3/apps?order_by=-state")).toBe(
      `${sim.url}/v3/apps?order_by=-desired_state&page=1&per_page=50`,
    );
  });
});

describe("list: the valid parameters each list names (CC register_allowed_keys order)", () => {
  it.for([
    [
      "/v3/apps",
      "'page', 'per_page', 'order_by', 'created_ats', 'updated_ats', 'guids', 'names', 'organization_guids', 'space_guids', 'stacks', 'include', 'lifecycle_type', 'label_selector'",
    ],
    [
      "/v3/organizations",
      "'page', 'per_page', 'order_by', 'created_ats', 'updated_ats', 'guids', 'names', 'isolation_segment_guid', 'label_selector'",
    ],
    [
      "/v3/spaces",
      "'page', 'per_page', 'order_by', 'created_ats', 'updated_ats', 'guids', 'names', 'organization_guids', 'include', 'label_selector'",
    ],
  ])("names %s's in its own order", async ([path, keys], { sim }) => {
    const result = await call(sim, "GET", `${path}?x=1`, { token: await tokenFor(sim, "admin") });
    expect(result.body).toEqual(
      bad(`Unknown query parameter(s): 'x'. Valid parameters are: ${keys}`),
    );
  });

  it("refuses app_guids on an app's processes as a parameter the nested list does not take", async ({
    sim,
  }) => {
    const result = await call(
      sim,
      "GET",
      `/v3/apps/${appGuid(sim, "web")}/processes?app_guids=a&space_guids=b`,
      { token: await tokenFor(sim, "admin") },
    );
    expect(result.body).toEqual(bad("Unknown query parameter(s): 'app_guids', 'space_guids'"));
  });

  it("names the Rack parameter, not its brackets, for an unknown nested key", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/deployments?foo%5Bbar%5D=1", {
      token: await tokenFor(sim, "admin"),
    });
    expect(result.status).toBe(400);
    expect(result.text).toContain("Unknown query parameter(s): 'foo'. Valid parameters");
  });
});

describe("list: timestamps as CC's TimestampValidator checks them", () => {
  const format =
    "has an invalid timestamp format. Timestamps should be formatted as 'YYYY-MM-DDThh:mm:ssZ'";
  it.for<[string, string]>([
    ["created_ats=2020-01-01", `Created ats ${format}`],
    [
      "created_ats=2020-01-01,2020-01-02T00:00:00Z,x&updated_ats=y",
      `Created ats ${format}, Created ats ${format}, Updated ats ${format}`,
    ],
    [
      "updated_ats%5Blt%5D=2020-01-01T00:00:00Z,2020-01-02T00:00:00Z",
      "Updated ats only accepts one value when using a relational operator",
    ],
    [
      "created_ats%5Bbefore%5D=2020-01-01",
      `Created ats Invalid relational operator: 'before', Created ats ${format}`,
    ],
  ])("answers ?%s with 400 10005 %j", async ([query, detail], { sim }) => {
    const result = await call(sim, "GET", `/v3/deployments?${query}`, {
      token: await tokenFor(sim, "admin"),
    });
    expect(result.body).toEqual(bad(detail));
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
      badQuery(
        "The query parameter is invalid: Per page must be a positive integer, Unknown query parameter(s): 'foo'. Valid parameters are: 'page', 'per_page', 'order_by', 'created_ats', 'updated_ats', 'guids', 'app_guids', 'states', 'status_reasons', 'status_values', 'label_selector'",
      ),
    );
  });
});
