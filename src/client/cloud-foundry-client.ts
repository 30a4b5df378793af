import type { CallOptions } from "./cloud-foundry-client-options.js";
import type { LateDeliveryOptions } from "./late-delivery.js";
import type {
  App,
  AuditEvent,
  Deployment,
  Organization,
  ProcessInstanceStats,
  RootDocument,
  Space,
} from "./schemas.js";

/** A timestamp filter: exact values, or relational operators (`created_ats[gt]=…`). */
export type TimestampFilter =
  | readonly string[]
  | { gt?: string; gte?: string; lt?: string; lte?: string };

/**
 * Filters of `GET /v3/deployments` (`cloud_controller_ng app/messages/deployments_list_message.rb`).
 * Lists are OR within, AND across.
 */
export interface DeploymentListFilter {
  /** `app_guids`. */
  appGuids?: readonly string[];
  /** `states`: internal states DEPLOYING, PREPAUSED, PAUSED, DEPLOYED, CANCELING, CANCELED. */
  states?: readonly string[];
  /** `status_values`: ACTIVE, FINALIZED. */
  statusValues?: readonly string[];
  /** `status_reasons`. */
  statusReasons?: readonly string[];
  /** `guids`. */
  guids?: readonly string[];
  /** `label_selector`, e.g. `env=prod`. */
  labelSelector?: string;
  /** `created_ats`. */
  createdAts?: TimestampFilter;
  /** `updated_ats`. */
  updatedAts?: TimestampFilter;
  /** `order_by`. @default creation order */
  orderBy?: "created_at" | "-created_at" | "updated_at" | "-updated_at";
  /** Page size while following pages (1..5000). @default 100 */
  perPage?: number;
}

/** Filters of `GET /v3/apps` (`cloud_controller_ng app/messages/apps_list_message.rb`). */
export interface AppListFilter {
  /** `names`: exact app names. */
  names?: readonly string[];
  /** `space_guids`. */
  spaceGuids?: readonly string[];
  /** `guids`. */
  guids?: readonly string[];
}

/** Filters of `GET /v3/audit_events`. */
export interface AuditEventFilter {
  /** `types`, e.g. `audit.app.deployment.continue`. */
  types?: readonly string[];
  /** `target_guids` (for deployment events: the **app** guid). */
  targetGuids?: readonly string[];
}

/** The result of a safe continue or cancel. */
export interface ActionOutcome {
  /** The deployment as read back after the action. */
  deployment: Deployment;
  /**
   * Whether our POST took effect. `false` when the deployment was already past the state the
   * action starts from (someone else continued or canceled it).
   */
  applied: boolean;
  /** POST requests sent (0 when nothing had to be sent). */
  attempts: number;
}

/** Options of `continueDeployment` / `cancelDeployment`. */
export interface ActionOptions extends CallOptions {
  /** The deployment as the caller just read it; saves the GET before the POST. */
  expected?: Deployment;
  /** This call's late-delivery window and poll interval. @default the client's `lateDelivery` */
  lateDelivery?: Partial<LateDeliveryOptions>;
  /**
   * How the call reads the deployment, before the POST (when `expected` is absent) and back after
   * it (the Cloud Controller answers an accepted action with an empty 200). A caller that reads
   * many deployments at once can hand in its shared read; it must fail as `getDeployment` would.
   * @default `GET /v3/deployments/:guid`
   */
  readDeployment?: (options: CallOptions) => Promise<Deployment>;
}

/** A Cloud Foundry V3 client. Create it with `createCloudFoundryClient`. */
export interface CloudFoundryClient {
  /** The API base URL in use. */
  readonly apiUrl: string;
  /** Which credential source is in use, e.g. `password grant for user 'developer'` (no secrets). */
  readonly credentialSourceDescription: string;
  /** `GET /` (unauthenticated): links to login, UAA and the V3 API. */
  getRoot(options?: CallOptions): Promise<RootDocument>;
  /** The organization named `name`, or `undefined`. */
  findOrganizationByName(name: string, options?: CallOptions): Promise<Organization | undefined>;
  /** The space named `name` in organization `orgGuid`, or `undefined`. */
  findSpaceByName(orgGuid: string, name: string, options?: CallOptions): Promise<Space | undefined>;
  /** The app named `name` in space `spaceGuid`, or `undefined`. */
  findAppByName(spaceGuid: string, name: string, options?: CallOptions): Promise<App | undefined>;
  /** `GET /v3/apps/:guid`. */
  getApp(guid: string, options?: CallOptions): Promise<App>;
  /** `GET /v3/apps` with filters, following every page. */
  listApps(filter?: AppListFilter, options?: CallOptions): Promise<App[]>;
  /** `GET /v3/deployments/:guid`. */
  getDeployment(guid: string, options?: CallOptions): Promise<Deployment>;
  /** `GET /v3/deployments` with filters, following every page. */
  listDeployments(filter?: DeploymentListFilter, options?: CallOptions): Promise<Deployment[]>;
  /**
   * The app's latest ACTIVE deployment, found as `cf continue-deployment` does
   * (`app_guids=…&status_values=ACTIVE&order_by=-created_at&per_page=1`), or `undefined`.
   */
  getActiveDeployment(appGuid: string, options?: CallOptions): Promise<Deployment | undefined>;
  /**
   * `POST /v3/deployments/:guid/actions/continue`, never replayed blindly: it is sent again only
   * when it provably did not take effect and cannot still land (a 429, a failure before it was
   * written, a Cloud Controller 5xx with an unchanged read-back). On an unknown outcome it is
   * watched for `lateDelivery.windowMs`, then fails with `CF_OUTCOME_UNKNOWN`.
   */
  continueDeployment(guid: string, options?: ActionOptions): Promise<ActionOutcome>;
  /** `POST /v3/deployments/:guid/actions/cancel`, with the same care as `continueDeployment`. */
  cancelDeployment(guid: string, options?: ActionOptions): Promise<ActionOutcome>;
  /** `GET /v3/processes/:guid/stats`: one entry per instance. */
  getProcessStats(processGuid: string, options?: CallOptions): Promise<ProcessInstanceStats[]>;
  /** `GET /v3/audit_events` with filters, following every page. */
  listAuditEvents(filter?: AuditEventFilter, options?: CallOptions): Promise<AuditEvent[]>;
  /**
   * The guid the Cloud Controller records as the actor (`actor.guid` of audit events) of this
   * client's requests: the token's `user_id`, or its `client_id` for a client token
   * (cloud_controller_ng lib/cloud_controller/security/security_context_configurer.rb). It gets
   * a token if there is none yet; `undefined` when the token is not a JWT.
   */
  actorGuid(options?: CallOptions): Promise<string | undefined>;
  /** Closes the client's own dispatcher (an injected one stays open). Idempotent. */
  close(): Promise<void>;
}
