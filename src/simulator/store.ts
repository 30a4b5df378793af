import { GuidGenerator } from "./guid-generator.js";
import type {
  Actor,
  App,
  AuditEventRecord,
  BaseRecord,
  Deployment,
  Droplet,
  Instance,
  Org,
  Process,
  Space,
} from "./model.js";

/** Fields a caller supplies when creating a record; the store adds guid, seq and timestamps. */
export type NewRecord<T extends BaseRecord> = Omit<T, keyof BaseRecord>;

/**
 * All simulator state, in insertion order. Every GUID comes from one deterministic generator and
 * every timestamp from the injected clock, so a fresh store replays identically.
 */
export class Store {
  readonly orgs = new Map<string, Org>();
  readonly spaces = new Map<string, Space>();
  readonly actors = new Map<string, Actor>();
  readonly apps = new Map<string, App>();
  readonly droplets = new Map<string, Droplet>();
  readonly processes = new Map<string, Process>();
  readonly deployments = new Map<string, Deployment>();
  readonly auditEvents = new Map<string, AuditEventRecord>();
  private readonly guids = new GuidGenerator();
  private seq = 0;

  /** @param now the clock (epoch ms) */
  constructor(readonly now: () => number) {}

  /** The next deterministic GUID. */
  nextGuid(): string {
    return this.guids.next();
  }

  private insert<T extends BaseRecord>(map: Map<string, T>, fields: NewRecord<T>): T {
    const now = this.now();
    this.seq += 1;
    const record = {
      ...fields,
      guid: this.nextGuid(),
      seq: this.seq,
      createdAt: now,
      updatedAt: now,
    };
    map.set(record.guid, record as T);
    return record as T;
  }

  addOrg(fields: NewRecord<Org>): Org {
    return this.insert(this.orgs, fields);
  }

  addSpace(fields: NewRecord<Space>): Space {
    return this.insert(this.spaces, fields);
  }

  addApp(fields: NewRecord<App>): App {
    return this.insert(this.apps, fields);
  }

  addDroplet(fields: NewRecord<Droplet>): Droplet {
    return this.insert(this.droplets, fields);
  }

  addProcess(fields: NewRecord<Process>): Process {
    return this.insert(this.processes, fields);
  }

  addDeployment(fields: NewRecord<Deployment>): Deployment {
    return this.insert(this.deployments, fields);
  }

  addAuditEvent(fields: NewRecord<AuditEventRecord>): AuditEventRecord {
    return this.insert(this.auditEvents, fields);
  }

  /** Adds a UAA user or client; users get a GUID, clients are keyed by their client id. */
  addActor(actor: Omit<Actor, "guid"> & { guid?: string }): Actor {
    const record: Actor = { ...actor, guid: actor.guid ?? this.nextGuid() };
    this.actors.set(record.guid, record);
    return record;
  }

  /** Finds a user by username, or a client by client id. */
  findActor(kind: Actor["kind"], name: string): Actor | undefined {
    for (const actor of this.actors.values()) {
      if (actor.kind === kind && actor.name === name) return actor;
    }
    return undefined;
  }

  /** The app's web processes, oldest first (CC sorts by `[created_at, id]`). */
  webProcesses(appGuid: string): Process[] {
    return [...this.processes.values()]
      .filter((p) => p.appGuid === appGuid && p.type === "web")
      .sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
  }

  /** The app's ACTIVE deployment, if any (at most one exists). */
  activeDeployment(appGuid: string): Deployment | undefined {
    for (const d of this.deployments.values()) {
      if (d.appGuid === appGuid && d.statusValue === "ACTIVE") return d;
    }
    return undefined;
  }

  /** Sets a process's desired instance count: new indexes start STARTING, extra ones go away. */
  scaleProcess(process: Process, count: number): void {
    if (count === process.instances.length) return;
    const now = this.now();
    if (count < process.instances.length) {
      process.instances.length = count;
    } else {
      while (process.instances.length < count) {
        const instance: Instance = { state: "STARTING", since: now };
        process.instances.push(instance);
      }
    }
    process.updatedAt = now;
  }
}
