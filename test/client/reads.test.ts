import { describe, expect } from "vitest";
import { it, passwordOf, test } from "../support/client-fixture.js";
import { requestLines, webDeployment } from "../support/index.js";

describe("reading deployments", () => {
  it("discovers UAA from GET /, logs in with the password grant, then reads the deployment", async ({
    sim,
    client,
  }) => {
    const guid = webDeployment(sim);
    const deployment = await client.getDeployment(guid);
    expect(deployment).toMatchObject({
      guid,
      strategy: "canary",
      status: { value: "ACTIVE", reason: "DEPLOYING", canary: { steps: { current: 1, total: 3 } } },
      relationships: { app: { data: { guid: sim.apps["web"]?.guid } } },
    });
    expect(await requestLines(sim)).toEqual([
      "GET / 200",
      "POST /uaa/oauth/token 200",
      `GET /v3/deployments/${guid} 200`,
    ]);
  });

  it("reads the root document without a token", async ({ sim, client }) => {
    const root = await client.getRoot();
    expect(root.links.login?.href).toBe(sim.uaaUrl);
    expect(root.links.uaa?.href).toBe(sim.uaaUrl);
    expect(await requestLines(sim)).toEqual(["GET / 200"]);
  });

  it("finds the active deployment with exactly the cf CLI's query", async ({ sim, client }) => {
    const appGuid = sim.apps["web"]?.guid ?? "";
    const active = await client.getActiveDeployment(appGuid);
    expect(active?.guid).toBe(webDeployment(sim));
    expect(await client.getActiveDeployment(sim.apps["api"]?.guid ?? "")).toBeUndefined();
    const lines = await requestLines(sim);
    expect(lines.slice(2)).toEqual([
      `GET /v3/deployments?app_guids=${appGuid}&status_values=ACTIVE&order_by=-created_at&per_page=1&page=1 200`,
      `GET /v3/deployments?app_guids=${sim.apps["api"]?.guid}&status_values=ACTIVE&order_by=-created_at&per_page=1&page=1 200`,
    ]);
  });

  describe("on a seed of three canary apps", () => {
    test.override({
      simOptions: {
        seed: {
          orgs: [
            {
              name: "o",
              spaces: [
                {
                  name: "s",
                  apps: ["a", "b", "c"].map((name) => ({
                    name,
                    instances: 2,
                    deployment: { strategy: "canary" as const, steps: [50] },
                  })),
                },
              ],
            },
          ],
        },
      },
    });

    it("lists deployments with every filter and follows the pages itself", async ({
      sim,
      makeClient,
    }) => {
      // The seed gives users no roles there; the admin sees everything.
      const client = makeClient({ credentials: passwordOf(sim, "admin") });
      const all = await client.listDeployments({
        statusValues: ["ACTIVE"],
        orderBy: "created_at",
        perPage: 1,
      });
      expect(all.map((d) => d.guid)).toEqual(["a", "b", "c"].map((name) => sim.deployments[name]));
      const filtered = await client.listDeployments({
        appGuids: [sim.apps["b"]?.guid ?? ""],
        states: ["PREPAUSED"],
        statusReasons: ["DEPLOYING"],
      });
      expect(filtered.map((d) => d.guid)).toEqual([sim.deployments["b"]]);
      expect((await requestLines(sim)).slice(2)).toEqual([
        "GET /v3/deployments?status_values=ACTIVE&order_by=created_at&per_page=1&page=1 200",
        "GET /v3/deployments?status_values=ACTIVE&order_by=created_at&per_page=1&page=2 200",
        "GET /v3/deployments?status_values=ACTIVE&order_by=created_at&per_page=1&page=3 200",
        `GET /v3/deployments?app_guids=${sim.apps["b"]?.guid}&states=PREPAUSED&status_reasons=DEPLOYING&per_page=100&page=1 200`,
      ]);
    });
  });

  it("finds org, space and app by exact name, and undefined when there is none", async ({
    sim,
    client,
  }) => {
    const org = await client.findOrganizationByName("demo-org");
    expect(org).toMatchObject({ guid: sim.org.guid, name: "demo-org" });
    const space = await client.findSpaceByName(sim.org.guid, "demo-space");
    expect(space).toMatchObject({
      guid: sim.space.guid,
      relationships: { organization: { data: { guid: sim.org.guid } } },
    });
    const app = await client.findAppByName(sim.space.guid, "web");
    expect(app).toMatchObject({ guid: sim.apps["web"]?.guid, name: "web", state: "STARTED" });
    expect(await client.findAppByName(sim.space.guid, "nope")).toBeUndefined();
    expect(await client.findOrganizationByName("nope")).toBeUndefined();
    expect((await client.getApp(sim.apps["web"]?.guid ?? "")).name).toBe("web");
    expect((await requestLines(sim)).slice(2)).toEqual([
      "GET /v3/organizations?names=demo-org&per_page=100&page=1 200",
      `GET /v3/spaces?organization_guids=${sim.org.guid}&names=demo-space&per_page=100&page=1 200`,
      `GET /v3/apps?space_guids=${sim.space.guid}&names=web&per_page=100&page=1 200`,
      `GET /v3/apps?space_guids=${sim.space.guid}&names=nope&per_page=100&page=1 200`,
      "GET /v3/organizations?names=nope&per_page=100&page=1 200",
      `GET /v3/apps/${sim.apps["web"]?.guid} 200`,
    ]);
  });

  it("lists apps by names and space, following the pages, a name with a comma escaped", async ({
    sim,
    client,
  }) => {
    const apps = await client.listApps({
      names: ["web", "api", "a,b"],
      spaceGuids: [sim.space.guid],
    });
    expect(apps.map((app) => app.name).sort()).toEqual(["api", "web"]);
    expect(await client.listApps({ guids: [sim.apps["api"]?.guid ?? ""] })).toMatchObject([
      { name: "api" },
    ]);
    expect((await requestLines(sim)).slice(2)).toEqual([
      // The comma inside a name is sent as %2C (the list's own commas are not), URL-encoded again.
      `GET /v3/apps?names=web%2Capi%2Ca%252Cb&space_guids=${sim.space.guid}&per_page=100&page=1 200`,
      `GET /v3/apps?guids=${sim.apps["api"]?.guid}&per_page=100&page=1 200`,
    ]);
  });

  it("reads process stats, one entry per instance", async ({ sim, client }) => {
    const web = sim.apps["web"];
    if (web === undefined) throw new Error("no web app");
    await sim.control.setInstanceState(web.webProcessGuid, 1, "CRASHED");
    const stats = await client.getProcessStats(web.webProcessGuid);
    expect(stats.map((s) => [s.index, s.state])).toEqual([
      [0, "RUNNING"],
      [1, "CRASHED"],
      [2, "RUNNING"],
      [3, "RUNNING"],
    ]);
    await sim.control.tick();
    const deployment = await client.getDeployment(webDeployment(sim));
    const canary = deployment.new_processes[0]?.guid ?? "";
    expect((await client.getProcessStats(canary)).map((s) => s.state)).toEqual(["RUNNING"]);
  });

  it("lists audit events by type and target, as the Cloud Controller records a continue", async ({
    sim,
    client,
  }) => {
    await sim.control.tick();
    const guid = webDeployment(sim);
    await client.continueDeployment(guid);
    const events = await client.listAuditEvents({
      types: ["audit.app.deployment.continue"],
      targetGuids: [sim.apps["web"]?.guid ?? ""],
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "audit.app.deployment.continue",
      target: { guid: sim.apps["web"]?.guid, type: "app", name: "web" },
      data: { deployment_guid: guid },
    });
    expect(await client.listAuditEvents({ types: ["audit.app.deployment.cancel"] })).toEqual([]);
  });

  describe("on a seed whose org and space names have spaces", () => {
    test.override({
      simOptions: { seed: { orgs: [{ name: "Acme Corp", spaces: [{ name: "blue green" }] }] } },
    });

    it("finds a space whose name has a space in it", async ({ sim, makeClient }) => {
      const client = makeClient({ credentials: passwordOf(sim, "admin") });
      const org = await client.findOrganizationByName("Acme Corp");
      expect(org?.name).toBe("Acme Corp");
      expect((await client.findSpaceByName(org?.guid ?? "", "blue green"))?.name).toBe(
        "blue green",
      );
    });
  });
});
