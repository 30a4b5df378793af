import type { CallOptions, Deployment, ResponseMeta } from "../client/index.js";
import type { PromotionClient } from "./promotion-client.js";

/** A deployment as one answer showed it, with that answer's times and headers. */
export interface ObservedDeployment {
  deployment: Deployment;
  /** The answer it came in (absent only if the client reported none). */
  meta: ResponseMeta | undefined;
}

/** Reads of deployments by GUID, shared by the promotions waiting side by side in one host. */
export interface SharedDeploymentReads {
  /** The deployment as the Cloud Controller shows it now; fails as `getDeployment` would. */
  read(guid: string, options: CallOptions & { deadline: number }): Promise<ObservedDeployment>;
}

export interface SharedReadsOptions {
  /** How long a read waits for others to join it before it is sent. @default 25 */
  gatherMs?: number;
  /** GUIDs per list request, to keep its URL short (37 characters each). @default 50 */
  chunkSize?: number;
  /** Whether a read should wait for others at all (e.g. only while several waits run). @default always */
  gather?: () => boolean;
}

interface Waiter {
  guid: string;
  options: CallOptions & { deadline: number };
  resolve(observed: ObservedDeployment): void;
  reject(error: unknown): void;
}

/**
 * One `GET /v3/deployments?guids=…` for every wait that polls at about the same moment, instead
 * of one GET per promotion: a fleet waiting on the updater's ticks polls together, and the rate
 * limiter counts each request (cloud_controller_ng middleware/base_rate_limiter.rb). A read that
 * has nobody to share with is the plain `GET /v3/deployments/:guid`, and a deployment missing
 * from the list (gone, or not visible) is read alone so that its error is the one CC gives for it.
 * Each promotion still decides for itself from what it reads.
 */
export function createSharedDeploymentReads(
  client: Pick<PromotionClient, "getDeployment" | "listDeployments">,
  options: SharedReadsOptions = {},
): SharedDeploymentReads {
  const gatherMs = options.gatherMs ?? 25;
  const chunkSize = options.chunkSize ?? 50;
  let pending: Waiter[] = [];
  let scheduled = false;

  /** A call's options, noting the last answer it got. */
  const observing = (given: CallOptions) => {
    let meta: ResponseMeta | undefined;
    const call: CallOptions = {
      ...given,
      onResponse: (answer) => {
        meta = answer;
        given.onResponse?.(answer);
      },
    };
    return { call, meta: () => meta };
  };

  const alone = async (waiter: Waiter) => {
    const { call, meta } = observing(waiter.options);
    try {
      const deployment = await client.getDeployment(waiter.guid, call);
      waiter.resolve({ deployment, meta: meta() });
    } catch (error) {
      waiter.reject(error);
    }
  };

  async function send(waiters: Waiter[]): Promise<void> {
    const guids = [...new Set(waiters.map((w) => w.guid))];
    if (guids.length === 1) {
      await Promise.all(waiters.map(alone));
      return;
    }
    // The earliest deadline among them, so that no promotion waits past its own; the first
    // one's signal (all of a host's provider calls end together when its engine goes).
    const first = waiters[0]?.options;
    const { call, meta } = observing({
      ...(first?.signal === undefined ? {} : { signal: first.signal }),
      deadline: Math.min(...waiters.map((w) => w.options.deadline)),
    });
    let listed: Deployment[];
    try {
      listed = await client.listDeployments({ guids }, call);
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    const byGuid = new Map(listed.map((deployment) => [deployment.guid, deployment]));
    await Promise.all(
      waiters.map((waiter) => {
        const deployment = byGuid.get(waiter.guid);
        if (deployment === undefined) return alone(waiter);
        waiter.resolve({ deployment, meta: meta() });
        return undefined;
      }),
    );
  }

  function flush(): void {
    scheduled = false;
    const batch = pending;
    pending = [];
    const guids = [...new Set(batch.map((w) => w.guid))];
    for (let start = 0; start < guids.length; start += chunkSize) {
      const chunk = new Set(guids.slice(start, start + chunkSize));
      void send(batch.filter((waiter) => chunk.has(waiter.guid)));
    }
  }

  return {
    read(guid, readOptions) {
      return new Promise<ObservedDeployment>((resolve, reject) => {
        const waiter = { guid, options: readOptions, resolve, reject };
        if (options.gather?.() === false) {
          void alone(waiter);
          return;
        }
        pending.push(waiter);
        if (!scheduled) setTimeout(flush, gatherMs);
        scheduled = true;
      });
    },
  };
}
