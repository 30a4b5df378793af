import type { RateLimitOptions, SimulatorHandle } from "../../src/simulator/index.js";
import { type FakeTime, tickUntil } from "../support/index.js";
import { developerClient, eventsPerDeployment, logLines, requestKinds } from "./fault-world.js";
import { stateOf } from "./run-step.js";
import { leakedSecrets, secretWatch } from "./secret-watch.js";

/** The simulator's own rate limiter with a small budget: 3 requests a user in a 30 s window. */
export const RATE_LIMIT: RateLimitOptions = { limit: 3, windowSeconds: 30 };

/** What a whole promotion under the rate limiter left behind. */
export interface LimitedRecord {
  log: string[];
  sleeps: number[];
  state: string;
  continues: number;
  /** 429s to requests sent after a 429 and before the window's reset let anything through. */
  sentWhileLimited: number;
  scanned: number;
  leaked: string[];
}

const STEPS = 3;

/** The row as the matrix runs it and RELIABILITY.md lists it. */
export const rateLimitRow = {
  fault: `the simulator's own rate limiter (${RATE_LIMIT.limit} requests a user per ${RATE_LIMIT.windowSeconds} s window) through a whole promotion`,
  expected:
    "each 429 waited out exactly to the window's reset, then the same request once more: one continue a step, DEPLOYED",
  expectation: {
    log: [
      ...["GET / 200", "token 200", "list 200", "get 200", "continue 200", "get 429", "get 200"],
      ...["list 200", "get 200", "continue 429", "continue 200", "get 200"],
      ...["list 200", "get 429", "get 200", "continue 200", "get 200"],
    ],
    // The first window ends 16 s in (its phase comes from the user's GUID); then 30 s each.
    sleeps: [16_000, 30_000, 30_000],
    state: "FINALIZED/DEPLOYED@3",
    continues: STEPS,
    sentWhileLimited: 0,
  },
} as const;

/**
 * Promotes the seeded web canary through its three steps, one safe continue a step, against a
 * simulator started with {@link RATE_LIMIT} (admin reads, `GET /` and UAA are not counted, as
 * in CC `base_rate_limiter.rb`).
 */
export async function limitedPromotion(
  sim: SimulatorHandle,
  time: FakeTime,
): Promise<LimitedRecord> {
  const guid = sim.deployments["web"] ?? "";
  const appGuid = sim.apps["web"]?.guid ?? "";
  const log = logLines();
  const watch = secretWatch();
  const client = developerClient(sim, time, log, () => 0.5, { dispatcher: watch.dispatcher });
  const texts: string[] = [];
  const kinds: string[] = [];
  try {
    for (let step = 1; step <= STEPS; step++) {
      // The admin's reads between steps are not counted; the log keeps only the client's.
      await tickUntil(sim, guid, "ACTIVE/PAUSED");
      await sim.control.clearRequests();
      try {
        const active = await client.getActiveDeployment(appGuid);
        await client.continueDeployment(active?.guid ?? guid);
      } finally {
        kinds.push(...(await requestKinds(sim)));
      }
    }
    await tickUntil(sim, guid, "FINALIZED/DEPLOYED");
  } catch (error) {
    texts.push(String(error), JSON.stringify(error));
  } finally {
    await client.close();
    await watch.close();
  }
  return {
    log: kinds,
    sleeps: [...time.sleeps],
    state: await stateOf(sim, guid),
    continues: (await eventsPerDeployment(sim)).get(guid) ?? 0,
    sentWhileLimited: kinds.filter((line, i) => line.endsWith(" 429") && limitedBefore(kinds, i))
      .length,
    scanned: texts.length + log.lines.length,
    leaked: leakedSecrets([...texts, ...log.lines], watch.secrets(sim)),
  };
}

/** Whether the counted request before `index` was refused too (nothing got through between). */
function limitedBefore(kinds: readonly string[], index: number): boolean {
  const counted = kinds.slice(0, index).filter((line) => !/^(GET \/|token) /.test(line));
  return counted.at(-1)?.endsWith(" 429") === true;
}
