/**
 * The simulator's in-memory records. Field names follow the Cloud Controller's DB columns where
 * that helps reading CC source side by side (`canary_current_step`, `last_healthy_at`, …).
 * Times are epoch milliseconds; `seq` is the insertion order, the tie-breaker CC gets from `id`.
 */

/** Instance states as `GET /v3/processes/:guid/stats` reports them (Diego LRP states). */
export type InstanceState = "STARTING" | "RUNNING" | "CRASHED" | "DOWN";

/** Space-level roles (CC `Membership`). */
export const SPACE_ROLES = [
  "space_developer",
  "space_supporter",
  "space_manager",
  "space_auditor",
] as const;
export type SpaceRole = (typeof SPACE_ROLES)[number];

/** Organization-level roles (CC `Membership`). */
export const ORG_ROLES = [
  "organization_manager",
  "organization_auditor",
  "organization_billing_manager",
  "organization_user",
] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

/** Internal deployment states (`deployment_model.rb`); filterable with `states=`. */
export type DeploymentState =
  | "DEPLOYING"
  | "PREPAUSED"
  | "PAUSED"
  | "CANCELING"
  | "DEPLOYED"
  | "CANCELED";

/** `status.value`. */
export type StatusValue = "ACTIVE" | "FINALIZED";

/** `status.reason`. */
export type StatusReason =
  | "DEPLOYING"
  | "PAUSED"
  | "CANCELING"
  | "DEPLOYED"
  | "CANCELED"
  | "SUPERSEDED";

/** `metadata` of V3 resources. */
export interface Metadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Common bookkeeping of every record. */
export interface BaseRecord {
  guid: string;
  seq: number;
  createdAt: number;
  updatedAt: number;
}

/** An organization; `suspended`/`deleting` drive the writable-space checks (CC `require_writable_space!`). */
export interface Org extends BaseRecord {
  name: string;
  suspended: boolean;
  deleting: boolean;
}

export interface Space extends BaseRecord {
  name: string;
  orgGuid: string;
  suspended: boolean;
  deleting: boolean;
}

/** A role grant: a space role on a space or an org role on an org. */
export type RoleGrant = { type: SpaceRole; spaceGuid: string } | { type: OrgRole; orgGuid: string };

/** A UAA user (password grant) or client (client_credentials grant). */
export interface Actor {
  kind: "user" | "client";
  /** User GUID, or the client id for clients (CC uses `client_id` as the actor GUID then). */
  guid: string;
  /** Username or client id. */
  name: string;
  /** Password or client secret. */
  secret: string;
  /** Scopes granted in tokens. */
  scopes: string[];
  roles: RoleGrant[];
}

export interface App extends BaseRecord {
  name: string;
  spaceGuid: string;
  state: "STARTED" | "STOPPED";
  /** The app's current droplet (`app.droplet`). */
  dropletGuid: string | null;
  metadata: Metadata;
}

/** A staged droplet. */
export interface Droplet extends BaseRecord {
  appGuid: string;
}

/** One instance of a process, by index. */
export interface Instance {
  state: InstanceState;
  /** When the instance entered its state (for `uptime`). */
  since: number;
}

/** A process; `instances.length` is the desired instance count. */
export interface Process extends BaseRecord {
  appGuid: string;
  type: string;
  instances: Instance[];
  memoryInMb: number;
  diskInMb: number;
  logRateLimitInBytesPerSecond: number;
}

/** A deployment's strategy and `options`, as requested at create (CC `app/messages/deployment_create_message.rb`). */
export interface DeploymentOptions {
  strategy: "rolling" | "canary";
  maxInFlight: number;
  webInstances: number | undefined;
  memoryInMb: number | undefined;
  diskInMb: number | undefined;
  logRateLimitInBytesPerSecond: number | undefined;
  /** `options.canary.steps[].instance_weight`, or undefined when no steps were given. */
  canarySteps: number[] | undefined;
}

/** A deployment (CC `DeploymentModel`). */
export interface Deployment extends BaseRecord, DeploymentOptions {
  appGuid: string;
  state: DeploymentState;
  statusValue: StatusValue;
  statusReason: StatusReason;
  canaryCurrentStep: number;
  dropletGuid: string;
  previousDropletGuid: string | null;
  /** The new web process (`deploying_web_process`); null for a stopped app. */
  deployingProcessGuid: string | null;
  /** `original_web_process_instance_count`. */
  originalInstances: number;
  lastHealthyAt: number;
  statusUpdatedAt: number;
  error: string | null;
  metadata: Metadata;
}

/** A V3 audit event as recorded. */
export interface AuditEventRecord extends BaseRecord {
  type: string;
  actor: { guid: string; type: string; name: string };
  target: { guid: string; type: string; name: string };
  data: Record<string, unknown>;
  spaceGuid: string;
  orgGuid: string;
}
