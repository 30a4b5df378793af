import type { CallOptions, Deployment, ResponseMeta } from "../client/index.js";
import { type GatheredOptions, gatheredCalls } from "./gathered-calls.js";
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
  read(guid: string, options: GatheredOptions): Promise<ObservedDeployment>;
}

export interface SharedReadsOptions {
  /** How long a read waits for others to join it before it is sent. @default 25 */
  gatherMs?: number;
  /** GUIDs per list request, to keep its URL short (37 characters each). @default 50 */
  chunkSize?: number;
  /** Whether a read should wait for others at all (e.g. only while several waits run). @default always */
  gather?: () => boolean;
}

/** A call's options, noting the last answer it got. */
function observing(given: CallOptions) {
  let meta: ResponseMeta | undefined;
  const call: CallOptions = {
    ...given,
    onResponse: (answer) => {
      meta = answer;
      given.onResponse?.(answer);
    },
  };
  return { call, meta: () => meta };
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
  const read = gatheredCalls<ObservedDeployment>({
    loneCallWaits: true,
    ...options,
    async alone(guid, given) {
      const { call, meta } = observing(given);
      const deployment = await client.getDeployment(guid, call);
      return { deployment, meta: meta() };
    },
    async together(guids, given) {
      const { call, meta } = observing(given);
      const listed = await client.listDeployments({ guids }, call);
      return new Map(listed.map((deployment) => [deployment.guid, { deployment, meta: meta() }]));
    },
  });
  return { read };
}
