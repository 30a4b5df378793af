/**
 * Detection: how soon a waiting poller sees a canary step finish, and how many reads it spends.
 *
 * Three identical simulators (`tickMs: 0`) are ticked at the same instants by one driver
 * (`POST /_sim/tick` on all three, every `tickMs`). Each holds the same paused canaries. For each
 * canary, again and again: at a random instant the driver continues it on all three at once, and
 * on each simulator one poller waits for the step to finish (PAUSED at the next step):
 * - `ours`: reads when `nextPoll` says (the provider's decision), starting from the continue's answer;
 * - `fixed 3 s`: the cf CLI (`cf continue-deployment`): a read 1 ms after the continue, then 3 s after
 *   each answer (code.cloudfoundry.org/cli actor/v7action/application.go, util/configv3/defaults.go);
 * - `fixed 1 s`: the same every second.
 * After each tick the driver reads every moving canary itself, so it knows the tick that finished
 * the step. Detection = the poller's first answer that shows it − that tick's instant. Requests per
 * minute = the poller's reads ÷ its time spent waiting.
 */
import { performance } from "node:perf_hooks";
import {
  type SeedDescription,
  type SimulatorHandle,
  startSimulator,
} from "cf-deployment-promotion/simulator";
import { Agent, request } from "undici";
import type { DeploymentObservation } from "../../src/provider/deployment-observation.js";
import { nextPoll } from "../../src/provider/poll-schedule.js";
import { passwordToken } from "./client-costs.js";
import { BENCH_PASSWORD, pausedCanaries } from "./paused-canaries.js";

/** The provider's floor against a Cloud Controller that is not on this machine, and its default cap. */
const POLLING = { floorMs: 1000, capMs: 3000 };
/** Canaries per simulator, and instances each (one more canary instance a step). */
const CANARIES = { apps: 3, instances: 20 };

export interface DetectionFigures {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  requestsPerMinute: number;
}

/** What one poller did: every detection, its reads and its time spent waiting. */
export interface PollerRecord {
  detections: number[];
  requests: number;
  waitingMs: number;
}

export interface DetectionRun {
  tickMs: number;
  ours: DetectionFigures;
  baseline: DetectionFigures;
  fixed1s: DetectionFigures;
  records: Record<"ours" | "baseline" | "fixed1s", PollerRecord>;
}

type Policy = (
  observations: readonly DeploymentObservation[],
  nowMs: number,
  otherDeployments: readonly (readonly DeploymentObservation[])[],
) => number;

const POLICIES: Record<"ours" | "baseline" | "fixed1s", Policy> = {
  // The canaries of one host share what they learn of the updater (as waits in one provider host can).
  ours: (observations, nowMs, otherDeployments) =>
    nextPoll({ observations, nowMs, otherDeployments, ...POLLING }).delayMs,
  baseline: (observations) => (observations.at(-1)?.changedStatus === true ? 1 : 3000),
  fixed1s: (observations) => (observations.at(-1)?.changedStatus === true ? 1 : 1000),
};
type PollerName = keyof typeof POLICIES;
const NAMES = Object.keys(POLICIES) as PollerName[];

/** Epoch ms with sub-millisecond resolution, the clock the pollers and the driver share. */
const clock = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function seed(): SeedDescription {
  const { apps, instances } = CANARIES;
  const steps = Array.from({ length: instances - 1 }, (_, i) => (i + 1) * (100 / instances));
  return pausedCanaries({ org: "bench", apps, name: (i) => `app-${i}`, instances, steps });
}

/** One simulator with its poller's HTTP pool and token. */
interface Lane {
  name: PollerName;
  sim: SimulatorHandle;
  agent: Agent;
  token: string;
  requests: number;
  waitingMs: number;
  detections: number[];
}

interface DeploymentJson {
  updated_at: string;
  status: {
    reason: string;
    details: { last_status_change: string; last_successful_healthcheck?: string | null };
    canary?: { steps: { current: number } };
  };
}

const epoch = (text: string | null | undefined) =>
  text === null || text === undefined ? undefined : Date.parse(text);

/** One call as an observation: times around it, `Date`, and the deployment when it answered one. */
async function call(
  lane: Lane,
  method: "GET" | "POST",
  path: string,
): Promise<DeploymentObservation & { json?: DeploymentJson }> {
  const sentAtMs = clock();
  const response = await request(`${lane.sim.url}${path}`, {
    method,
    dispatcher: lane.agent,
    headers: { authorization: `bearer ${lane.token}`, "content-type": "application/json" },
    ...(method === "POST" ? { body: "{}" } : {}),
  });
  const text = await response.body.text();
  const receivedAtMs = clock();
  if (response.statusCode !== 200) {
    throw new Error(`${method} ${path} → ${response.statusCode}: ${text}`);
  }
  const date = epoch(response.headers["date"] as string | undefined);
  const base = { sentAtMs, receivedAtMs, ...(date === undefined ? {} : { serverDateMs: date }) };
  if (text === "") return base;
  const json = JSON.parse(text) as DeploymentJson;
  const healthy = epoch(json.status.details.last_successful_healthcheck);
  const lastStatusChange = epoch(json.status.details.last_status_change);
  return {
    ...base,
    json,
    deployment: {
      reason: json.status.reason,
      updatedAtMs: Date.parse(json.updated_at),
      ...(json.status.canary === undefined ? {} : { canaryStep: json.status.canary.steps.current }),
      ...(lastStatusChange === undefined ? {} : { lastStatusChangeMs: lastStatusChange }),
      ...(healthy === undefined ? {} : { lastHealthyAtMs: healthy }),
    },
  };
}

/** Reads (by the lane's policy) until the step has finished; returns when the answer arrived. */
async function waitForStep(
  lane: Lane,
  guid: string,
  history: DeploymentObservation[],
  others: readonly DeploymentObservation[][],
  continued: DeploymentObservation,
): Promise<number> {
  history.push(continued);
  let now = continued.receivedAtMs;
  for (let reads = 0; reads < 1000; reads++) {
    await sleep(POLICIES[lane.name](history, now, others) - (clock() - now));
    const read = await call(lane, "GET", `/v3/deployments/${guid}`);
    lane.requests += 1;
    const { json: _json, ...observation } = read;
    history.push(observation);
    now = read.receivedAtMs;
    if (read.deployment?.reason !== "DEPLOYING") {
      lane.waitingMs += now - continued.receivedAtMs;
      return now;
    }
  }
  throw new Error(`${lane.name}: deployment ${guid} never finished its step`);
}

/** Drives all lanes' simulators on one grid of ticks and tells each canary's finishing tick. */
class TickDriver {
  private readonly moving = new Map<string, (tickAt: number) => void>();
  private stopped = false;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly lanes: Lane[],
    private readonly tickMs: number,
    private readonly observer: Lane,
  ) {}

  start(): void {
    const origin = clock() + 200;
    this.done = (async () => {
      for (let k = 0; !this.stopped; k++) {
        await sleep(origin + k * this.tickMs - clock());
        const tickAt = clock();
        await Promise.all(this.lanes.map((lane) => lane.sim.control.tick()));
        await this.observe(tickAt);
      }
    })();
  }

  /** Resolves with the instant of the tick after which `guid` shows its step finished on `sim`. */
  finishing(lane: Lane, guid: string): Promise<number> {
    return new Promise((resolve) => this.moving.set(`${lane.name} ${guid}`, resolve));
  }

  private async observe(tickAt: number): Promise<void> {
    await Promise.all(
      [...this.moving.entries()].map(async ([key, resolve]) => {
        const [name, guid] = key.split(" ") as [PollerName, string];
        const lane = this.lanes.find((l) => l.name === name);
        if (lane === undefined) return;
        const read = await call(
          { ...lane, agent: this.observer.agent },
          "GET",
          `/v3/deployments/${guid}`,
        );
        if (read.deployment?.reason !== "DEPLOYING") {
          this.moving.delete(key);
          resolve(tickAt);
        }
      }),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

/** p50, p95 and requests per minute of one or more records pooled. */
export function figures(...records: PollerRecord[]): DetectionFigures {
  const sorted = records.flatMap((r) => r.detections).sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const requests = records.reduce((sum, r) => sum + r.requests, 0);
  const waitingMs = records.reduce((sum, r) => sum + r.waitingMs, 0);
  return {
    samples: sorted.length,
    p50Ms: Math.round(at(0.5)),
    p95Ms: Math.round(at(0.95)),
    requestsPerMinute: Number(((requests / waitingMs) * 60_000).toFixed(1)),
  };
}

/** Promotes every canary step after step on three simulators ticked every `tickMs`, for `durationMs`. */
export async function measureDetection(tickMs: number, durationMs: number): Promise<DetectionRun> {
  const sims = await Promise.all(NAMES.map(() => startSimulator({ tickMs: 0, seed: seed() })));
  const lanes: Lane[] = await Promise.all(
    NAMES.map(async (name, i) => {
      const sim = sims[i] as SimulatorHandle;
      return {
        name,
        sim,
        agent: new Agent(),
        token: await passwordToken(sim.uaaUrl, "bench", BENCH_PASSWORD),
        requests: 0,
        waitingMs: 0,
        detections: [],
      };
    }),
  );
  const observer: Lane = { ...(lanes[0] as Lane), agent: new Agent() };
  const driver = new TickDriver(lanes, tickMs, observer);
  const guids = Array.from({ length: CANARIES.apps }, (_, i) => {
    const guid = sims[0]?.deployments[`app-${i}`];
    if (guid === undefined || sims.some((s) => s.deployments[`app-${i}`] !== guid)) {
      throw new Error("the simulators' seeds differ: no common deployment guids");
    }
    return guid;
  });
  const end = clock() + durationMs;
  driver.start();
  try {
    // histories[lane][app]: every answer each lane's poller got about each canary.
    const allHistories = lanes.map(() => guids.map((): DeploymentObservation[] => []));
    await Promise.all(
      guids.map(async (guid, app) => {
        const histories = allHistories.map((perApp) => perApp[app] ?? []);
        const othersOf = (i: number) => (allHistories[i] ?? []).filter((_, a) => a !== app);
        for (let step = 2; step <= CANARIES.instances - 1 && clock() < end; step++) {
          // A random instant, so continues fall on every phase of the tick grid.
          await sleep(300 + Math.random() * tickMs);
          const continues = await Promise.all(
            lanes.map((lane) => call(lane, "POST", `/v3/deployments/${guid}/actions/continue`)),
          );
          await Promise.all(
            lanes.map(async (lane, i) => {
              const finished = driver.finishing(lane, guid);
              // The continue's 200 has no body: the deployment is DEPLOYING since the server's `Date`,
              // and its health stamp is the one the last read showed (a continue leaves it alone).
              const answer = continues[i] as DeploymentObservation;
              const healthy = histories[i]?.at(-1)?.deployment?.lastHealthyAtMs;
              const changedAt = answer.serverDateMs;
              const continued: DeploymentObservation = {
                ...answer,
                deployment: {
                  reason: "DEPLOYING",
                  canaryStep: step,
                  ...(changedAt === undefined
                    ? {}
                    : { lastStatusChangeMs: changedAt, updatedAtMs: changedAt }),
                  ...(healthy === undefined ? {} : { lastHealthyAtMs: healthy }),
                },
                changedStatus: true,
              };
              const seenAt = await waitForStep(
                lane,
                guid,
                histories[i] ?? [],
                othersOf(i),
                continued,
              );
              lane.detections.push(seenAt - (await finished));
            }),
          );
        }
      }),
    );
  } finally {
    await driver.stop();
    await Promise.all(lanes.map((lane) => lane.agent.close()));
    await observer.agent.close();
    await Promise.all(sims.map((sim) => sim.close()));
  }
  const record = (name: PollerName): PollerRecord => {
    const lane = lanes.find((l) => l.name === name) as Lane;
    return { detections: lane.detections, requests: lane.requests, waitingMs: lane.waitingMs };
  };
  const records = {
    ours: record("ours"),
    baseline: record("baseline"),
    fixed1s: record("fixed1s"),
  };
  return {
    tickMs,
    ours: figures(records.ours),
    baseline: figures(records.baseline),
    fixed1s: figures(records.fixed1s),
    records,
  };
}
