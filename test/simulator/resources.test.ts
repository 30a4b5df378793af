import { describe, expect } from "vitest";
import {
  asUser,
  cfError,
  expectCfError,
  it,
  type List,
  notFound,
  seededApp,
  webDeployment,
} from "../support/index.js";

type Named = { guid: string; name: string };

describe("organizations, spaces, apps and processes", () => {
  it("lists the seeded org and space and filters them by name", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const orgs = (await api("GET", "/v3/organizations?names=demo-org")).body as List<Named>;
    expect(orgs.resources.map((o) => [o.guid, o.name])).toEqual([[sim.org.guid, "demo-org"]]);
    const none = (await api("GET", "/v3/organizations?names=other")).body as List<Named>;
    expect(none.resources).toEqual([]);
    const spaces = (
      await api("GET", `/v3/spaces?names=demo-space&organization_guids=${sim.org.guid}`)
    ).body as List<Named>;
    expect(spaces.resources.map((s) => [s.guid, s.name])).toEqual([[sim.space.guid, "demo-space"]]);
    const space = await api("GET", `/v3/spaces/${sim.space.guid}`);
    expect(space.body).toMatchObject({
      name: "demo-space",
      relationships: { organization: { data: { guid: sim.org.guid } } },
    });
  });

  it("hides orgs and spaces from a user without roles", async ({ sim }) => {
    const api = await asUser(sim, "outsider");
    expect(((await api("GET", "/v3/organizations")).body as List<Named>).resources).toEqual([]);
    expect(((await api("GET", "/v3/spaces")).body as List<Named>).resources).toEqual([]);
    const org = await api("GET", `/v3/organizations/${sim.org.guid}`);
    expectCfError(org, notFound("Organization not found"));
  });

  it("filters apps by names, space_guids and organization_guids", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const names = async (query: string) =>
      ((await api("GET", `/v3/apps?${query}`)).body as List<Named>).resources.map((a) => a.name);
    expect(await names("")).toEqual(["web", "api", "worker"]);
    expect(await names("names=api,worker")).toEqual(["api", "worker"]);
    expect(await names(`space_guids=${sim.space.guid}&names=web`)).toEqual(["web"]);
    expect(await names(`organization_guids=${sim.org.guid}`)).toEqual(["web", "api", "worker"]);
    expect(await names("organization_guids=other")).toEqual([]);
    expect(await names("order_by=name")).toEqual(["api", "web", "worker"]);
  });

  it("unescapes each filter value after splitting on commas, as CC does", async ({ startSim }) => {
    const sim = await startSim({
      seed: {
        users: [{ username: "dev", roles: [{ type: "space_developer", org: "o", space: "s" }] }],
        orgs: [
          { name: "o", spaces: [{ name: "s", apps: [{ name: "a,b" }, { name: "50% off" }] }] },
        ],
      },
    });
    const api = await asUser(sim, "dev");
    const names = async (query: string) =>
      ((await api("GET", `/v3/apps?${query}`)).body as List<Named>).resources.map((a) => a.name);
    // The client escapes a comma inside a name twice: once for the split, once for the URL.
    expect(await names("names=a%252Cb")).toEqual(["a,b"]);
    expect(await names("names=a,b")).toEqual([]);
    expect(await names("names=50%2525%20off,%20a%252Cb")).toEqual(["a,b", "50% off"]);
  });

  it("shows an app with its state, and 404s an unknown one", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const app = seededApp(sim, "worker");
    const answer = await api("GET", `/v3/apps/${app.guid}`);
    expect(answer.body).toMatchObject({
      guid: app.guid,
      name: "worker",
      state: "STOPPED",
      relationships: { space: { data: { guid: sim.space.guid } } },
      links: { self: { href: `${sim.url}/v3/apps/${app.guid}` } },
    });
    const missing = await api("GET", "/v3/apps/nope");
    expectCfError(missing, notFound("App not found"));
  });

  it("lists an app's web processes, two while a deployment runs", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const web = seededApp(sim, "web");
    const deployment = (await api("GET", `/v3/deployments/${webDeployment(sim)}`)).body as {
      new_processes: Array<{ guid: string }>;
    };
    const list = (await api("GET", `/v3/apps/${web.guid}/processes`)).body as List<{
      guid: string;
      type: string;
      instances: number;
    }>;
    expect(list.resources.map((p) => [p.guid, p.type, p.instances])).toEqual([
      [web.webProcessGuid, "web", 4],
      [deployment.new_processes[0]?.guid, "web", 1],
    ]);
    const process = await api("GET", `/v3/processes/${web.webProcessGuid}`);
    expect(process.body).toMatchObject({ guid: web.webProcessGuid, type: "web", instances: 4 });
  });

  it("reports process stats per instance index, DOWN for a stopped app", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const stats = (await api("GET", `/v3/processes/${seededApp(sim, "api").webProcessGuid}/stats`))
      .body as { resources: Array<{ type: string; index: number; state: string }> };
    expect(stats.resources.map(({ type, index, state }) => ({ type, index, state }))).toEqual([
      { type: "web", index: 0, state: "RUNNING" },
      { type: "web", index: 1, state: "RUNNING" },
    ]);
    const stopped = (
      await api("GET", `/v3/processes/${seededApp(sim, "worker").webProcessGuid}/stats`)
    ).body as { resources: Array<{ state: string }> };
    expect(stopped.resources.map((r) => r.state)).toEqual(["DOWN"]);
    const missing = await api("GET", "/v3/processes/nope/stats");
    expect(missing.body).toEqual(cfError(10010, "CF-ResourceNotFound", "Process not found"));
  });

  it("shows the current droplet, 404 when the app has none", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const web = await api("GET", `/v3/apps/${seededApp(sim, "web").guid}/droplets/current`);
    expect(web.body).toMatchObject({
      guid: seededApp(sim, "web").stagedDropletGuid,
      state: "STAGED",
    });
    const worker = await api("GET", `/v3/apps/${seededApp(sim, "worker").guid}/droplets/current`);
    expectCfError(worker, notFound("Droplet not found"));
  });
});
