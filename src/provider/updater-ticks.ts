import type { DeploymentObservation, DeploymentStamps } from "./deployment-observation.js";

/**
 * The Cloud Controller changes a deployment only on its updater's ticks: a loop that runs the
 * dispatcher, then sleeps `update_frequency_in_seconds` less the time the run took (5 s by default;
 * cloud_controller_ng lib/cloud_controller/deployment_updater/scheduler.rb). This file learns that
 * loop's period and phase, on the client's clock, from what reads of one deployment showed.
 */

/** Reasons only the updater writes (cloud_controller_ng lib/cloud_controller/deployment_updater/updater.rb). */
const UPDATER_REASONS = new Set(["PAUSED", "DEPLOYED", "CANCELED"]);
/** Timestamps in V3 JSON and HTTP dates have whole seconds: a stamp S means [S, S + 1 s). */
const STAMP_RESOLUTION_MS = 1000;
/** Only the newest writes are folded into the phase, so a drifting or restarted updater is relearned. */
const MAX_WRITES = 24;
/**
 * The period comes from more of them: two writes one tick apart are seen only while reads are
 * frequent, and gaps between steps are several ticks.
 */
const PERIOD_WRITES = 64;
/** Writes needed before a grid is believed. */
const MIN_WRITES = 3;
/** The shortest updater period believed; CC's setting is in whole seconds. */
const MIN_PERIOD_MS = 500;
/** How far a tick may stray from the period (a slow dispatcher run, a busy timer). */
const JITTER_SHARE = 0.01;
const JITTER_FLOOR_MS = 30;

/** The server's clock minus the client's, as the bounds every `Date` header allows. */
export interface ClockOffset {
  lowMs: number;
  highMs: number;
}

/** A client-clock interval that holds the instant of one updater write. */
export interface TickWindow {
  fromMs: number;
  toMs: number;
}

/** Ticks at `fromMs + k × periodMs` … `toMs + k × periodMs` (client clock), k any integer. */
export interface TickModel {
  periodMs: number;
  fromMs: number;
  toMs: number;
}

/**
 * Intersects what each `Date` allows (the server stamped it while the request was in flight),
 * newest first; an answer that contradicts the newer ones (a clock step) ends the intersection.
 */
export function serverClockOffset(
  observations: readonly DeploymentObservation[],
): ClockOffset | undefined {
  let lowMs = Number.NEGATIVE_INFINITY;
  let highMs = Number.POSITIVE_INFINITY;
  let dated = false;
  for (let i = observations.length - 1; i >= 0; i--) {
    const o = observations[i];
    if (o?.serverDateMs === undefined) continue;
    const low = o.serverDateMs - o.receivedAtMs;
    const high = o.serverDateMs + STAMP_RESOLUTION_MS - o.sentAtMs;
    if (dated && (low > highMs || high < lowMs)) break;
    lowMs = Math.max(lowMs, low);
    highMs = Math.min(highMs, high);
    dated = true;
  }
  return dated ? { lowMs, highMs } : undefined;
}

/** Every deployment's observations in one list, in the order their answers arrived. */
export function byArrival(
  deployments: readonly (readonly DeploymentObservation[])[],
): DeploymentObservation[] {
  return deployments.flat().sort((a, b) => a.receivedAtMs - b.receivedAtMs);
}

/** The server stamp of the updater write between two reads, if they show one. */
function updaterStamp(before: DeploymentStamps, after: DeploymentStamps): number | undefined {
  const healthyBefore = before.lastHealthyAtMs;
  if (
    healthyBefore !== undefined &&
    after.lastHealthyAtMs !== undefined &&
    after.lastHealthyAtMs !== healthyBefore
  ) {
    // Only the updater writes last_healthy_at (up_scaler.rb#scale_up, updater.rb#canary).
    return after.lastHealthyAtMs;
  }
  if (after.reason !== before.reason) {
    return UPDATER_REASONS.has(after.reason) ? after.lastStatusChangeMs : undefined;
  }
  const scaling = after.reason === "DEPLOYING" || after.reason === "CANCELING";
  const withoutHealthStamp = after.lastHealthyAtMs === undefined;
  return scaling && withoutHealthStamp && after.updatedAtMs !== before.updatedAtMs
    ? after.updatedAtMs
    : undefined;
}

/** A write and the stamp it carried (server clock), oldest first. */
export interface UpdaterWrite {
  window: TickWindow;
  stampMs: number | undefined;
  /**
   * For a write that finished a step: no earlier than this (client clock) did the step start. The
   * tick that starts a step's new instances cannot also find them routable
   * (cloud_controller_ng lib/cloud_controller/deployment_updater/actions/up_scaler.rb), so the
   * finishing tick is at least a period later.
   */
  stepStartMs?: number;
}

/**
 * Every updater write the reads show: between two reads that differ, narrowed by the write's own
 * stamp once the clock offset is known. Several writes between two reads show as the last one.
 */
export function updaterWrites(
  observations: readonly DeploymentObservation[],
  offset: ClockOffset | undefined,
): UpdaterWrite[] {
  const writes: UpdaterWrite[] = [];
  let previous: DeploymentObservation | undefined;
  let stepStartMs: number | undefined;
  for (const current of observations) {
    if (current.deployment === undefined) continue;
    const before = previous?.deployment;
    if (current.changedStatus === true) stepStartMs = current.sentAtMs;
    else if (current.deployment.reason === "DEPLOYING" && before?.reason !== "DEPLOYING") {
      stepStartMs = previous?.sentAtMs;
    }
    const stamp =
      before === undefined || current.changedStatus === true
        ? undefined
        : updaterStamp(before, current.deployment);
    if (previous !== undefined && stamp !== undefined) {
      const finished =
        before?.reason === "DEPLOYING" && UPDATER_REASONS.has(current.deployment.reason);
      writes.push({
        window: narrow(previous.sentAtMs, current.receivedAtMs, stamp, offset),
        stampMs: stamp,
        ...(finished && stepStartMs !== undefined ? { stepStartMs } : {}),
      });
    }
    previous = current;
  }
  return writes;
}

function narrow(
  from: number,
  to: number,
  stamp: number,
  offset: ClockOffset | undefined,
): TickWindow {
  if (offset === undefined) return { fromMs: from, toMs: to };
  const fromMs = Math.max(from, stamp - offset.highMs);
  const toMs = Math.min(to, stamp + STAMP_RESOLUTION_MS - offset.lowMs);
  return fromMs <= toMs ? { fromMs, toMs } : { fromMs: from, toMs: to };
}

function jitterMs(periodMs: number): number {
  return Math.max(JITTER_FLOOR_MS, periodMs * JITTER_SHARE);
}

/**
 * The period from the writes' stamps: the smallest gap between two writes is one tick (or a few),
 * and a least-squares fit over every write refines it. `undefined` when the writes do not sit on
 * one grid (irregular ticks) or there are fewer than two.
 */
function updaterPeriodMs(writes: readonly UpdaterWrite[]): number | undefined {
  const times = writes.map((w) => w.stampMs ?? (w.window.fromMs + w.window.toMs) / 2);
  const first = times[0];
  if (first === undefined || times.length < 2) return undefined;
  let smallest = Number.POSITIVE_INFINITY;
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] ?? first) - (times[i - 1] ?? first);
    if (gap >= MIN_PERIOD_MS) smallest = Math.min(smallest, gap);
  }
  if (!Number.isFinite(smallest)) return undefined;
  let weighted = 0;
  let squares = 0;
  const ticks = times.map((t) => Math.round((t - first) / smallest));
  times.forEach((t, i) => {
    const n = ticks[i] ?? 0;
    weighted += (t - first) * n;
    squares += n * n;
  });
  const period = weighted / squares;
  const tolerance = STAMP_RESOLUTION_MS + jitterMs(period);
  const regular = times.every(
    (t, i) => Math.abs(t - first - (ticks[i] ?? 0) * period) <= tolerance,
  );
  return regular && period >= MIN_PERIOD_MS ? period : undefined;
}

/** Pieces of the circle [0, period): where a tick may lie within one period. */
type Arcs = Array<[number, number]>;

/** A window as pieces of the circle measured from `originMs`; the whole circle when it is a period or wider. */
function arcsOf(window: TickWindow, originMs: number, periodMs: number): Arcs {
  if (window.toMs - window.fromMs >= periodMs) return [[0, periodMs]];
  const from = (((window.fromMs - originMs) % periodMs) + periodMs) % periodMs;
  const to = from + (window.toMs - window.fromMs);
  return to <= periodMs
    ? [[from, to]]
    : [
        [from, periodMs],
        [0, to - periodMs],
      ];
}

function intersectArcs(a: Arcs, b: Arcs): Arcs {
  const result: Arcs = [];
  for (const [af, at] of a) {
    for (const [bf, bt] of b) {
      const from = Math.max(af, bf);
      const to = Math.min(at, bt);
      if (from <= to) result.push([from, to]);
    }
  }
  return result;
}

/**
 * Folds the newest writes' windows onto one period: where the ticks can lie, as the window of the
 * tick at or after the newest write's start. A write that fits nowhere the newer ones allow (the
 * updater moved) ends the fold, so it and older writes are dropped; fewer than three that agree
 * are no phase.
 */
function tickPhase(writes: readonly UpdaterWrite[], periodMs: number): TickWindow | undefined {
  const recent = writes.slice(-MAX_WRITES);
  const newest = recent.at(-1);
  if (newest === undefined) return undefined;
  const jitter = jitterMs(periodMs);
  const origin = newest.window.fromMs - jitter;
  let arcs: Arcs = [[0, periodMs]];
  let folded = 0;
  for (let i = recent.length - 1; i >= 0; i--) {
    const write = recent[i];
    if (write === undefined) break;
    const w = write.window;
    const notBefore = write.stepStartMs === undefined ? w.fromMs : write.stepStartMs + periodMs;
    const widened = { fromMs: Math.max(w.fromMs, notBefore) - jitter, toMs: w.toMs + jitter };
    const next = intersectArcs(arcs, arcsOf(widened, origin, periodMs));
    if (next.length === 0) break;
    arcs = next;
    folded += 1;
  }
  if (folded < Math.min(MIN_WRITES, recent.length)) return undefined;
  const sorted = arcs.sort((x, y) => x[0] - y[0]);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return undefined;
  // Pieces on both sides of the origin are one window across it; otherwise their hull.
  const wraps = sorted.length > 1 && first[0] === 0 && last[1] === periodMs;
  const piece = (x: number) => origin + x;
  if (!wraps) return { fromMs: piece(first[0]), toMs: piece(last[1]) };
  const beforeWrap = sorted.filter(([from]) => from > 0);
  const start = beforeWrap[0]?.[0] ?? 0;
  const end = sorted.filter(([, to]) => to < periodMs).at(-1)?.[1] ?? periodMs;
  return { fromMs: piece(start - periodMs), toMs: piece(end) };
}

/**
 * The updater's ticks as far as the reads tell, or `undefined` until three writes agree on a grid
 * (any two do). Reads of several deployments of one Cloud Controller all count: one updater
 * writes them all on the same ticks.
 */
export function learnTicks(
  deployments: readonly (readonly DeploymentObservation[])[],
  offset: ClockOffset | undefined = serverClockOffset(byArrival(deployments)),
): TickModel | undefined {
  const writes = deployments
    .flatMap((observations) => updaterWrites(observations, offset))
    .sort((a, b) => a.window.toMs - b.window.toMs)
    .slice(-PERIOD_WRITES);
  // Oldest writes go first when they break the grid: the updater may have restarted meanwhile.
  for (let start = 0; start <= writes.length - MIN_WRITES; start++) {
    const recent = writes.slice(start);
    const periodMs = updaterPeriodMs(recent);
    const phase = periodMs === undefined ? undefined : tickPhase(recent, periodMs);
    if (periodMs !== undefined && phase !== undefined) return { periodMs, ...phase };
  }
  return undefined;
}
