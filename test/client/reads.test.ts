import { describe, expect, it } from "vitest";
import { passwordOf, requestLines, setup, webDeploymentGuid } from "./helpers/harness.js";

describe("reading deployments", () => {
  it("discovers UAA from GET /, logs in with the password grant, then reads the deployment", async () => {
    const { sim, client } = await setup();
    const guid = webDeploymentGuid(sim);
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

  it("reads the root document without a token", async () => {
    const { sim, client } = await setup();
    const root = await client.getRoot();
    expect(root.links.login?.href).toBe(sim.uaaUrl);
    expect(root.links.uaa?.href).toBe(sim.uaaUrl);
    expect(await requestLines(sim)).toEqual(["GET / 200"]);
  });

  it("finds the active deployment with exactly the cf CLI's query", async () => {
    const { sim, client } = await setup();
    const appGuid = sim.apps["web"]?.guid ?? "";
    const active = await client.getActiveDeployment(appGuid);
    expect(active?.guid).toBe(webDeploymentGuid(sim));
    expect(await client.getActiveDeployment(sim.apps["api"]?.guid ?? "")).toBeUndefined();
    const lines = await requestLines(sim);
    expect(lines.slice(2)).toEqual([
      `GET /v3/deployments?app_guids=${appGuid}&status_values=ACTIVE&order_by=-created_at&per_page=1&page=1 200`,
      `GET /v3/deployments?app_guids=${sim.apps["api"]?.guid}&status_values=ACTIVE&order_by=-created_at&per_page=1&page=1 200`,
    ]);
  });

  it("lists deployments with every filter and follows the pages itself", async () => {
    const { sim, makeClient } = await setup(
      {},
      {
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
    );
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
