import { describe, expect } from "vitest";
import {
  type SeedDescription,
  type SimulatorHandle,
  startSimulator,
} from "../../src/simulator/index.js";
import { asUser, it, seededApp, webDeployment } from "../support/index.js";

/** The resources a list shows `user`. */
async function listed(sim: SimulatorHandle, user: string, path: string): Promise<unknown[]> {
  const api = await asUser(sim, user);
  return ((await api("GET", path)).body as { resources: unknown[] }).resources;
}

describe("seeds", () => {
  it("starts with users and the promoter client only for seed empty", async ({ startSim }) => {
    const sim = await startSim({ seed: "empty" });
    expect(Object.keys(sim.users).join(" ")).toBe(
      "admin developer supporter manager auditor outsider reader",
    );
    expect(sim.clients).toEqual({
      promoter: {
        clientId: "promoter",
        clientSecret: "promoter-secret",
        scopes: ["cloud_controller.read", "cloud_controller.write"],
        roles: [],
      },
    });
    expect(sim.users["developer"]).toEqual({
      username: "developer",
      password: "developer-password",
      scopes: ["openid", "cloud_controller.read", "cloud_controller.write"],
      roles: [],
    });
    expect(sim.org).toEqual({ guid: "", name: "" });
    expect(sim.apps).toEqual({});
    expect(sim.deployments).toEqual({});
    expect(await listed(sim, "admin", "/v3/organizations")).toEqual([]);
  });

  it("stands up a fleet of 300 apps with paused canaries from a description", async ({
    startSim,
  }) => {
    const apps = Array.from({ length: 300 }, (_, i) => ({
      name: `svc-${String(i).padStart(3, "0")}`,
      instances: 4,
      deployment: { strategy: "canary" as const, steps: [25, 50, 75], paused: true },
    }));
    const seed: SeedDescription = {
      users: [
        {
          username: "bench",
          password: "pw",
          roles: [{ type: "space_developer", org: "fleet", space: "prod" }],
        },
      ],
      clients: [],
      orgs: [{ name: "fleet", spaces: [{ name: "prod", apps }] }],
    };
    const sim = await startSim({ seed });
    expect(Object.keys(sim.deployments)).toHaveLength(300);
    expect(sim.users).toEqual({
      bench: {
        username: "bench",
        password: "pw",
        scopes: ["openid", "cloud_controller.read", "cloud_controller.write"],
        roles: [{ type: "space_developer", org: "fleet", space: "prod" }],
      },
    });
    const api = await asUser(sim, "bench");
    const page = (await api("GET", "/v3/deployments?status_reasons=PAUSED&per_page=5000")).body as {
      pagination: { total_results: number };
      resources: Array<{ status: { canary: { steps: { current: number; total: number } } } }>;
    };
    expect(page.pagination.total_results).toBe(300);
    expect(page.resources[0]?.status.canary).toEqual({ steps: { current: 1, total: 3 } });
    const guid = sim.deployments["svc-123"];
    expect((await api("POST", `/v3/deployments/${guid}/actions/continue`)).status).toBe(200);
  });

  it("gives a seed without users the default users with their scopes and no role, and says so", async ({
    startSim,
  }) => {
    const sim = await startSim({ seed: { orgs: [{ name: "o", spaces: [{ name: "s" }] }] } });
    expect(Object.keys(sim.users).join(" ")).toBe(
      "admin developer supporter manager auditor outsider reader",
    );
    expect(Object.values(sim.users).map((u) => u.roles)).toEqual(Array(7).fill([]));
    expect(sim.users["admin"]?.scopes).toEqual(["openid", "cloud_controller.admin"]);
    expect(sim.users["reader"]?.scopes).toEqual(["openid", "cloud_controller.read"]);
    expect(sim.clients["promoter"]?.roles).toEqual([]);
    // No role means the developer sees no space at all.
    expect(await listed(sim, "developer", "/v3/spaces")).toEqual([]);
  });

  it("names the seeded canary's new process and its droplets, as the deployment shows them", async ({
    sim,
  }) => {
    const web = seededApp(sim, "web");
    expect(web).toEqual({
      guid: expect.any(String),
      name: "web",
      webProcessGuid: expect.any(String),
      stagedDropletGuid: expect.any(String),
      currentDropletGuid: web.stagedDropletGuid,
      previousDropletGuid: expect.any(String),
      newProcessGuid: expect.any(String),
    });
    const api = await asUser(sim, "developer");
    const deployment = (await api("GET", `/v3/deployments/${webDeployment(sim)}`)).body as {
      droplet: { guid: string };
      previous_droplet: { guid: string };
      new_processes: Array<{ guid: string }>;
    };
    expect(deployment.droplet.guid).toBe(web.currentDropletGuid);
    expect(deployment.previous_droplet.guid).toBe(web.previousDropletGuid);
    expect(deployment.new_processes.map((p) => p.guid)).toEqual([web.newProcessGuid]);
    expect(web.previousDropletGuid).not.toBe(web.currentDropletGuid);
    // The GUID is what instance-state control takes: a crashed canary instance.
    await sim.control.setInstanceState(web.newProcessGuid ?? "", 0, "CRASHED");
    const stats = (await api("GET", `/v3/processes/${web.newProcessGuid}/stats`)).body as {
      resources: Array<{ state: string }>;
    };
    expect(stats.resources.map((r) => r.state)).toEqual(["CRASHED"]);
    expect(seededApp(sim, "api")).toMatchObject({
      currentDropletGuid: expect.any(String),
      previousDropletGuid: null,
      newProcessGuid: null,
    });
  });

  it("keeps a seeded deployment's org and space flags", async ({ startSim }) => {
    const sim = await startSim({
      seed: {
        users: [{ username: "u", roles: [{ type: "organization_manager", org: "o" }] }],
        orgs: [{ name: "o", suspended: true, spaces: [{ name: "s" }] }],
      },
    });
    const api = await asUser(sim, "u");
    const org = (await api("GET", `/v3/organizations/${sim.org.guid}`)).body as {
      suspended: boolean;
    };
    expect(org.suspended).toBe(true);
  });

  it("refuses an invalid seed with a message naming the field", async () => {
    await expect(
      startSimulator({
        seed: { orgs: [{ name: "o", spaces: [{ name: "s", apps: [{ name: "" }] }] }] },
      }),
    ).rejects.toThrow(/invalid seed: orgs\.0\.spaces\.0\.apps\.0\.name/);
    await expect(
      startSimulator({
        seed: {
          users: [{ username: "u", roles: [{ type: "space_developer", org: "x", space: "y" }] }],
        },
      }),
    ).rejects.toThrow("seed: u's role space_developer names unknown space x/y");
  });
});
