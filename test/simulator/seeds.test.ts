import { describe, expect } from "vitest";
import { type SeedDescription, startSimulator } from "../../src/simulator/index.js";
import { asUser, it } from "../support/index.js";

describe("seeds", () => {
  it("starts with users and the promoter client only for seed empty", async ({ startSim }) => {
    const sim = await startSim({ seed: "empty" });
    expect(Object.keys(sim.users).join(" ")).toBe(
      "admin developer supporter manager auditor outsider reader",
    );
    expect(sim.clients).toEqual({
      promoter: { clientId: "promoter", clientSecret: "promoter-secret" },
    });
    expect(sim.org).toEqual({ guid: "", name: "" });
    expect(sim.apps).toEqual({});
    expect(sim.deployments).toEqual({});
    const api = await asUser(sim, "admin");
    const orgs = (await api("GET", "/v3/organizations")).body as { resources: unknown[] };
    expect(orgs.resources).toEqual([]);
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
    expect(sim.users).toEqual({ bench: { username: "bench", password: "pw" } });
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
