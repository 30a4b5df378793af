import type { ActionOutcome, AuditEvent, CallOptions, Deployment } from "../../src/client/index.js";
import type { InstanceStat } from "../../src/provider/canary-health.js";
import type { PromotionClient } from "../../src/provider/promotion-client.js";
import {
  ACTIVE_STATES,
  initialStatus,
} from "../../src/simulator/deployments/deployment-state-machine.js";
import type { DeploymentState, StatusReason } from "../../src/simulator/model.js";

/** Internal deployment states, as the Cloud Controller (and the simulator) keeps them. */
export type FakeState = DeploymentState;

interface FakeDeployment {
  guid: string;
  appGuid: string;
  strategy: "canary" | "rolling";
  state: FakeState;
  /** Set when the deployment was superseded: CC keeps the state and changes only the reason. */
  reason?: StatusReason;
  step: number;
  total: number;
  dropletGuid: string;
  processGuid: string;
  /** GETs left until the updater moves PREPAUSED→PAUSED / DEPLOYING→DEPLOYED / CANCELING→CANCELED. */
  readsLeft: number;
}

/** A CC-shaped error with the client's stable code. */
export function fakeApiError(status: number, detail: string): Error {
  return Object.assign(new Error(`CF API ${status}: ${detail}`), { code: "CF_API_ERROR", status });
}

const STAMPS = { created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" };

export const ORG_GUID = "00000000-0000-4000-8000-00000000000a";
export const SPACE_GUID = "00000000-0000-4000-8000-00000000000b";
export const APP_GUID = "00000000-0000-4000-8000-00000000000c";
export const DEPLOYMENT_GUID = "00000000-0000-4000-8000-00000000000d";
export const DROPLET_GUID = "00000000-0000-4000-8000-00000000000e";
export const PREVIOUS_DROPLET_GUID = "00000000-0000-4000-8000-00000000000f";
export const PROCESS_GUID = "00000000-0000-4000-8000-000000000010";

/**
 * An in-memory Cloud Controller for unit tests of the provider's logic: one org, space and app
 * `web`, deployments that a fake updater advances after a number of reads, and a call log.
 */
export class FakePromotionClient implements PromotionClient {
  readonly apiUrl = "https://api.example.test";
  readonly credentialSourceDescription = "a fake client";
  readonly calls: string[] = [];
  readonly deployments = new Map<string, FakeDeployment>();
  readonly stats = new Map<string, InstanceStat[]>();
  /** Reads each updater transition takes. */
  readsPerTransition = 1;
  /** The Cloud Controller's clock: when set, a read of a deployment reports it as its `Date`. */
  serverDateMs: (() => number) | undefined;
  /** Runs while the stats are read: lets a test move the deployment behind the provider's back. */
  onStats: (() => void) | undefined;
  closed = 0;

  constructor() {
    this.addDeployment({ guid: DEPLOYMENT_GUID, state: "PAUSED", step: 1, total: 3 });
  }

  addDeployment(d: {
    guid: string;
    state: FakeState;
    step?: number;
    total?: number;
    strategy?: "canary" | "rolling";
  }): void {
    const strategy = d.strategy ?? "canary";
    this.deployments.set(d.guid, {
      guid: d.guid,
      appGuid: APP_GUID,
      strategy,
      state: d.state,
      step: d.step ?? 1,
      total: d.total ?? 3,
      dropletGuid: DROPLET_GUID,
      processGuid: PROCESS_GUID,
      readsLeft: this.readsPerTransition,
    });
    this.stats.set(PROCESS_GUID, [{ index: 0, state: "RUNNING" }]);
  }

  set(guid: string, state: FakeState, step?: number): void {
    const d = this.mustGet(guid);
    d.state = state;
    delete d.reason;
    if (step !== undefined) d.step = step;
    d.readsLeft = this.readsPerTransition;
  }

  /**
   * A newer deployment of the app supersedes this one, as `supersede` in the simulator's
   * deployment-state-machine.ts does: DEPLOYING becomes DEPLOYED, anything else CANCELED.
   */
  supersede(guid: string): void {
    const d = this.mustGet(guid);
    this.set(guid, d.state === "DEPLOYING" ? "DEPLOYED" : "CANCELED");
    d.reason = "SUPERSEDED";
  }

  posts(): string[] {
    return this.calls.filter((c) => c.startsWith("POST"));
  }

  async findOrganizationByName(name: string) {
    this.calls.push(`GET org ${name}`);
    return name === "org" ? { guid: ORG_GUID, name, ...STAMPS } : undefined;
  }

  async findSpaceByName(orgGuid: string, name: string) {
    this.calls.push(`GET space ${name}`);
    if (orgGuid !== ORG_GUID || name !== "space") return undefined;
    return {
      guid: SPACE_GUID,
      name,
      ...STAMPS,
      relationships: { organization: { data: { guid: ORG_GUID } } },
    };
  }

  async findAppByName(spaceGuid: string, name: string) {
    this.calls.push(`GET app ${name}`);
    return spaceGuid === SPACE_GUID && name === "web" ? this.app() : undefined;
  }

  async listApps(filter: { names?: readonly string[]; spaceGuids?: readonly string[] } = {}) {
    this.calls.push(`GET /v3/apps?names=${(filter.names ?? []).join(",")}`);
    const inSpace = filter.spaceGuids === undefined || filter.spaceGuids.includes(SPACE_GUID);
    return inSpace && (filter.names === undefined || filter.names.includes("web"))
      ? [this.app()]
      : [];
  }

  async getApp(guid: string) {
    this.calls.push(`GET /v3/apps/${guid}`);
    if (guid !== APP_GUID) throw fakeApiError(404, "App not found");
    return this.app();
  }

  async getDeployment(guid: string, options?: CallOptions) {
    this.calls.push(`GET /v3/deployments/${guid}`);
    const d = this.deployments.get(guid);
    if (d === undefined) throw fakeApiError(404, "Deployment not found");
    this.tick(d);
    const serverDateMs = this.serverDateMs?.();
    if (serverDateMs !== undefined) {
      const path = `/v3/deployments/${guid}`;
      options?.onResponse?.({
        method: "GET",
        path,
        status: 200,
        sentAtMs: 0,
        receivedAtMs: 0,
        serverDateMs,
      });
    }
    return this.present(d);
  }

  async listDeployments(filter: { guids?: readonly string[] } = {}) {
    this.calls.push(`GET /v3/deployments?guids=${(filter.guids ?? []).join(",")}`);
    return (filter.guids ?? []).flatMap((guid) => {
      const d = this.deployments.get(guid);
      if (d === undefined) return [];
      this.tick(d);
      return [this.present(d)];
    });
  }

  async getActiveDeployment(appGuid: string) {
    this.calls.push(`GET /v3/deployments?app_guids=${appGuid}&status_values=ACTIVE`);
    const active = [...this.deployments.values()].filter(
      (d) => d.appGuid === appGuid && ACTIVE_STATES.includes(d.state),
    );
    const newest = active.at(-1);
    return newest === undefined ? undefined : this.present(newest);
  }

  async continueDeployment(guid: string): Promise<ActionOutcome> {
    this.calls.push(`POST /v3/deployments/${guid}/actions/continue`);
    const d = this.mustGet(guid);
    if (d.state !== "PAUSED") throw fakeApiError(422, `Cannot continue a deployment in ${d.state}`);
    if (d.step < d.total) {
      d.step += 1;
      d.state = "PREPAUSED";
    } else {
      d.state = "DEPLOYING";
    }
    d.readsLeft = this.readsPerTransition;
    return { deployment: this.present(d), applied: true, attempts: 1 };
  }

  async cancelDeployment(guid: string): Promise<ActionOutcome> {
    this.calls.push(`POST /v3/deployments/${guid}/actions/cancel`);
    const d = this.mustGet(guid);
    d.state = "CANCELING";
    d.readsLeft = this.readsPerTransition;
    return { deployment: this.present(d), applied: true, attempts: 1 };
  }

  async getProcessStats(processGuid: string) {
    this.calls.push(`GET /v3/processes/${processGuid}/stats`);
    this.onStats?.();
    return (this.stats.get(processGuid) ?? []).map((s) => ({ type: "web", ...s }));
  }

  private app() {
    return {
      guid: APP_GUID,
      name: "web",
      state: "STARTED",
      ...STAMPS,
      relationships: { space: { data: { guid: SPACE_GUID } } },
    };
  }

  /** The audit trail: empty unless a test adds events (the provider then falls back to its record). */
  readonly auditEvents: AuditEvent[] = [];

  async listAuditEvents() {
    this.calls.push("GET /v3/audit_events");
    return [...this.auditEvents];
  }

  /** What `actorGuid` answers: the token's actor, `undefined` for a token that is no JWT. */
  ownActorGuid: string | undefined;

  async actorGuid() {
    return this.ownActorGuid;
  }

  async close() {
    this.closed += 1;
  }

  private mustGet(guid: string): FakeDeployment {
    const d = this.deployments.get(guid);
    if (d === undefined) throw fakeApiError(404, "Deployment not found");
    return d;
  }

  /** The fake deployment updater: one transition after `readsPerTransition` reads. */
  private tick(d: FakeDeployment): void {
    const next: Partial<Record<FakeState, FakeState>> = {
      PREPAUSED: "PAUSED",
      DEPLOYING: "DEPLOYED",
      CANCELING: "CANCELED",
    };
    const to = next[d.state];
    if (to === undefined) return;
    d.readsLeft -= 1;
    if (d.readsLeft <= 0) {
      d.state = to;
      d.readsLeft = this.readsPerTransition;
    }
  }

  private present(d: FakeDeployment): Deployment {
    const { value, reason } = initialStatus(d.state);
    return {
      guid: d.guid,
      ...STAMPS,
      strategy: d.strategy,
      status: {
        value,
        reason: d.reason ?? reason,
        details: {
          last_status_change: "2026-01-01T00:00:00Z",
          last_successful_healthcheck: "2026-01-01T00:00:00Z",
        },
        ...(d.strategy === "canary"
          ? { canary: { steps: { current: d.step, total: d.total } } }
          : {}),
      },
      droplet: { guid: d.dropletGuid },
      previous_droplet: { guid: PREVIOUS_DROPLET_GUID },
      new_processes: [{ guid: d.processGuid, type: "web" }],
      revision: null,
      relationships: { app: { data: { guid: d.appGuid } } },
    };
  }
}
