import { describe, expect } from "vitest";
import { type CloudFoundryClient, isCloudFoundryError } from "../../src/client/index.js";
import {
  createSharedDeploymentReads,
  type SharedReadsOptions,
} from "../../src/provider/shared-deployment-reads.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { test } from "../support/client-fixture.js";
import { fleetDeployments, pausedFleetSeed, rejectionOf } from "../support/index.js";

const APPS = ["svc-a", "svc-b", "svc-c"];

const it = test.override({ simOptions: { seed: pausedFleetSeed(APPS) } });

const guidsOf = (sim: SimulatorHandle) => fleetDeployments(sim, APPS);

/** The API requests since the log was cleared, as `METHOD path?query status`. */
async function apiRequests(sim: SimulatorHandle): Promise<string[]> {
  return (await sim.control.requests())
    .filter((entry) => entry.path.startsWith("/v3/"))
    .map((entry) => {
      const query = new URLSearchParams(entry.query).toString();
      return `${entry.method} ${entry.path}${query === "" ? "" : `?${decodeURIComponent(query)}`} ${entry.status}`;
    });
}

/** Shared reads on a logged-in client, with the log cleared, and the fleet's deployment GUIDs. */
async function sharedReads(
  sim: SimulatorHandle,
  client: CloudFoundryClient,
  options?: SharedReadsOptions,
) {
  await client.getRoot();
  await sim.control.clearRequests();
  return { reads: createSharedDeploymentReads(client, options), guids: guidsOf(sim) };
}

describe("shared deployment reads", () => {
  it("reads the deployments polled together with one list request, each getting its own", async ({
    sim,
    time,
    client,
  }) => {
    const { reads, guids } = await sharedReads(sim, client);
    const deadline = time.now() + 30_000;
    const seen = await Promise.all(guids.map((guid) => reads.read(guid, { deadline })));
    expect(seen.map((o) => o.deployment.guid)).toEqual(guids);
    expect(seen.map((o) => o.deployment.status.reason)).toEqual(["PAUSED", "PAUSED", "PAUSED"]);
    // Each got the list's answer: its times and the server's Date.
    expect(seen.map((o) => [o.meta?.path, o.meta?.status])).toEqual(
      guids.map(() => ["/v3/deployments", 200]),
    );
    expect(seen[0]?.meta?.serverDateMs).toEqual(expect.any(Number));
    expect(await apiRequests(sim)).toEqual([
      `GET /v3/deployments?guids=${guids.join(",")}&per_page=100&page=1 200`,
    ]);
  });

  it("sends a read nobody joins as the plain GET", async ({ sim, time, client }) => {
    const {
      reads,
      guids: [guid = ""],
    } = await sharedReads(sim, client);
    const { deployment, meta } = await reads.read(guid, { deadline: time.now() + 30_000 });
    expect(deployment.guid).toBe(guid);
    expect(meta).toMatchObject({ method: "GET", path: `/v3/deployments/${guid}`, status: 200 });
    expect(await apiRequests(sim)).toEqual([`GET /v3/deployments/${guid} 200`]);
  });

  it("chunks the GUIDs, and reads one the list lacks alone, with its own 404", async ({
    sim,
    time,
    client,
  }) => {
    const gone = "00000000-0000-4000-8000-0000000000ee";
    const { reads, guids } = await sharedReads(sim, client, { chunkSize: 2 });
    const deadline = time.now() + 30_000;
    const results = await Promise.allSettled(
      [...guids, gone].map((guid) => reads.read(guid, { deadline })),
    );
    expect(results.slice(0, 3).map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
    const missing = results[3];
    expect(missing?.status).toBe("rejected");
    const error = missing?.status === "rejected" ? missing.reason : undefined;
    expect(isCloudFoundryError(error, "CF_API_ERROR") && error.status).toBe(404);
    expect((await apiRequests(sim)).sort()).toEqual(
      [
        `GET /v3/deployments?guids=${guids[0]},${guids[1]}&per_page=100&page=1 200`,
        `GET /v3/deployments?guids=${guids[2]},${gone}&per_page=100&page=1 200`,
        `GET /v3/deployments/${gone} 404`,
      ].sort(),
    );
  });

  it("fails every read of a list request that failed, with its error", async ({
    sim,
    time,
    client,
  }) => {
    const { reads, guids } = await sharedReads(sim, client);
    await sim.control.addFault({ method: "GET", path: "/v3/deployments", status: 500 });
    const deadline = time.now() + 30_000;
    const errors = await Promise.all(
      guids.map((guid) => rejectionOf(reads.read(guid, { deadline }))),
    );
    expect(new Set(errors).size).toBe(1);
    expect(errors[0]?.message).toMatch(/^GET \/v3\/deployments\?guids=.+ → 500 /);
  });
});
