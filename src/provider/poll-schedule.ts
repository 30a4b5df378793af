import type { DeploymentObservation } from "./deployment-observation.js";
import {
  byArrival,
  type ClockOffset,
  learnTicks,
  serverClockOffset,
  type TickModel,
  type TickWindow,
  updaterWrites,
} from "./updater-ticks.js";

/** What the waiting loop knows when it decides when to read a deployment again. */
export interface PollScheduleInput {
  /** Every answer about this deployment so far, oldest first (see {@link DeploymentObservation}). */
  observations: readonly DeploymentObservation[];
  /**
   * Answers about other deployments of the same Cloud Controller, if the caller has them: the same
   * updater writes them on the same ticks, so they teach its period and phase sooner.
   */
  otherDeployments?: readonly (readonly DeploymentObservation[])[];
  /** Client clock, epoch ms. */
  nowMs: number;
  /** The longest gap between two reads: the user's `pollIntervalSeconds`, in ms. */
  capMs: number;
  /** The shortest gap between two reads (the floor against a shared Cloud Controller). */
  floorMs: number;
  /** How long after an expected tick to read, so the read lands after the tick's write. @default 100 */
  marginMs?: number;
}

/** Why the next read is when it is. */
export type PollBasis =
  | "first"
  | "steady"
  | "learning"
  | "tick"
  | "probe"
  | "cap"
  | "rate-limit"
  | "retry-after";

export interface PollDecision {
  /** Milliseconds from `nowMs` to the next read. */
  delayMs: number;
  basis: PollBasis;
  /** The updater ticks learned so far, if any. */
  ticks?: TickModel;
}

const DEFAULT_MARGIN_MS = 100;
/**
 * Until updater writes agree on a period, the first read after a status change comes this soon
 * (within floor and cap) and each further one {@link LEARNING_GROWTH} times later.
 */
const LEARNING_INTERVAL_MS = 1000;
const LEARNING_GROWTH = 1.5;
/** Reasons the updater moves on its own; anything else waits for someone's API call. */
const TICK_BOUND = new Set(["DEPLOYING", "CANCELING"]);
/** A phase window wider than this share of the period (and 100 ms) is probed in its middle. */
const PROBE_SHARE = 0.05;
const COSTLY_PROBE_SHARE = 0.25;
const PROBE_MIN_WIDTH_MS = 100;
/** How many finished steps' missed probes steer the next probe. */
const RECENT_STEPS = 3;

interface Planned {
  atMs: number;
  basis: PollBasis;
}

/**
 * When to read a waiting deployment next. The updater writes only on its ticks, so once its period
 * and phase are learned (see `updater-ticks.ts`) the read goes just after the next tick that can
 * change something, instead of on a fixed interval; never sooner than `floorMs` after the last
 * read, never later than `capMs`, and later still when `Retry-After` or the rate-limit headers ask.
 */
export function nextPoll(input: PollScheduleInput): PollDecision {
  const last = input.observations.at(-1);
  if (last === undefined) return { delayMs: 0, basis: "first" };
  const floorMs = Math.max(0, input.floorMs);
  const capMs = Math.max(input.capMs, floorMs);
  const marginMs = input.marginMs ?? DEFAULT_MARGIN_MS;
  const all = [input.observations, ...(input.otherDeployments ?? [])];
  const offset = serverClockOffset(byArrival(all));
  const ticks = learnTicks(all, offset);
  const reason = [...input.observations].reverse().find((o) => o.deployment)?.deployment?.reason;

  let planned: Planned;
  if (reason === undefined || !TICK_BOUND.has(reason)) {
    planned = { atMs: last.sentAtMs + capMs, basis: "steady" };
  } else if (ticks === undefined) {
    // Close reads right after the change see two writes a tick apart even for short periods;
    // later ones stretch toward the cap so a long period is not paid for with many reads.
    const reads = statusChange(input.observations, offset).readsSince;
    const interval = LEARNING_INTERVAL_MS * LEARNING_GROWTH ** Math.max(0, reads - 1);
    planned = {
      atMs: last.sentAtMs + Math.min(capMs, Math.max(floorMs, interval)),
      basis: "learning",
    };
  } else {
    planned = capped(
      afterTick(input.observations, ticks, offset, floorMs, marginMs),
      last.sentAtMs,
      floorMs,
      capMs,
    );
  }
  planned = paced(planned, last, offset, ticks, marginMs);
  return {
    delayMs: Math.max(0, Math.ceil(planned.atMs - input.nowMs)),
    basis: planned.basis,
    ...(ticks === undefined ? {} : { ticks }),
  };
}

/** Index of the first tick (relative to the model's window) that may come after `t`. */
function tickAfter(ticks: TickModel, t: number): number {
  return Math.floor((t - ticks.toMs) / ticks.periodMs) + 1;
}

/**
 * The read just after the first tick that can bring news. A step the continue (or a create) just
 * started cannot finish on the next tick: that tick starts the new instances and only a later one
 * can find them routable (cloud_controller_ng lib/cloud_controller/deployment_updater/actions/up_scaler.rb).
 */
function afterTick(
  observations: readonly DeploymentObservation[],
  ticks: TickModel,
  offset: ClockOffset | undefined,
  floorMs: number,
  marginMs: number,
): Planned {
  const earliestMs = (observations.at(-1)?.sentAtMs ?? 0) + floorMs;
  const last = observations.at(-1);
  if (last === undefined) throw new Error("afterTick needs an observation");
  let k = tickAfter(ticks, last.sentAtMs);
  const change = statusChange(observations, offset);
  const unprobed = unprobedPart(observations, ticks);
  // A probe that misses costs a whole period when the period is no longer than the floor.
  const share = ticks.periodMs <= floorMs ? COSTLY_PROBE_SHARE : PROBE_SHARE;
  const wide =
    unprobed.toMs - unprobed.fromMs > Math.max(PROBE_MIN_WIDTH_MS, ticks.periodMs * share);
  if (change.reason === "DEPLOYING" && !change.scaledSince && change.afterMs !== undefined) {
    const first = tickAfter(ticks, change.afterMs);
    const straddles = ticks.fromMs + first * ticks.periodMs <= change.afterMs;
    // Which tick came first is unsure: while the phase is wide the earlier is assumed (a read there
    // narrows it); once narrow, with a period no longer than the floor, a read that misses would
    // cost a whole period, so the later.
    const later = straddles && !wide && ticks.periodMs <= floorMs;
    k = Math.max(k, first + 1 + (later ? 1 : 0));
  }
  const from = ticks.fromMs + k * ticks.periodMs;
  const to = ticks.toMs + k * ticks.periodMs;
  const probe = (unprobed.fromMs + unprobed.toMs) / 2 + k * ticks.periodMs;
  // A read in the middle of a wide window halves it when it sees the tick's write.
  if (wide && last.sentAtMs < from && probe >= earliestMs) {
    return { atMs: probe, basis: "probe" };
  }
  let atMs = to + marginMs;
  while (atMs < earliestMs) atMs += ticks.periodMs;
  return { atMs, basis: "tick" };
}

/**
 * The part of the phase window that the last few steps' reads have not probed in vain. A read in
 * the window that did not yet see the step finish says nothing for sure (the step may need more
 * ticks), so it never narrows the model; but probing there again would likely miss again, so the
 * next probe goes higher. Only recent steps count: the window itself moves as it is learned.
 */
function unprobedPart(
  observations: readonly DeploymentObservation[],
  ticks: TickModel,
): TickWindow {
  const seen = observations.filter((o) => o.deployment !== undefined);
  let fromMs = ticks.fromMs;
  let steps = 0;
  for (let i = seen.length - 1; i > 0 && steps < RECENT_STEPS; i--) {
    const before = seen[i - 1];
    const finished =
      before?.deployment?.reason === "DEPLOYING" && seen[i]?.deployment?.reason !== "DEPLOYING";
    if (!finished || before === undefined) continue;
    steps += 1;
    if (before.changedStatus === true) continue;
    const k = Math.round((before.sentAtMs - ticks.fromMs) / ticks.periodMs);
    const at = before.sentAtMs - k * ticks.periodMs;
    if (at > fromMs && at < ticks.toMs) fromMs = at;
  }
  return { fromMs, toMs: ticks.toMs };
}

/**
 * When the deployment's current status began (a lower bound on the client clock), and whether an
 * updater write (a scale-up) has been seen since.
 */
function statusChange(
  observations: readonly DeploymentObservation[],
  offset: ClockOffset | undefined,
): {
  reason: string | undefined;
  afterMs: number | undefined;
  scaledSince: boolean;
  readsSince: number;
} {
  const seen = observations.filter((o) => o.deployment !== undefined);
  const reason = seen.at(-1)?.deployment?.reason;
  let start = seen.length - 1;
  while (start > 0 && seen[start]?.changedStatus !== true) {
    if (seen[start - 1]?.deployment?.reason !== reason) break;
    start--;
  }
  const first = seen[start];
  const bounds: number[] = [];
  if (first?.changedStatus === true) bounds.push(first.sentAtMs);
  else if (start > 0) bounds.push(seen[start - 1]?.sentAtMs ?? Number.NEGATIVE_INFINITY);
  const stamp = first?.deployment?.lastStatusChangeMs;
  if (stamp !== undefined && offset !== undefined) bounds.push(stamp - offset.highMs);
  return {
    reason,
    afterMs: bounds.length === 0 ? undefined : Math.max(...bounds),
    scaledSince: updaterWrites(seen.slice(start), offset).length > 0,
    readsSince: seen.length - 1 - start,
  };
}

/** Never later than the cap: reads spread evenly up to the planned one (none sooner than the floor). */
function capped(planned: Planned, lastSentMs: number, floorMs: number, capMs: number): Planned {
  const wait = planned.atMs - lastSentMs;
  if (wait <= capMs) return planned;
  const spaced = wait / Math.ceil(wait / capMs);
  return { atMs: lastSentMs + (spaced >= floorMs ? spaced : capMs), basis: "cap" };
}

/**
 * Reads are spent freely while more than this share of `X-RateLimit-Limit` is left: a fleet may
 * need most of an hour's budget in a minute, and the tenth kept back leaves the same user's other
 * tools some of the window. CC states what is left in tenths of the limit
 * (`estimate_remaining` in cloud_controller_ng middleware/base_rate_limiter.rb).
 */
const RATE_LIMIT_RESERVE = 0.1;
/** The reserve when the answer did not say the limit. */
const RESERVE_WITHOUT_LIMIT = 100;

/**
 * `Retry-After` and the rate-limit headers of the newest answer. With `X-RateLimit-Remaining` at 0
 * nothing is sent before `X-RateLimit-Reset`; at or below the reserve, reads are spread so the rest
 * lasts until the reset (the next tick after that, when ticks are known). Both may go past the cap.
 */
function paced(
  planned: Planned,
  last: DeploymentObservation,
  offset: ClockOffset | undefined,
  ticks: TickModel | undefined,
  marginMs: number,
): Planned {
  let result = planned;
  const { limit } = last.rateLimit ?? {};
  const reserve = limit === undefined ? RESERVE_WITHOUT_LIMIT : limit * RATE_LIMIT_RESERVE;
  if (last.rateLimit !== undefined && last.rateLimit.remaining <= reserve) {
    const resetMs = last.rateLimit.resetAtMs - (offset ? (offset.lowMs + offset.highMs) / 2 : 0);
    const remaining = last.rateLimit.remaining;
    const spread = remaining <= 0 ? resetMs : last.sentAtMs + (resetMs - last.sentAtMs) / remaining;
    if (spread > result.atMs) {
      const k = ticks === undefined ? undefined : tickAfter(ticks, spread - marginMs);
      const atMs =
        ticks === undefined || k === undefined
          ? spread
          : Math.max(spread, ticks.toMs + k * ticks.periodMs + marginMs);
      result = { atMs, basis: "rate-limit" };
    }
  }
  if (last.retryAfterMs !== undefined && last.receivedAtMs + last.retryAfterMs > result.atMs) {
    result = { atMs: last.receivedAtMs + last.retryAfterMs, basis: "retry-after" };
  }
  return result;
}
