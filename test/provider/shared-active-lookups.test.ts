import { describe, expect } from "vitest";
import { pooledClients } from "../../src/provider/client-pool.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { test } from "../support/client-fixture.js";
import { createDeploymentFor, fleetDeployments, pausedFleetSeed } from "../support/index.js";

const APPS = ["svc-a", "svc-b", "svc-c"];
const it = test.override({ simOptions: { seed: pausedFleetSeed(APPS) } });

const connection = {
  credentials: { kind: "accessToken", accessToken: "x" },
  source: "test",
} as const;

/** The active-deployment lookups in the request log, as their `app_guids`. */
async function lookups(sim: SimulatorHandle): Promise<string[]> {
  return (await sim.control.requests())
    .filter(
      (entry) => entry.path === "/v3/deployments" && entry.query["status_values"] === "ACTIVE",
    )
    .map((entry) => entry.query["app_guids"] ?? "");
}

describe("the host's shared lookups", () => {
  it("finds each app's newest ACTIVE deployment with one request for apps asked together", async ({
    sim,
    time,
    client,
  }) => {
    const apps = APPS.map((name) => sim.apps[name]?.guid ?? "");
    // svc-c gets a newer deployment: the one cf continue-deployment would pick.
    const newer = await createDeploymentFor(sim, "svc-c");
    await client.getRoot();
    await sim.control.clearRequests();
    const pooled = pooledClients(() => client)(connection);
    const deadline = { deadline: time.now() + 30_000 };
    const found = await Promise.all(apps.map((app) => pooled.getActiveDeployment(app, deadline)));
    const [a, b] = fleetDeployments(sim, APPS);
    expect(found.map((d) => d?.guid)).toEqual([a, b, newer.guid]);
    expect(await lookups(sim)).toEqual([apps.join(",")]);
  });

  it("asks alone, as the cf CLI does, when nobody asks at the same time; none is undefined", async ({
    sim,
    time,
    client,
  }) => {
    const app = sim.apps["svc-a"]?.guid ?? "";
    const pooled = pooledClients(() => client)(connection);
    await client.getRoot();
    await sim.control.clearRequests();
    const found = await pooled.getActiveDeployment(app, { deadline: time.now() + 30_000 });
    expect(found?.guid).toBe(fleetDeployments(sim, ["svc-a"])[0]);
    expect(await lookups(sim)).toEqual([app]);
    const [lookup] = (await sim.control.requests()).filter((e) => e.path === "/v3/deployments");
    expect(lookup?.query).toMatchObject({ per_page: "1", order_by: "-created_at" });
    const missing = await pooled.getActiveDeployment("00000000-0000-4000-8000-0000000000ee", {});
    expect(missing).toBeUndefined();
  });

  it("finds apps of one space asked together with one request, an unknown name as undefined", async ({
    sim,
    time,
    client,
  }) => {
    await client.getRoot();
    await sim.control.clearRequests();
    const pooled = pooledClients(() => client)(connection);
    const deadline = { deadline: time.now() + 30_000 };
    const names = [...APPS, "svc-missing"];
    const found = await Promise.all(
      names.map((name) => pooled.findAppByName(sim.space.guid, name, deadline)),
    );
    expect(found.map((app) => app?.guid)).toEqual([
      ...APPS.map((name) => sim.apps[name]?.guid),
      undefined,
    ]);
    const requests = (await sim.control.requests()).filter((e) => e.path === "/v3/apps");
    expect(requests.map((e) => [e.query["names"], e.query["space_guids"]])).toEqual([
      [names.join(","), sim.space.guid],
    ]);
    // Found apps are kept for a minute: asking again sends nothing.
    await pooled.findAppByName(sim.space.guid, "svc-b", deadline);
    expect((await sim.control.requests()).filter((e) => e.path === "/v3/apps")).toHaveLength(1);
  });

  it("reads the continue trails of apps asked together in one request, each getting its own app's", async ({
    sim,
    time,
    client,
  }) => {
    const apps = APPS.map((name) => sim.apps[name]?.guid ?? "");
    const [a = "", , c = ""] = fleetDeployments(sim, APPS);
    await client.continueDeployment(a);
    await client.continueDeployment(c);
    await sim.control.clearRequests();
    const pooled = pooledClients(() => client)(connection);
    const types = ["audit.app.deployment.continue"];
    const trails = await Promise.all(
      apps.map((app) =>
        pooled.listAuditEvents({ types, targetGuids: [app] }, { deadline: time.now() + 30_000 }),
      ),
    );
    expect(trails.map((events) => events.map((e) => e.data["deployment_guid"]))).toEqual([
      [a],
      [],
      [c],
    ]);
    const requests = (await sim.control.requests()).filter((e) => e.path === "/v3/audit_events");
    expect(requests.map((e) => e.query["target_guids"])).toEqual([apps.join(",")]);
  });
});
