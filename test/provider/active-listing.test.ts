import { describe, expect } from "vitest";
import type { CloudFoundryClient } from "../../src/client/index.js";
import { activeDeploymentForPlan, listedAtMs } from "../../src/provider/active-listing.js";
import { checkPromotion } from "../../src/provider/check-promotion.js";
import { pooledClients } from "../../src/provider/client-pool.js";
import { createPromotion } from "../../src/provider/promotion-lifecycle.js";
import { createProviderRuntime } from "../../src/provider/provider-runtime.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { test } from "../support/client-fixture.js";
import { fleetDeployments, pausedFleetSeed } from "../support/index.js";

const APPS = ["svc-a", "svc-b", "svc-c", "svc-d", "svc-e"];
const it = test.override({ simOptions: { seed: pausedFleetSeed(APPS) } });

const connection = {
  credentials: { kind: "accessToken", accessToken: "x" },
  source: "test",
} as const;

/** The active-deployment requests in the request log: `app_guids`, or `list` for the whole list. */
async function activeRequests(sim: SimulatorHandle): Promise<string[]> {
  return (await sim.control.requests())
    .filter((e) => e.path === "/v3/deployments" && e.query["status_values"] === "ACTIVE")
    .map((e) => (e.query["app_guids"] === undefined ? `list ${e.query["per_page"]}` : "alone"));
}

/** The host's pooled view of `client`, logged in, with the request log cleared after the login. */
async function loggedInPool(sim: SimulatorHandle, client: CloudFoundryClient) {
  await client.getRoot();
  await sim.control.clearRequests();
  return pooledClients(() => client)(connection);
}

describe("active deployments for the plans of Checks that come one after another", () => {
  it("asks the first two alone, then answers the burst from one list of ACTIVE deployments", async ({
    sim,
    time,
    client,
  }) => {
    const pooled = await loggedInPool(sim, client);
    const found = [];
    for (const name of APPS) {
      const app = sim.apps[name]?.guid ?? "";
      found.push(
        await activeDeploymentForPlan(pooled, app, time.now(), { deadline: time.now() + 30_000 }),
      );
      await time.sleep(100);
    }
    expect(found.map((d) => d?.guid)).toEqual(fleetDeployments(sim, APPS));
    expect(await activeRequests(sim)).toEqual(["alone", "alone", "list 5000"]);
    // What came from the list says when the list was asked for; a lone answer says nothing.
    expect(found.map((d) => (d === undefined ? undefined : listedAtMs(d)))).toEqual([
      undefined,
      undefined,
      expect.any(Number),
      expect.any(Number),
      expect.any(Number),
    ]);
  });

  it("asks for the list again once it is over a second old, and asks alone for an app it does not show", async ({
    sim,
    time,
    client,
  }) => {
    const pooled = await loggedInPool(sim, client);
    const ask = (name: string) =>
      activeDeploymentForPlan(pooled, sim.apps[name]?.guid ?? name, time.now(), {
        deadline: time.now() + 30_000,
      });
    for (const name of APPS.slice(0, 3)) await ask(name);
    await time.sleep(1_001);
    expect((await ask("svc-d"))?.guid).toBe(fleetDeployments(sim, ["svc-d"])[0]);
    // Not an app of this Cloud Controller: the list does not show it, so it is asked alone.
    expect(await ask("00000000-0000-4000-8000-0000000000ee")).toBeUndefined();
    expect(await activeRequests(sim)).toEqual([
      "alone",
      "alone",
      "list 5000",
      "list 5000",
      "alone",
    ]);
  });

  it("dates a Check's deployment by the list it came from, so the create after it looks up again once the list is a second old", async ({
    sim,
    time,
    client,
  }) => {
    const pooled = pooledClients(() => client)(connection);
    const runtime = createProviderRuntime(
      { apiUrl: sim.url, accessToken: "x" },
      {
        env: {},
        fileExists: () => false,
        now: time.now,
        sleep: time.sleep,
        print: () => undefined,
        createClient: () => pooled,
      },
    );
    // Already at step 1: the creates only find their target and record it.
    const inputs = (name: string) => ({
      appName: name,
      spaceGuid: sim.space.guid,
      toStep: 1,
      __provider: "p",
    });
    for (const name of APPS.slice(0, 4)) {
      await checkPromotion({}, inputs(name), async () => runtime);
      await time.sleep(300);
    }
    await sim.control.clearRequests();
    // svc-d's Check was 300 ms ago, but the list it was answered from (asked for by svc-c's
    // Check) is 600 ms old; 500 ms later it is over a second old.
    await time.sleep(500);
    await createPromotion(runtime, inputs("svc-d"));
    expect(await activeRequests(sim)).toEqual(["alone"]);
    // svc-c's own Check asked for the list 1.1 s ago too: the same.
    await createPromotion(runtime, inputs("svc-c"));
    expect(await activeRequests(sim)).toEqual(["alone", "alone"]);
  });
});
