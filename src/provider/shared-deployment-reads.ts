import type { CallOptions, Deployment } from "../client/index.js";
import type { PromotionClient } from "./promotion-client.js";

/** Reads of deployments by GUID, shared by the promotions waiting side by side in one host. */
export interface SharedDeploymentReads {
  /** The deployment as the Cloud Controller shows it now; fails as `getDeployment` would. */
  read(guid: string, options: { deadline: number }): Promise<Deployment>;
}

export interface SharedReadsOptions {
  /** How long a read waits for others to join it before it is sent. @default 25 */
  gatherMs?: number;
  /** GUIDs per list request, to keep its URL short (37 characters each). @default 50 */
  chunkSize?: number;
}

interface Waiter {
  guid: string;
  deadline: number;
  resolve(deployment: Deployment): void;
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

  const alone = (waiter: Waiter) =>
    client
      .getDeployment(waiter.guid, { deadline: waiter.deadline })
      .then(waiter.resolve, waiter.reject);

  async function send(waiters: Waiter[]): Promise<void> {
    const guids = [...new Set(waiters.map((w) => w.guid))];
    if (guids.length === 1) {
      await Promise.all(waiters.map(alone));
      return;
    }
    // The earliest deadline among them, so that no promotion waits past its own.
    const call: CallOptions = { deadline: Math.min(...waiters.map((w) => w.deadline)) };
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
        waiter.resolve(deployment);
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
    read(guid, { deadline }) {
      return new Promise<Deployment>((resolve, reject) => {
        pending.push({ guid, deadline, resolve, reject });
        if (!scheduled) setTimeout(flush, gatherMs);
        scheduled = true;
      });
    },
  };
}
