import type { FaultRule } from "./faults.js";
import type { HeldRequest } from "./http/held-requests.js";
import type { RequestLogEntry } from "./http/request-log.js";
import type { SeedResult } from "./seeds.js";

/** What a started simulator reports (the CLI prints it as its first line). */
export interface SimulatorInfo extends SeedResult {
  /** API root, e.g. `http://127.0.0.1:41234`; `GET /` advertises the UAA. */
  url: string;
  /** UAA base URL; the token endpoint is `${uaaUrl}/oauth/token`. */
  uaaUrl: string;
  /**
   * With `tls`: the PEM of the self-signed certificate the simulator made at start; a client
   * trusts it as its CA (`ca` in `node:https`, `NODE_EXTRA_CA_CERTS`). Absent on plain HTTP.
   */
  caCertificate?: string;
}

/** A V3 audit event (CC `event_presenter.rb`). */
export interface SimulatorAuditEvent {
  guid: string;
  created_at: string;
  updated_at: string;
  type: string;
  actor: { guid: string; type: string; name: string };
  target: { guid: string; type: string; name: string };
  data: Record<string, unknown>;
  space: { guid: string };
  organization: { guid: string };
  links: { self: { href: string } };
}

/** What `POST /_sim/tick` did: the ticks it ran and the deployments whose status moved. */
export interface TickResult {
  ticks: number;
  /** `from` and `to` are `value/reason`, e.g. `ACTIVE/DEPLOYING` → `ACTIVE/PAUSED`. */
  deployments: Array<{ guid: string; app: string; from: string; to: string }>;
}

/** A typed client of the `/_sim/` control API (real HTTP). */
export interface SimulatorControl {
  /** `POST /_sim/tick`: runs `count` updater ticks now and says what they did. @default 1 */
  tick(count?: number): Promise<TickResult>;
  /** `POST /_sim/faults`. */
  addFault(rule: FaultRule): Promise<void>;
  /** `DELETE /_sim/faults`. */
  clearFaults(): Promise<void>;
  /** `GET /_sim/held`: requests a `holdMs` fault is holding. */
  heldRequests(): Promise<HeldRequest[]>;
  /** `POST /_sim/faults/release`: handles every held request; resolves once they are handled. */
  releaseHeld(): Promise<number>;
  /** `GET /_sim/requests`. */
  requests(): Promise<RequestLogEntry[]>;
  /** `DELETE /_sim/requests`. */
  clearRequests(): Promise<void>;
  /** `POST /_sim/processes/:guid/instances/:index`. */
  setInstanceState(
    processGuid: string,
    index: number,
    state: "RUNNING" | "CRASHED" | "DOWN",
  ): Promise<void>;
  /** `POST /_sim/tokens/expire`. */
  expireTokens(): Promise<void>;
  /** `GET /_sim/audit_events`. */
  auditEvents(filter?: {
    types?: string[];
    targetGuids?: string[];
  }): Promise<SimulatorAuditEvent[]>;
}

/** A running simulator. */
export interface SimulatorHandle extends SimulatorInfo {
  /** Stops the updater timer and closes the server with all open connections. */
  close(): Promise<void>;
  control: SimulatorControl;
}
