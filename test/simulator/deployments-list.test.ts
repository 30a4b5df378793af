import { describe, expect } from "vitest";
import type { SeedDescription } from "../../src/simulator/index.js";
import { asUser, cfError, type DeploymentJson, it } from "../support/index.js";

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
function fleet(): SeedDescription {
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
  it("paginates with the V3 envelope, links repeating the filters", async ({ startSim }) => {
    let now = Date.parse("2026-05-01T00:00:00Z");
    const sim = await startSim({ seed: fleet(), now: () => (now += 10) });
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

  it("has one empty page when nothing matches", async ({ startSim }) => {
    const sim = await startSim({ seed: fleet() });
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
    const sim = await startSim({ seed: fleet(), now: () => (now += 1) });
    const api = await asUser(sim, "dev");
    const page = (await api("GET", "/v3/deployments?order_by=-created_at")).body as Page;
    expect(page.resources.map((d) => d.relationships)).toEqual(
      ["app-4", "app-3", "app-2", "app-1", "app-0"].map((name) => ({
        app: { data: { guid: sim.apps[name]?.guid } },
      })),
    );
    expect(new Set(page.resources.map((d) => d.created_at)).size).toBe(1);
  });

  it("finds the latest active deployment the way the cf CLI asks for it", async ({ startSim }) => {
    const sim = await startSim({ seed: fleet() });
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

  it("filters OR within a parameter and AND across parameters", async ({ startSim }) => {
    const sim = await startSim({ seed: fleet() });
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

  it("tells PREPAUSED from DEPLOYING only through the states filter", async ({ startSim }) => {
    const sim = await startSim({ seed: fleet() });
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

  it("filters by label_selector", async ({ startSim }) => {
    const sim = await startSim({ seed: fleet() });
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
    expect(invalid.body).toEqual(bad("Invalid label_selector value: '=='"));
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
      "Unknown query parameter(s): 'foo', 'bar'. Valid parameters are: 'page', 'per_page', 'order_by', 'created_ats', 'updated_ats', 'guids', 'label_selector', 'app_guids', 'states', 'status_reasons', 'status_values'",
    ],
  ])("refuses ?%s with 400 10005", async ([query, message], { startSim }) => {
    const sim = await startSim({ seed: fleet() });
    const api = await asUser(sim, "dev");
    const answer = await api("GET", `/v3/deployments?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(bad(message));
  });
});
