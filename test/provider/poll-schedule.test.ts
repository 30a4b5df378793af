/**
 * The polling decision, against a pure model of the updater on a virtual clock (no timers): it
 * learns the updater's period and phase from what reads show and then reads just after the tick
 * that finishes a step, with fewer reads than the cf CLI's fixed 3 s policy.
 */
import { describe, expect, it } from "vitest";
import type { DeploymentObservation } from "../../src/provider/deployment-observation.js";
import { nextPoll, type PollDecision } from "../../src/provider/poll-schedule.js";
import { learnTicks } from "../../src/provider/updater-ticks.js";
import { seededRandom } from "../support/seeded-random.js";
import { FakeUpdater, type FakeUpdaterOptions } from "./fake-updater.js";

const START = 1_764_590_000_000;
const CAP = 3000;
const FLOOR = 1000;

type Policy = (observations: readonly DeploymentObservation[], nowMs: number) => PollDecision;

const ours =
  (capMs = CAP, floorMs = FLOOR): Policy =>
  (observations, nowMs) =>
    nextPoll({ observations, nowMs, capMs, floorMs });

/** The cf CLI: a read 1 ms after the continue, then 3 s after each answer. */
const cfCli: Policy = (observations) => ({
  delayMs: observations.at(-1)?.changedStatus === true ? 1 : 3000,
  basis: "steady",
});

interface Step {
  detectionMs: number;
  reads: number;
  waitMs: number;
  gapsMs: number[];
}

/** Continues a canary `steps` times at random instants and waits each step out with `policy`. */
function promote(options: FakeUpdaterOptions, policy: Policy, steps: number, seed = 7) {
  const updater = new FakeUpdater(options);
  const random = seededRandom(seed);
  const observations: DeploymentObservation[] = [];
  const decisions: PollDecision[] = [];
  const result: Step[] = [];
  let now = START;
  for (let step = 0; step < steps; step++) {
    now += 300 + random() * 2000;
    const continued = updater.continueAt(now);
    observations.push(continued);
    now = continued.receivedAtMs;
    const gapsMs: number[] = [];
    let lastSent = continued.sentAtMs;
    for (let reads = 1; reads <= 100; reads++) {
      const decision = policy(observations, now);
      decisions.push(decision);
      const read = updater.read(now + decision.delayMs);
      observations.push(read);
      gapsMs.push(read.sentAtMs - lastSent);
      lastSent = read.sentAtMs;
      now = read.receivedAtMs;
      if (read.deployment?.reason === "PAUSED") {
        result.push({
          detectionMs: now - updater.pauseAt(),
          reads,
          waitMs: now - continued.sentAtMs,
          gapsMs,
        });
        break;
      }
    }
    if (result.length !== step + 1) throw new Error(`step ${step} never paused`);
  }
  return { steps: result, decisions, observations };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function figures(steps: Step[]) {
  const reads = steps.reduce((sum, s) => sum + s.reads, 0);
  const waitMs = steps.reduce((sum, s) => sum + s.waitMs, 0);
  return {
    medianDetectionMs: median(steps.map((s) => s.detectionMs)),
    readsPerMinute: (reads / waitMs) * 60_000,
  };
}

function deploying(at: number, extra: Partial<DeploymentObservation> = {}): DeploymentObservation {
  return {
    sentAtMs: at,
    receivedAtMs: at + 4,
    serverDateMs: Math.floor(at / 1000) * 1000,
    deployment: { reason: "DEPLOYING", canaryStep: 2, lastStatusChangeMs: START },
    ...extra,
  };
}

describe("nextPoll before anything is learned", () => {
  it.each([
    {
      name: "no answer yet: at once",
      observations: [],
      cap: 3000,
      floor: 1000,
      delay: 0,
      basis: "first",
    },
    {
      name: "one DEPLOYING read: every second to learn",
      observations: [deploying(START)],
      cap: 3000,
      floor: 1000,
      delay: 1000,
      basis: "learning",
    },
    {
      name: "learning, but never later than the cap",
      observations: [deploying(START)],
      cap: 800,
      floor: 0,
      delay: 800,
      basis: "learning",
    },
    {
      name: "learning, but never sooner than the floor",
      observations: [deploying(START)],
      cap: 3000,
      floor: 2000,
      delay: 2000,
      basis: "learning",
    },
    {
      name: "PAUSED moves only by someone's API call: steady at the cap",
      observations: [{ ...deploying(START), deployment: { reason: "PAUSED" } }],
      cap: 3000,
      floor: 1000,
      delay: 3000,
      basis: "steady",
    },
    {
      name: "an answer without a deployment (a 503) after a read: the read's reason still counts",
      observations: [deploying(START), { sentAtMs: START + 1000, receivedAtMs: START + 1004 }],
      cap: 3000,
      floor: 1000,
      delay: 1000,
      basis: "learning",
    },
  ] as const)("$name", ({ observations, cap, floor, delay, basis }) => {
    const last = observations.at(-1);
    const nowMs = last === undefined ? START : last.receivedAtMs;
    const decision = nextPoll({ observations, nowMs, capMs: cap, floorMs: floor });
    expect(decision).toEqual({ delayMs: delay - (nowMs - (last?.sentAtMs ?? nowMs)), basis });
  });
});

describe("nextPoll once the updater's ticks are learned", () => {
  it.each([
    { periodMs: 1000, phaseMs: 437, skewMs: 0 },
    { periodMs: 1000, phaseMs: 912, skewMs: 37_123 },
    { periodMs: 1000, phaseMs: 60, skewMs: -3_600_481 },
    { periodMs: 5000, phaseMs: 437, skewMs: 0 },
    { periodMs: 5000, phaseMs: 4210, skewMs: 37_123 },
    { periodMs: 5000, phaseMs: 2999, skewMs: -3_600_481 },
  ])(
    "ticks every $periodMs ms at phase $phaseMs, server clock $skewMs ms off: detection ≤ ⅓ of the cf CLI's with no more reads a minute",
    ({ periodMs, phaseMs, skewMs }) => {
      const options = { periodMs, phaseMs, skewMs };
      const run = promote(options, ours(), 30);
      const cli = figures(promote(options, cfCli, 30).steps);
      const mine = figures(run.steps);

      expect(learnTicks([run.observations])?.periodMs).toBeCloseTo(periodMs, -1);
      expect(run.decisions.at(-1)?.basis).not.toBe("learning");
      expect(mine.medianDetectionMs).toBeLessThanOrEqual(cli.medianDetectionMs / 3);
      expect(mine.readsPerMinute).toBeLessThanOrEqual(cli.readsPerMinute);
      for (const step of run.steps) {
        expect(Math.min(...step.gapsMs)).toBeGreaterThanOrEqual(FLOOR);
        expect(Math.max(...step.gapsMs)).toBeLessThanOrEqual(CAP);
      }
    },
  );

  it("learns from another deployment of the same Cloud Controller: a fresh canary's step is read once, just after it finishes", () => {
    const grid = { periodMs: 5000, phaseMs: 437, skewMs: 37_123 };
    const other = promote(grid, ours(), 12);
    const updater = new FakeUpdater(grid);
    const continued = updater.continueAt((other.observations.at(-1)?.receivedAtMs ?? START) + 1234);
    const input = { nowMs: continued.receivedAtMs, capMs: 30_000, floorMs: FLOOR };

    const alone = nextPoll({ ...input, observations: [continued] });
    const shared = nextPoll({
      ...input,
      observations: [continued],
      otherDeployments: [other.observations],
    });

    expect(alone.basis).toBe("learning");
    expect(shared.basis).toBe("tick");
    const readAt = continued.receivedAtMs + shared.delayMs;
    expect(readAt).toBeGreaterThan(updater.pauseAt());
    expect(readAt - updater.pauseAt()).toBeLessThan(400);
    expect(updater.read(readAt).deployment?.reason).toBe("PAUSED");
  });

  it("reads the same whatever whole hours the server's clock is off (it goes by the Date header)", () => {
    const delays = (skewMs: number) =>
      promote({ periodMs: 5000, phaseMs: 1234, skewMs }, ours(), 12).decisions.map(
        (d) => d.delayMs,
      );
    expect(delays(3_600_000)).toEqual(delays(0));
    expect(delays(-7_200_000)).toEqual(delays(0));
  });

  it("after a tick that changed nothing (instances still starting), reads just after the next tick", () => {
    const run = promote({ periodMs: 5000, phaseMs: 437, ticksToPause: 4 }, ours(30_000, FLOOR), 20);
    const learned = run.steps.slice(10);
    // A read after each tick from the continue's second on (a probe now and then), none at the 30 s cap.
    expect(median(learned.map((s) => s.reads))).toBe(3);
    expect(Math.max(...learned.map((s) => s.reads))).toBeLessThanOrEqual(4);
    for (const step of learned) {
      for (const gap of step.gapsMs.slice(1)) expect(gap).toBeLessThan(5000 + 1000);
    }
    expect(median(learned.map((s) => s.detectionMs))).toBeLessThan(1000);
  });

  it("keeps the floor when ticks come faster than it: a read after every third tick of 1 s", () => {
    const run = promote({ periodMs: 1000, phaseMs: 437, ticksToPause: 6 }, ours(10_000, 2500), 20);
    const gaps = run.steps.flatMap((s) => s.gapsMs);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2500);
    const learned = run.steps.slice(8).map((s) => s.detectionMs);
    expect(Math.max(...learned)).toBeLessThan(3000);
  });

  it("never waits past the cap when ticks are slower than it", () => {
    const run = promote({ periodMs: 5000, phaseMs: 437 }, ours(2000, FLOOR), 20);
    expect(run.decisions.filter((d) => d.basis === "cap").length).toBeGreaterThan(0);
    expect(Math.max(...run.steps.flatMap((s) => s.gapsMs))).toBeLessThanOrEqual(2000);
  });

  it("learns through jittered ticks (±80 ms)", () => {
    const jitter = seededRandom(99);
    const offsets = Array.from({ length: 400 }, () => (jitter() - 0.5) * 160);
    const options = {
      periodMs: 5000,
      phaseMs: 437,
      jitterMs: (k: number) => offsets[((k % 400) + 400) % 400] ?? 0,
    };
    const run = promote(options, ours(), 30);
    const cli = figures(promote(options, cfCli, 30).steps);
    expect(learnTicks([run.observations])?.periodMs).toBeCloseTo(5000, -2);
    expect(figures(run.steps).medianDetectionMs).toBeLessThanOrEqual(cli.medianDetectionMs / 3);
  });

  it("with irregular ticks (3 s ± 1.4 s) it is no worse than the cf CLI and keeps floor and cap", () => {
    const random = seededRandom(5);
    const offsets = Array.from({ length: 400 }, () => (random() - 0.5) * 2800);
    const jitterMs = (k: number) => offsets[((k % 400) + 400) % 400] ?? 0;
    const options = { periodMs: 3000, phaseMs: 0, jitterMs };
    const run = promote(options, ours(), 20);
    const cli = figures(promote(options, cfCli, 20).steps);
    expect(figures(run.steps).medianDetectionMs).toBeLessThanOrEqual(cli.medianDetectionMs);
    const gaps = run.steps.flatMap((s) => s.gapsMs);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(FLOOR);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(CAP);
  });
});

/** A read answered with `remaining` requests left (of `limit`, when said) and an hour to the reset. */
function anHourToReset(remaining: number, limit?: number): DeploymentObservation {
  const resetAtMs = START + 3_600_000;
  return {
    ...deploying(START),
    rateLimit: limit === undefined ? { remaining, resetAtMs } : { remaining, resetAtMs, limit },
  };
}

describe("nextPoll under the server's pacing headers", () => {
  const now = START + 4;
  it.each([
    {
      name: "Retry-After wins over the cap",
      last: { sentAtMs: START, receivedAtMs: START + 4, retryAfterMs: 7000 },
      delay: 7000,
      basis: "retry-after",
    },
    {
      name: "Remaining 0: nothing before the reset (on the server's clock, an hour ahead)",
      last: {
        ...deploying(START, { serverDateMs: START + 3_600_000 }),
        rateLimit: { remaining: 0, resetAtMs: START + 3_600_000 + 20_000 },
      },
      delay: 20_000,
      basis: "rate-limit",
    },
    {
      name: "Remaining 5 with a minute to the reset: reads spread 12 s apart",
      last: { ...deploying(START), rateLimit: { remaining: 5, resetAtMs: START + 60_000 } },
      delay: 12_000,
      basis: "rate-limit",
    },
    {
      name: "Remaining 200 of 2000 (the tenth kept back) with an hour to the reset: 18 s apart",
      last: anHourToReset(200, 2000),
      delay: 18_000,
      basis: "rate-limit",
    },
    {
      name: "Remaining 90, the limit not said, with an hour to the reset: 40 s apart",
      last: anHourToReset(90),
      delay: 40_000,
      basis: "rate-limit",
    },
    {
      name: "Remaining 400 of 2000 with an hour to the reset: more than a tenth, no stretch",
      last: anHourToReset(400, 2000),
      delay: 1000,
      basis: "learning",
    },
    {
      name: "Remaining plenty: no stretch",
      last: { ...deploying(START), rateLimit: { remaining: 1000, resetAtMs: START + 60_000 } },
      delay: 1000,
      basis: "learning",
    },
  ] as const)("$name", ({ last, delay, basis }) => {
    const observations: DeploymentObservation[] = [deploying(START - 1000), last];
    const decision = nextPoll({ observations, nowMs: now, capMs: CAP, floorMs: FLOOR });
    expect(decision.basis).toBe(basis);
    expect(decision.delayMs).toBeGreaterThanOrEqual(delay - 4 - 500);
    expect(decision.delayMs).toBeLessThanOrEqual(delay);
  });
});
