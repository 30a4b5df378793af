/**
 * Client costs, part of `npm run bench`: speed and memory targets, measured as ratios within one
 * run (these machines are noisy; absolute timings are printed for information only).
 *
 * 1. Client overhead: `client.getDeployment()` (undici + zod + token handling) against a raw
 *    `undici.request` + `JSON.parse` of the same endpoint. Target: ≤ 2× the raw cost.
 * 2. Fleet lookup: finding an app's active deployment the way the cf CLI does
 *    (`app_guids`, `status_values=ACTIVE`, `order_by=-created_at`, `per_page=1`) in a simulator with
 *    300 apps against one with the 3-app default seed. Target: ≤ 2× (lookups must not degrade).
 * 3. Simulator memory: heap per seeded app with a paused canary. Target: ≤ 16 KiB per app.
 * 4. Safe continue: `continueDeployment` reads the deployment before and after its POST, so it
 *    costs about three requests; promoting 200 paused canaries one step each must cost ≤ 4× a
 *    plain `getDeployment` per canary (the safety adds no hidden round trips or waits).
 */
import { performance } from "node:perf_hooks";
import { createCloudFoundryClient } from "cf-deployment-promotion/client";
import { type SeedDescription, startSimulator } from "cf-deployment-promotion/simulator";
import { request } from "undici";
import { pausedCanaries } from "./paused-canaries.js";

export interface Result {
  name: string;
  measured: string;
  target: string;
  ok: boolean;
}

const results: Result[] = [];

function record(name: string, value: number, limit: number, unit: string): void {
  results.push({
    name,
    measured: `${value.toFixed(2)}${unit}`,
    target: `≤ ${limit}${unit}`,
    ok: value <= limit,
  });
}

/** Median of per-iteration times (ms) after a warm-up, to damp GC and scheduling noise. */
async function medianMs(iterations: number, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(20, iterations); i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

/**
 * `apps` paused canaries `svc-000`…, four instances each, three steps (25/50/75); `usersBefore`
 * other users are seeded before `bench` (which gives it another GUID).
 */
export function fleetSeed(apps: number, usersBefore = 0): SeedDescription {
  return pausedCanaries({
    org: "fleet",
    apps,
    name: (i) => `svc-${String(i).padStart(3, "0")}`,
    instances: 4,
    steps: [25, 50, 75],
    usersBefore,
  });
}

export async function passwordToken(
  uaaUrl: string,
  username: string,
  password: string,
): Promise<string> {
  const response = await request(`${uaaUrl}/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from("cf:").toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "password", username, password }).toString(),
  });
  const body = (await response.body.json()) as { access_token: string };
  return body.access_token;
}

async function benchClientOverhead(): Promise<void> {
  const sim = await startSimulator({ tickMs: 0 });
  try {
    await sim.control.tick();
    const developer = sim.users["developer"];
    const guid = sim.deployments["web"];
    if (!developer || !guid)
      throw new Error("default seed changed: no developer or web deployment");
    const client = createCloudFoundryClient({
      apiUrl: sim.url,
      credentials: { kind: "password", username: developer.username, password: developer.password },
    });
    const token = await passwordToken(sim.uaaUrl, developer.username, developer.password);
    const url = `${sim.url}/v3/deployments/${guid}`;
    const raw = await medianMs(400, async () => {
      const response = await request(url, { headers: { authorization: `bearer ${token}` } });
      JSON.parse(await response.body.text());
    });
    const viaClient = await medianMs(400, () => client.getDeployment(guid));
    await client.close();
    console.log(`client getDeployment ${viaClient.toFixed(3)} ms, raw undici ${raw.toFixed(3)} ms`);
    record("client overhead (client / raw undici)", viaClient / raw, 2, "×");
  } finally {
    await sim.close();
  }
}

async function lookupMs(seed: "default" | SeedDescription, user: string, app: string) {
  const sim = await startSimulator({ tickMs: 0, seed });
  try {
    const credentials = sim.users[user];
    const appGuid = sim.apps[app]?.guid;
    if (!credentials || !appGuid) throw new Error(`seed has no user ${user} or app ${app}`);
    const client = createCloudFoundryClient({
      apiUrl: sim.url,
      credentials: {
        kind: "password",
        username: credentials.username,
        password: credentials.password,
      },
    });
    const ms = await medianMs(300, () => client.getActiveDeployment(appGuid));
    await client.close();
    return ms;
  } finally {
    await sim.close();
  }
}

async function benchFleetLookup(): Promise<void> {
  const small = await lookupMs("default", "developer", "web");
  const large = await lookupMs(fleetSeed(300), "bench", "svc-299");
  console.log(
    `active-deployment lookup: 3 apps ${small.toFixed(3)} ms, 300 apps ${large.toFixed(3)} ms`,
  );
  record("fleet lookup (300 apps / 3 apps)", large / small, 2, "×");
}

function heapUsed(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

async function benchSimulatorMemory(): Promise<void> {
  const apps = 500;
  const before = heapUsed();
  const sim = await startSimulator({ tickMs: 0, seed: fleetSeed(apps) });
  const after = heapUsed();
  await sim.close();
  const perAppKiB = (after - before) / apps / 1024;
  console.log(
    `simulator heap: ${((after - before) / 1024 / 1024).toFixed(1)} MiB for ${apps} apps`,
  );
  record("simulator heap per app with a paused canary", perAppKiB, 16, " KiB");
}

async function benchSafeContinue(): Promise<void> {
  const apps = 200;
  const sim = await startSimulator({ tickMs: 0, seed: fleetSeed(apps) });
  try {
    const bench = sim.users["bench"];
    if (!bench) throw new Error("fleet seed has no bench user");
    const client = createCloudFoundryClient({
      apiUrl: sim.url,
      credentials: { kind: "password", username: bench.username, password: bench.password },
    });
    const guids = Object.values(sim.deployments);
    const first = guids[0];
    if (guids.length !== apps || !first) throw new Error(`expected ${apps} seeded deployments`);
    const get = await medianMs(400, () => client.getDeployment(first));
    let index = 0;
    const perContinue = await medianMs(apps - 20, async () => {
      const guid = guids[index++];
      if (!guid) throw new Error("ran out of paused canaries");
      const outcome = await client.continueDeployment(guid);
      if (!outcome.applied) throw new Error(`continue of ${guid} did not apply`);
    });
    await client.close();
    const continues = (await sim.control.auditEvents({ types: ["audit.app.deployment.continue"] }))
      .length;
    if (continues !== apps)
      throw new Error(`expected ${apps} continues, the audit shows ${continues}`);
    console.log(`safe continue ${perContinue.toFixed(3)} ms, getDeployment ${get.toFixed(3)} ms`);
    record("safe continue (continue / getDeployment)", perContinue / get, 4, "×");
  } finally {
    await sim.close();
  }
}

/** Runs the four measurements and returns one row per target. */
export async function measureClientCosts(): Promise<Result[]> {
  results.length = 0;
  await benchClientOverhead();
  await benchFleetLookup();
  await benchSimulatorMemory();
  await benchSafeContinue();
  return [...results];
}
