import type {
  DeploymentObservation,
  DeploymentStamps,
} from "../../src/provider/deployment-observation.js";

/**
 * A pure model of one canary deployment under the Cloud Controller's updater, on a virtual clock:
 * ticks at `phaseMs + k × periodMs (+ jitter)` on the client clock, the server clock `skewMs`
 * ahead, stamps cut to whole seconds as V3 JSON and HTTP dates show them. A continue at `c`
 * starts a step; the first tick after it scales up (stamping `last_healthy_at`), and the step
 * pauses `ticksToPause` ticks after `c` (2 when the new instances start at once).
 */
export interface FakeUpdaterOptions {
  periodMs: number;
  phaseMs: number;
  skewMs?: number;
  ticksToPause?: number;
  /** Added to tick k; must keep ticks in order. */
  jitterMs?: (k: number) => number;
  /** Client-side round trip of one read. @default 4 */
  rttMs?: number;
}

const second = (ms: number) => Math.floor(ms / 1000) * 1000;

export class FakeUpdater {
  private readonly skew: number;
  private readonly rtt: number;
  private step = 1;
  private continuedAt = Number.NEGATIVE_INFINITY;
  private priorHealthy = 0;

  constructor(private readonly options: FakeUpdaterOptions) {
    this.skew = options.skewMs ?? 0;
    this.rtt = options.rttMs ?? 4;
  }

  /** Client time of tick k. */
  tick(k: number): number {
    return this.options.phaseMs + k * this.options.periodMs + (this.options.jitterMs?.(k) ?? 0);
  }

  /** The first tick strictly after `t`. */
  private firstTickAfter(t: number): number {
    let k = Math.floor((t - this.options.phaseMs) / this.options.periodMs) - 1;
    while (this.tick(k) <= t) k++;
    return k;
  }

  /** Client time at which the current step pauses. */
  pauseAt(): number {
    const k = this.firstTickAfter(this.continuedAt) + (this.options.ticksToPause ?? 2) - 1;
    return this.tick(k);
  }

  private stamp(clientMs: number): number {
    return second(clientMs + this.skew);
  }

  /** Updater writes of the current step up to `t` (client clock). */
  private lastWriteBy(t: number): number | undefined {
    let latest: number | undefined;
    const first = this.firstTickAfter(this.continuedAt);
    const pauseTick = first + (this.options.ticksToPause ?? 2) - 1;
    for (let k = first; k <= pauseTick && this.tick(k) <= t; k++) latest = this.tick(k);
    return latest;
  }

  private stampsAt(t: number): DeploymentStamps {
    const paused = t >= this.pauseAt();
    const write = this.lastWriteBy(t);
    return {
      reason: paused ? "PAUSED" : "DEPLOYING",
      canaryStep: this.step,
      lastStatusChangeMs: this.stamp(paused ? this.pauseAt() : this.continuedAt),
      updatedAtMs: this.stamp(write ?? this.continuedAt),
      lastHealthyAtMs: this.stamp(write ?? this.priorHealthy),
    };
  }

  /** Our continue, accepted at client time `t`, as the waiting loop records it. */
  continueAt(t: number): DeploymentObservation {
    if (Number.isFinite(this.continuedAt)) this.priorHealthy = this.pauseAt();
    this.continuedAt = t;
    this.step += 1;
    return {
      sentAtMs: t - this.rtt / 2,
      receivedAtMs: t + this.rtt / 2,
      serverDateMs: this.stamp(t),
      deployment: this.stampsAt(t),
      changedStatus: true,
    };
  }

  /** A read sent at client time `t` (the server handles it half a round trip later). */
  read(t: number): DeploymentObservation {
    const handled = t + this.rtt / 2;
    return {
      sentAtMs: t,
      receivedAtMs: t + this.rtt,
      serverDateMs: this.stamp(handled),
      deployment: this.stampsAt(handled),
    };
  }
}
