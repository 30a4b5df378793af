/**
 * One answer the waiting loop got about one deployment, with the client-clock times around it:
 * everything the poll schedule learns from (the updater's ticks, the server's clock, rate limits).
 */
export interface DeploymentObservation {
  /** Client clock (epoch ms) when the request was sent. */
  sentAtMs: number;
  /** Client clock (epoch ms) when its answer arrived. */
  receivedAtMs: number;
  /** The answer's `Date` header as epoch ms (HTTP dates have whole seconds). */
  serverDateMs?: number;
  /** The deployment as the answer showed it; absent when it showed none (a 429, a 503). */
  deployment?: DeploymentStamps;
  /**
   * The answer is our own continue or cancel being accepted: the status changed while this request
   * was processed, so the change lies between `sentAtMs` and `receivedAtMs`.
   */
  changedStatus?: boolean;
  /** `Retry-After`, in ms. */
  retryAfterMs?: number;
  /** `X-RateLimit-Remaining`, `X-RateLimit-Reset` as epoch ms, and `X-RateLimit-Limit`. */
  rateLimit?: { remaining: number; resetAtMs: number; limit?: number };
}

/** What a deployment shows that the poll schedule reads (server-clock timestamps as epoch ms). */
export interface DeploymentStamps {
  /** `status.reason`: DEPLOYING, PAUSED, CANCELING, DEPLOYED, CANCELED, SUPERSEDED. */
  reason: string;
  /** `status.canary.steps.current`. */
  canaryStep?: number;
  /** `status.details.last_status_change`. */
  lastStatusChangeMs?: number;
  /** `updated_at`. */
  updatedAtMs?: number;
  /** `status.details.last_successful_healthcheck`. */
  lastHealthyAtMs?: number;
}
