import { type ActionEffect, actionEffect, type DeploymentAction } from "./action-effect.js";
import type { Deployment } from "./schemas.js";
import type { Clock, OperationBudget } from "./with-retry.js";

/**
 * How long a continue or cancel in doubt is watched before the call gives up on it. A proxy or
 * router may hold a request and deliver it after the client gave up, so an unchanged read-back
 * right after a timeout proves nothing; the client never re-sends it and watches instead.
 */
export interface LateDeliveryOptions {
  /** How long after the attempt ended the deployment is watched. @default 60000 */
  windowMs: number;
  /** Time between two reads while watching. @default 5000 */
  pollIntervalMs: number;
}

/** The defaults of {@link LateDeliveryOptions}. */
export const DEFAULT_LATE_DELIVERY: Readonly<LateDeliveryOptions> = Object.freeze({
  windowMs: 60_000,
  pollIntervalMs: 5_000,
});

/** What watching came to: the deployment moved (`applied` or `diverged`), or it did not. */
export type Evidence =
  | { moved: true; effect: Exclude<ActionEffect, "unchanged">; deployment: Deployment }
  | { moved: false; deployment: Deployment; watchedMs: number };

/** What {@link awaitEvidence} needs. */
export interface EvidenceWatch {
  action: DeploymentAction;
  /** The deployment before the action was sent. */
  before: Deployment;
  /** The read-back right after the attempt (unchanged from `before`). */
  unchanged: Deployment;
  clock: Clock;
  budget: OperationBudget;
  window: LateDeliveryOptions;
  /** One read of the deployment. */
  read(): Promise<Deployment>;
}

/**
 * Reads the deployment every `pollIntervalMs` until it moves or the window ends (the last read
 * at its end, and never so late that the operation's deadline stops it). Only reads: it never sends the action.
 */
export async function awaitEvidence(watch: EvidenceWatch): Promise<Evidence> {
  const { clock, budget, window } = watch;
  const start = clock.now();
  // A read needs time too: the last one starts a poll interval before the deadline.
  const lastRead = (budget.deadline ?? Number.POSITIVE_INFINITY) - window.pollIntervalMs;
  const end = Math.min(start + window.windowMs, lastRead);
  let deployment = watch.unchanged;
  while (clock.now() < end) {
    const wait = Math.min(window.pollIntervalMs, end - clock.now());
    await clock.sleep(wait, budget.signal);
    deployment = await watch.read();
    const effect = actionEffect(watch.action, watch.before, deployment);
    if (effect !== "unchanged") return { moved: true, effect, deployment };
  }
  return { moved: false, deployment, watchedMs: Math.max(0, clock.now() - start) };
}
