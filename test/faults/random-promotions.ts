import type { FaultRule, SimulatorHandle } from "../../src/simulator/index.js";
import { createDeploymentFor, type FakeTime, seededRandom } from "../support/index.js";
import { developerClient, eventsPerDeployment, type LogLines, logLines } from "./fault-world.js";
import { type Delivery, heldHandled, releaseBeforeRead, releaseHeld } from "./held-delivery.js";
import { stateOf } from "./run-step.js";
import { leakedSecrets, secretWatch } from "./secret-watch.js";

interface Paths {
  get: string;
  list: string;
  continue: string;
  token: string;
}

/** A continue held by a router queue past the client's timeout, then delivered. */
interface LateDelivery {
  late: Delivery;
}

type Fault = FaultRule | "expire" | LateDelivery;
type FaultMaker = (paths: Paths, pick: <T>(items: readonly T[]) => T) => Fault;

/** The client's timeout in the random run: a held continue costs this much real time. */
export const REQUEST_TIMEOUT_MS = 500;
/** The late-delivery window of the random run, on the fake clock: four reads 5 s apart. */
export const LATE_DELIVERY = { windowMs: 20_000, pollIntervalMs: 5_000 };

/**
 * Faults drawn before each continue. A late delivery holds the continue past the client's
 * timeout and lets it through before the client's read back, at the first read of its watch,
 * or only after the call gave up (CF_OUTCOME_UNKNOWN) and before the next attempt.
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
  (_, pick) => ({ late: pick(["before", "after", "beyond"] as const) }),
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

async function continuesOn(sim: SimulatorHandle, guid: string): Promise<number> {
  return (await eventsPerDeployment(sim)).get(guid) ?? 0;
}

/** Ticks the updater until the deployment is paused or finished (at most 30 ticks). */
async function settle(sim: SimulatorHandle, guid: string): Promise<void> {
  for (let tick = 0; tick < 30; tick++) {
    if (!(await stateOf(sim, guid)).startsWith("ACTIVE/DEPLOYING")) return;
    await sim.control.tick();
  }
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
  /** Continues held past the client's timeout, by when they were let through. */
  lateDeliveries: Record<Delivery, number>;
  /** Calls that ended CF_OUTCOME_UNKNOWN (a held continue delivered after the call gave up). */
  unknownOutcomes: number;
  /** Deployments with such a call whose next attempts did not reach the goal with one continue a step. */
  unresolvedUnknowns: string[];
  /** Continue audit events beyond the first in one step (one round of the run). */
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
  let late: { action: string; read: string; delivery: Delivery } | undefined;
  const watch = secretWatch(releaseBeforeRead(sim, () => late));
  // The client's jitter draws from a stream of its own, so that a retry the machine's load
  // causes (a request slower than the timeout) cannot change which faults are drawn next.
  const client = developerClient(sim, time, log, seededRandom(seed + 1), {
    dispatcher: watch.dispatcher,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    lateDelivery: LATE_DELIVERY,
  });
  const appGuid = sim.apps["web"]?.guid ?? "";
  const guids: string[] = [];
  const errors: string[] = [];
  const unknown = new Set<string>();
  let faultsInjected = 0;
  let unknownOutcomes = 0;
  let doubleContinues = 0;
  const lateDeliveries: Record<Delivery, number> = { before: 0, after: 0, beyond: 0 };
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
        const continuesBefore = await continuesOn(sim, guid);
        const count = Math.floor(random() * 3);
        for (let f = 0; f < count; f++) {
          const fault = pick(PALETTE)(paths, pick);
          faultsInjected++;
          if (fault === "expire") await sim.control.expireTokens();
          else if ("late" in fault) {
            late = { action: paths.continue, read: paths.get, delivery: fault.late };
            await sim.control.addFault({ method: "POST", path: paths.continue, holdMs: 600_000 });
          } else await sim.control.addFault(fault);
        }
        const heldBefore = late === undefined ? 0 : await heldHandled(sim);
        try {
          const active = await client.getActiveDeployment(appGuid);
          await client.continueDeployment(active?.guid ?? guid);
        } catch (error) {
          errors.push(String(error), JSON.stringify(error));
          if ((error as { code?: string }).code === "CF_OUTCOME_UNKNOWN") {
            unknownOutcomes++;
            unknown.add(guid);
          }
        }
        const armed = late?.delivery;
        late = undefined;
        await sim.control.clearFaults();
        if (armed !== undefined) lateDeliveries[armed] += (await heldHandled(sim)) - heldBefore;
        // A continue still held lands after its call gave up and before the next attempt, once
        // the deployment has settled: had the client sent it again, the held one would land on
        // the next paused step and the round would count two continues.
        if ((await sim.control.heldRequests()).length > 0) {
          await settle(sim, guid);
          lateDeliveries.beyond += await releaseHeld(sim);
        }
        // One round is one step: more than one continue event in it is a double continue.
        doubleContinues += Math.max(0, (await continuesOn(sim, guid)) - continuesBefore - 1);
      }
    }
  } finally {
    await client.close();
    await watch.close();
  }
  const requests = await sim.control.requests();
  const faultedRequests = requests.filter(
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
    lateDeliveries,
    unknownOutcomes,
    unresolvedUnknowns: [...unknown].filter(
      (guid) => unfinished.includes(guid) || continues.get(guid) !== STEPS,
    ),
    doubleContinues,
    missingContinues: counts.filter((c) => c < STEPS).length,
    scanned: texts.length,
    leaked: leakedSecrets(texts, watch.secrets(sim)),
  };
}
