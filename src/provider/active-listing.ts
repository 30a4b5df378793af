import type { CallOptions, Deployment } from "../client/index.js";
import type { PromotionClient } from "./promotion-client.js";
import { underlyingClient } from "./signalled-client.js";

/**
 * Active-deployment lookups for the plans of a fleet's Checks. The engine checks new resources
 * one after another (`stepGenerator` in pulumi pkg/resource/deploy/step_generator.go calls
 * `Check` inline), so their lookups never overlap and cannot be gathered; each Check's lookup
 * holds up the registration of every resource after it. Once lookups come in quick succession
 * (`BURST_LOOKUPS` within `BURST_WINDOW_MS`), one list of every ACTIVE deployment the user can see
 * (`GET /v3/deployments?status_values=ACTIVE&order_by=-created_at`, few at any moment: a
 * deployment is ACTIVE while it rolls out) answers the lookups that follow while it is at most
 * `LISTING_FRESH_MS` old; an app it does not show is looked up alone, as before.
 */
const BURST_LOOKUPS = 3;
const BURST_WINDOW_MS = 2_000;
/**
 * How old the list may be for a lookup it answers: the bound within which a create may continue
 * from what its check found (`CHECKED_TARGET_FRESH_MS` in checked-targets.ts), which counts from
 * the list's start (`listedAtMs`).
 */
const LISTING_FRESH_MS = 1_000;
/** One page: CC's largest (`per_page` 1..5000, cloud_controller_ng app/messages/list_message.rb). */
const LISTING_PAGE = 5_000;

interface Listing {
  startedAtMs: number;
  /** Each app's newest ACTIVE deployment; `undefined` when the list failed. */
  newest: Promise<Map<string, Deployment> | undefined>;
}

interface ListingState {
  recent: number[];
  listing?: Listing | undefined;
}

const states = new WeakMap<object, ListingState>();
/** When the list that answered a lookup was asked for: the deployment is no older than that. */
const listedAt = new WeakMap<Deployment, number>();

/** When the list a deployment came from was requested, if it came from one. */
export function listedAtMs(deployment: Deployment): number | undefined {
  return listedAt.get(deployment);
}

function stateOf(client: PromotionClient): ListingState {
  const key = underlyingClient(client);
  let state = states.get(key);
  if (state === undefined) {
    state = { recent: [] };
    states.set(key, state);
  }
  return state;
}

function startListing(client: PromotionClient, nowMs: number, options: CallOptions): Listing {
  const newest = client
    .listDeployments(
      { statusValues: ["ACTIVE"], orderBy: "-created_at", perPage: LISTING_PAGE },
      options,
    )
    .then((listed) => {
      const byApp = new Map<string, Deployment>();
      for (const deployment of listed) {
        const app = deployment.relationships.app.data.guid;
        if (!byApp.has(app)) byApp.set(app, deployment);
        listedAt.set(deployment, nowMs);
      }
      return byApp;
    })
    // Only a shortcut: a failed list leaves each lookup to ask alone, and say what went wrong.
    .catch(() => undefined);
  return { startedAtMs: nowMs, newest };
}

/**
 * `client.getActiveDeployment(appGuid)`, answered from the host's list of ACTIVE deployments
 * while Checks come in a burst (see above).
 */
export async function activeDeploymentForPlan(
  client: PromotionClient,
  appGuid: string,
  nowMs: number,
  options: CallOptions,
): Promise<Deployment | undefined> {
  const state = stateOf(client);
  state.recent = [...state.recent.filter((at) => nowMs - at < BURST_WINDOW_MS), nowMs];
  let listing = state.listing;
  if (listing === undefined || nowMs - listing.startedAtMs > LISTING_FRESH_MS) {
    listing =
      state.recent.length >= BURST_LOOKUPS ? startListing(client, nowMs, options) : undefined;
    state.listing = listing;
  }
  const listed = listing === undefined ? undefined : (await listing.newest)?.get(appGuid);
  return listed ?? client.getActiveDeployment(appGuid, options);
}
