import type { CallOptions, Deployment, ResponseMeta } from "../client/index.js";
import type { DeploymentObservation, DeploymentStamps } from "./deployment-observation.js";
import { nextPoll } from "./poll-schedule.js";
import type { PromotionClient } from "./promotion-client.js";
import {
  createSharedDeploymentReads,
  type SharedDeploymentReads,
} from "./shared-deployment-reads.js";
import { underlyingClient } from "./signalled-client.js";

/** Observations kept per deployment: enough to learn the updater's ticks, bounded for a long wait. */
const KEPT_OBSERVATIONS = 64;
/** Deployments whose observations are kept for the others to learn from. */
const KEPT_DEPLOYMENTS = 256;
/**
 * Other deployments a wait learns the updater's ticks from: the most recently read ones. The
 * updater writes them all on the same ticks, so a few teach it as well as all of them, and each
 * decision stays cheap on a fleet (with 200 deployments of 64 observations each, one took ~5 ms).
 */
const LEARNING_DEPLOYMENTS = 16;

/**
 * How the promotions running in one provider host read their deployments while they wait: one
 * {@link SharedDeploymentReads} per client (so waits side by side share list requests, and gather
 * only while more than one runs), and what every answer showed, so that each wait's next read is
 * decided by {@link nextPoll} from the updater's ticks as learned across all of them.
 */
export interface WaitReads {
  /** Counts a wait as running (reads gather only while two or more do); call the result at its end. */
  begin(): () => void;
  read(guid: string, options: CallOptions & { deadline: number }): Promise<Deployment>;
  /** The same shared read, noting nothing (for the client's own reads around a continue). */
  readUnnoted(guid: string, options: CallOptions): Promise<Deployment>;
  /** A read made elsewhere (the client's read-back after a continue), answered as `meta` says. */
  noteRead(guid: string, meta: ResponseMeta, deployment: Deployment): void;
  /** Our own accepted continue or cancel: the status changed while `meta`'s request ran. */
  noteAction(guid: string, meta: ResponseMeta, reason: string, canaryStep?: number): void;
  /** Milliseconds until the wait of `guid` should read again. */
  nextDelayMs(guid: string, timing: { nowMs: number; capMs: number; floorMs: number }): number;
}

const hostReads = new WeakMap<object, WaitReads>();

/** The wait reads of `client`'s connection in this host (one per underlying client). */
export function waitReadsFor(client: PromotionClient): WaitReads {
  const key = underlyingClient(client);
  let reads = hostReads.get(key);
  if (reads === undefined) {
    reads = createWaitReads(key);
    hostReads.set(key, reads);
  }
  return reads;
}

export function createWaitReads(client: PromotionClient): WaitReads {
  let running = 0;
  const shared = createSharedDeploymentReads(client, { gather: () => running > 1 });
  const seen = new Map<string, DeploymentObservation[]>();

  // In place: each wait reads these synchronously, inside `nextDelayMs`, and keeps no copy.
  const record = (guid: string, observation: DeploymentObservation) => {
    const list = seen.get(guid) ?? [];
    list.push(observation);
    if (list.length > KEPT_OBSERVATIONS) list.shift();
    // Moved to the end: the map's order is the order deployments were last seen in.
    seen.delete(guid);
    seen.set(guid, list);
    while (seen.size > KEPT_DEPLOYMENTS) {
      const oldest = seen.keys().next().value;
      if (oldest === undefined) break;
      seen.delete(oldest);
    }
  };

  /** The observations of the `LEARNING_DEPLOYMENTS` deployments last seen, other than `guid`. */
  const lastSeenOthers = (guid: string) => {
    const others: DeploymentObservation[][] = [];
    // forEach: one pass over up to 256 entries on every decision, without an entry array each.
    seen.forEach((list, other) => {
      if (other === guid) return;
      others.push(list);
      if (others.length > LEARNING_DEPLOYMENTS) others.shift();
    });
    return others;
  };

  return {
    begin() {
      running += 1;
      let ended = false;
      return () => {
        if (!ended) running -= 1;
        ended = true;
      };
    },
    async read(guid, options) {
      const { deployment, meta } = await shared.read(guid, options);
      if (meta !== undefined) this.noteRead(guid, meta, deployment);
      return deployment;
    },
    async readUnnoted(guid, options) {
      return (await shared.read(guid, options)).deployment;
    },
    noteRead(guid, meta, deployment) {
      record(guid, { ...timesOf(meta), deployment: stampsOf(deployment) });
    },
    noteAction(guid, meta, reason, canaryStep) {
      const last = seen.get(guid)?.at(-1)?.deployment;
      const changedAt = meta.serverDateMs;
      record(guid, {
        ...timesOf(meta),
        changedStatus: true,
        deployment: {
          reason,
          ...(canaryStep === undefined ? {} : { canaryStep }),
          ...(changedAt === undefined
            ? {}
            : { lastStatusChangeMs: changedAt, updatedAtMs: changedAt }),
          // A continue leaves the health stamp alone.
          ...(last?.lastHealthyAtMs === undefined ? {} : { lastHealthyAtMs: last.lastHealthyAtMs }),
        },
      });
    },
    nextDelayMs(guid, timing) {
      const observations = seen.get(guid) ?? [];
      if (observations.length === 0) return timing.capMs;
      return nextPoll({ observations, otherDeployments: lastSeenOthers(guid), ...timing }).delayMs;
    },
  };
}

function timesOf(meta: ResponseMeta): Omit<DeploymentObservation, "deployment"> {
  return {
    sentAtMs: meta.sentAtMs,
    receivedAtMs: meta.receivedAtMs,
    ...(meta.serverDateMs === undefined ? {} : { serverDateMs: meta.serverDateMs }),
    ...(meta.retryAfterMs === undefined ? {} : { retryAfterMs: meta.retryAfterMs }),
    ...(meta.rateLimit === undefined ? {} : { rateLimit: meta.rateLimit }),
  };
}

const epochOf = (text: string | null | undefined) => {
  const ms = text === null || text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
};

/** What the poll schedule reads of a deployment (server-clock stamps as epoch ms). */
function stampsOf(deployment: Deployment): DeploymentStamps {
  const { status } = deployment;
  const lastStatusChange = epochOf(status.details.last_status_change);
  const lastHealthy = epochOf(status.details.last_successful_healthcheck);
  const updatedAt = epochOf(deployment.updated_at);
  return {
    reason: status.reason,
    ...(status.canary === undefined ? {} : { canaryStep: status.canary.steps.current }),
    ...(lastStatusChange === undefined ? {} : { lastStatusChangeMs: lastStatusChange }),
    ...(updatedAt === undefined ? {} : { updatedAtMs: updatedAt }),
    ...(lastHealthy === undefined ? {} : { lastHealthyAtMs: lastHealthy }),
  };
}
