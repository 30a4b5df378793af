import type { FaultRule, SimulatorHandle } from "../../src/simulator/index.js";
import { createDeploymentFor, type FakeTime, seededRandom } from "../support/index.js";
import { developerClient, eventsPerDeployment, type LogLines, logLines } from "./fault-world.js";
import { stateOf } from "./run-step.js";
import { leakedSecrets, secretWatch } from "./secret-watch.js";

interface Paths {
  get: string;
  list: string;
  continue: string;
  token: string;
}

type FaultMaker = (paths: Paths, pick: <T>(items: readonly T[]) => T) => FaultRule | "expire";

/**
 * The faults today's client is known to survive without a double continue. Late deliveries (a
 * continue held, or slowed past the client's timeout, and applied after it gave up) are left
 * out until the client waits out that window.
 */
const PALETTE: FaultMaker[] = [
  (p, pick) => ({ ...pick(requestsOf(p)), reset: pick(["before", "after"] as const) }),
  (p, pick) => ({
    ...pick(requestsOf(p).slice(0, 3)),
    status: pick([502, 503, 504]),
    times: pick([1, 2, 3]),
  }),
  (p, pick) => ({ method: "POST", path: p.continue, status: pick([500, 502, 503]) }),
  (p, pick) => ({
    ...pick(requestsOf(p)),
    status: 429,
    headers: { "Retry-After": String(pick([1, 5, 30])) },
  }),
  (p) => ({ method: "GET", path: p.get, delayMs: 20 }),
  () => "expire",
];

/** Every kind of request a step makes, as method and path. */
function requestsOf(p: Paths): Array<{ method: string; path: string }> {
  return [
    { method: "GET", path: p.get },
    { method: "GET", path: p.list },
    { method: "POST", path: p.token },
    { method: "POST", path: p.continue },
  ];
}

/** What the random run left behind, for the assertions and RELIABILITY.md. */
export interface RandomRunRecord {
  promotions: number;
  /** Deployments that did not end FINALIZED/DEPLOYED. */
  unfinished: string[];
  faultsInjected: number;
  /** Requests the faults struck: resets, 401s after an expiry, 429s and 5xx answers. */
  faultedRequests: number;
  /** Continue calls that failed and were resolved by the next step's fresh read. */
  failedCalls: number;
  /** Continue audit events per deployment beyond its three steps. */
  doubleContinues: number;
  /** Deployments with fewer continue events than steps. */
  missingContinues: number;
  scanned: number;
  leaked: string[];
}

const CANARY = {
  strategy: "canary",
  options: {
    canary: { steps: [{ instance_weight: 25 }, { instance_weight: 50 }, { instance_weight: 75 }] },
  },
};
const STEPS = 3;

/**
 * Promotes `promotions` canaries of `web` one after another, each step by one safe continue
 * under 0–2 random faults, as repeated `up`s would: a step whose call failed is tried again
 * from a fresh read.
 */
export async function randomPromotions(
  sim: SimulatorHandle,
  time: FakeTime,
  { promotions, seed }: { promotions: number; seed: number },
): Promise<RandomRunRecord> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const log: LogLines = logLines();
  const watch = secretWatch();
  const client = developerClient(sim, time, log, random, { dispatcher: watch.dispatcher });
  const appGuid = sim.apps["web"]?.guid ?? "";
  const guids: string[] = [];
  const errors: string[] = [];
  let faultsInjected = 0;
  try {
    for (let n = 0; n < promotions; n++) {
      const guid =
        n === 0
          ? (sim.deployments["web"] ?? "")
          : (await createDeploymentFor(sim, "web", CANARY)).guid;
      guids.push(guid);
      const paths: Paths = {
        get: `/v3/deployments/${guid}`,
        list: "/v3/deployments",
        continue: `/v3/deployments/${guid}/actions/continue`,
        token: "/uaa/oauth/token",
      };
      for (let round = 0; round < 40; round++) {
        const state = await stateOf(sim, guid);
        if (state.startsWith("FINALIZED/")) break;
        if (!state.startsWith("ACTIVE/PAUSED")) {
          await sim.control.tick();
          continue;
        }
        const count = Math.floor(random() * 3);
        for (let f = 0; f < count; f++) {
          const fault = pick(PALETTE)(paths, pick);
          if (fault === "expire") await sim.control.expireTokens();
          else await sim.control.addFault(fault);
          faultsInjected++;
        }
        try {
          const active = await client.getActiveDeployment(appGuid);
          await client.continueDeployment(active?.guid ?? guid);
        } catch (error) {
          errors.push(String(error), JSON.stringify(error));
        }
        await sim.control.clearFaults();
      }
    }
  } finally {
    await client.close();
    await watch.close();
  }
  const faultedRequests = (await sim.control.requests()).filter(
    (entry) =>
      entry.status === 0 || entry.status === 401 || entry.status === 429 || entry.status >= 500,
  ).length;
  const continues = await eventsPerDeployment(sim);
  const unfinished: string[] = [];
  for (const guid of guids) {
    if ((await stateOf(sim, guid)) !== "FINALIZED/DEPLOYED@3") unfinished.push(guid);
  }
  const counts = guids.map((guid) => continues.get(guid) ?? 0);
  const texts = [...errors, ...log.lines];
  return {
    promotions: guids.length,
    unfinished,
    faultsInjected,
    faultedRequests,
    failedCalls: errors.length / 2,
    doubleContinues: counts.reduce((sum, c) => sum + Math.max(0, c - STEPS), 0),
    missingContinues: counts.filter((c) => c < STEPS).length,
    scanned: texts.length,
    leaked: leakedSecrets(texts, watch.secrets(sim)),
  };
}
