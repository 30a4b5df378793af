import { describe, expect } from "vitest";
import type { ResponseMeta } from "../../src/client/index.js";
import { createWaitReads } from "../../src/provider/wait-reads.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { test } from "../support/client-fixture.js";
import { fleetDeployments, pausedFleetSeed } from "../support/index.js";

const APPS = ["svc-a", "svc-b"];

const SEED = pausedFleetSeed(APPS);

const guidsOf = (sim: SimulatorHandle) => fleetDeployments(sim, APPS);

/** The /v3 paths read since the log was cleared, `?guids=` shown when a list was read. */
async function readPaths(sim: SimulatorHandle) {
  return (await sim.control.requests())
    .filter((entry) => entry.path.startsWith("/v3/"))
    .map((entry) => (entry.query["guids"] === undefined ? entry.path : `${entry.path}?guids`));
}

describe("wait reads", () => {
  test.override({ simOptions: { seed: SEED } });

  test("reads alone while one wait runs, and shares one list request while two do", async ({
    sim,
    time,
    client,
  }) => {
    const [a = "", b = ""] = guidsOf(sim);
    await client.getRoot();
    await sim.control.clearRequests();
    const reads = createWaitReads(client);
    const deadline = time.now() + 60_000;
    const endFirst = reads.begin();
    await Promise.all([reads.read(a, { deadline }), reads.read(b, { deadline })]);
    const endSecond = reads.begin();
    await Promise.all([reads.read(a, { deadline }), reads.read(b, { deadline })]);
    endFirst();
    endSecond();
    expect(await readPaths(sim)).toEqual([
      `/v3/deployments/${a}`,
      `/v3/deployments/${b}`,
      "/v3/deployments?guids",
    ]);
  });
});

describe("wait reads under the rate limiter", () => {
  test.override({ simOptions: { seed: SEED, rateLimit: { limit: 1, windowSeconds: 3600 } } });

  test("waits the poll interval before anything is known, then paces by the rate limiter's headers", async ({
    sim,
    time,
    client,
  }) => {
    const [guid = ""] = guidsOf(sim);
    const reads = createWaitReads(client);
    const timing = { capMs: 5_000, floorMs: 1_000 };
    expect(reads.nextDelayMs(guid, { nowMs: time.now(), ...timing })).toBe(5_000);
    const answers: ResponseMeta[] = [];
    await reads.read(guid, { deadline: time.now() + 60_000, onResponse: (m) => answers.push(m) });
    // The limit (1 an hour) is spent: no read before the window resets, on the server's clock.
    const { rateLimit } = answers.at(-1) ?? {};
    expect(rateLimit).toMatchObject({ remaining: 0, limit: 1 });
    const untilReset = (rateLimit?.resetAtMs ?? 0) - time.now();
    expect(untilReset).toBeGreaterThan(timing.capMs);
    const delay = reads.nextDelayMs(guid, { nowMs: time.now(), ...timing });
    expect(Math.abs(delay - untilReset)).toBeLessThan(1_000);
  });
});
