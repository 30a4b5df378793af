/**
 * The provider host's cold start, as the engine meets it in a fresh `pulumi up`: the host is
 * spawned as a plugin (as `runLocal` starts it), prints its port, is configured, and answers the
 * first `Check` of a new DeploymentPromotion (which looks its target up, read-only). Also the
 * size of the provider text that every resource carries in the state (`__provider`).
 */
import { performance } from "node:perf_hooks";
import { DeploymentPromotion } from "cf-deployment-promotion";
import { startSimulator } from "cf-deployment-promotion/simulator";
import { type Registration, runProgramUnderMocks } from "../../src/testing/capture-program.js";
import { connectProviderClient } from "../../src/testing/provider-client.js";
import { startProviderHost } from "../../src/testing/provider-host.js";
import { urnOf } from "../../src/testing/resource-urn.js";
import { toProviderProperties } from "../../src/testing/secrets.js";
import { configureArgs } from "../../src/testing/stack-config.js";
import { fleetSeed } from "./client-costs.js";
import { REPO_ROOT } from "./fleet-drivers.js";
import { BENCH_PASSWORD } from "./paused-canaries.js";

const PROJECT = "cold-start-bench";
/** Host starts measured; the median is reported (each start is one spawn of node). */
const STARTS = 5;

export interface ColdStartFigures {
  hostStartMs: number;
  firstCheckMs: number;
  providerBytes: number;
}

/** The registration of one promotion, as the program sends it to the engine. */
async function registration(): Promise<Registration> {
  let registered: Registration | undefined;
  await runProgramUnderMocks({
    program: () => {
      new DeploymentPromotion("svc-000", {
        appName: "svc-000",
        orgName: "fleet",
        spaceName: "prod",
        toStep: 2,
      });
    },
    project: PROJECT,
    stack: "dev",
    preview: true,
    config: { values: {}, secretKeys: [] },
    register: async (r) => {
      registered = r;
      return { urn: urnOf(r, PROJECT, "dev"), id: "", outputs: r.inputs };
    },
    signal: new AbortController().signal,
  });
  if (registered === undefined) throw new Error("the program registered no resource");
  return registered;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export async function measureColdStart(): Promise<ColdStartFigures> {
  const resource = await registration();
  const provider = resource.inputs["__provider"];
  if (typeof provider !== "string") throw new Error("the registration has no provider text");
  const sim = await startSimulator({ tickMs: 0, seed: fleetSeed(1) });
  const hostStarts: number[] = [];
  const firstChecks: number[] = [];
  try {
    for (let i = 0; i < STARTS; i += 1) {
      const spawnedAt = performance.now();
      const host = await startProviderHost({
        projectDir: REPO_ROOT,
        project: PROJECT,
        nodejsConfig: {},
        startTimeoutMs: 30_000,
      });
      hostStarts.push(performance.now() - spawnedAt);
      const client = await connectProviderClient(host.port, 10_000);
      try {
        await client.configure(
          configureArgs({
            "cloudfoundry:apiUrl": sim.url,
            "cloudfoundry:user": "bench",
            "cloudfoundry:password": { secret: BENCH_PASSWORD },
          }),
        );
        const ref = {
          urn: urnOf(resource, PROJECT, "dev"),
          name: resource.name,
          type: resource.type,
        };
        const checked = await client.check(ref, {}, toProviderProperties(resource.inputs));
        if (checked.failures.length > 0) {
          throw new Error(`Check failed: ${JSON.stringify(checked.failures)}`);
        }
        firstChecks.push(performance.now() - spawnedAt);
      } finally {
        client.close();
        await host.stop();
      }
    }
  } finally {
    await sim.close();
  }
  return {
    hostStartMs: Math.round(median(hostStarts)),
    firstCheckMs: Math.round(median(firstChecks)),
    providerBytes: Buffer.byteLength(provider),
  };
}

export function coldStartTargets(figures: ColdStartFigures) {
  return [
    {
      name: "cold start: first Check answered after spawn (median of 5)",
      measured: `${figures.firstCheckMs} ms (port after ${figures.hostStartMs} ms)`,
      target: "≤ 500 ms",
      ok: figures.firstCheckMs <= 500,
    },
    {
      name: "cold start: provider text",
      measured: `${figures.providerBytes} bytes`,
      target: "< 16 KB",
      ok: figures.providerBytes < 16 * 1024,
    },
  ];
}
