import { createDeployment } from "./deployments/deployment-create.js";
import { runDeploymentUntilSettled } from "./deployments/deployment-updater.js";
import type { App, OrgRole, RoleGrant, SpaceRole } from "./model.js";
import type {
  SeedApp,
  SeedClient,
  SeedDeployment,
  SeedDescription,
  SeedRole,
  SeedUser,
} from "./seed-schema.js";
import type { Store } from "./store.js";

/** What a seeded user or client may do: its token's scopes and its org and space roles. */
export interface SeededGrants {
  scopes: string[];
  roles: SeedRole[];
}

/** A seeded app's GUIDs. */
export interface SeededApp {
  guid: string;
  name: string;
  /** The app's original web process. */
  webProcessGuid: string;
  /** A droplet ready to deploy (the seeded deployment's target when there is one). */
  stagedDropletGuid: string | null;
  /** The app's current droplet after seeding (a seeded deployment has made its target current). */
  currentDropletGuid: string | null;
  /** The seeded deployment's `previous_droplet`, the one a cancel goes back to. */
  previousDropletGuid: string | null;
  /** The seeded deployment's new web process (the canary's), for instance-state control. */
  newProcessGuid: string | null;
}

/** What seeding produced: the credentials, grants and GUIDs printed at start. */
export interface SeedResult {
  users: Record<string, { username: string; password: string } & SeededGrants>;
  clients: Record<string, { clientId: string; clientSecret: string } & SeededGrants>;
  org: { guid: string; name: string };
  space: { guid: string; name: string };
  apps: Record<string, SeededApp>;
  deployments: Record<string, string>;
}

const DEVELOPER_SCOPES = ["openid", "cloud_controller.read", "cloud_controller.write"];
const DEFAULT_USER_NAMES = [
  "admin",
  "developer",
  "supporter",
  "manager",
  "auditor",
  "outsider",
  "reader",
];

function defaultUsers(withRoles: boolean): SeedUser[] {
  const space = (type: SpaceRole): SeedRole[] =>
    withRoles ? [{ type, org: "demo-org", space: "demo-space" }] : [];
  const roles: Record<string, SeedRole[]> = {
    developer: space("space_developer"),
    supporter: space("space_supporter"),
    manager: space("space_manager"),
    auditor: space("space_auditor"),
    reader: space("space_developer"),
  };
  return DEFAULT_USER_NAMES.map((username) => ({
    username,
    scopes:
      username === "admin"
        ? ["openid", "cloud_controller.admin"]
        : username === "reader"
          ? ["openid", "cloud_controller.read"]
          : DEVELOPER_SCOPES,
    roles: roles[username] ?? [],
  }));
}

function defaultClients(withRoles: boolean): SeedClient[] {
  return [
    {
      clientId: "promoter",
      clientSecret: "promoter-secret",
      roles: withRoles ? [{ type: "space_developer", org: "demo-org", space: "demo-space" }] : [],
    },
  ];
}

/**
 * The default seed: `demo-org`/`demo-space`; users admin, developer, supporter, manager,
 * auditor, outsider, reader (a developer whose token lacks `cloud_controller.write`); client
 * `promoter` (Space Developer); apps `web` (4 instances, a canary deployment with steps 25/50/75,
 * PREPAUSED until the first tick pauses it at step 1), `api` (2 instances, a staged droplet, no
 * deployment) and `worker` (stopped, a staged droplet only).
 */
export function defaultSeed(): SeedDescription {
  return {
    users: defaultUsers(true),
    clients: defaultClients(true),
    orgs: [
      {
        name: "demo-org",
        spaces: [
          {
            name: "demo-space",
            apps: [
              {
                name: "web",
                instances: 4,
                deployment: { strategy: "canary", steps: [25, 50, 75] },
              },
              { name: "api", instances: 2 },
              { name: "worker", state: "STOPPED", instances: 1, currentDroplet: false },
            ],
          },
        ],
      },
    ],
  };
}

/** `--seed empty`: the default users and client, without orgs, spaces, apps or roles. */
export function emptySeed(): SeedDescription {
  return { users: defaultUsers(false), clients: defaultClients(false), orgs: [] };
}

/** Loads a seed into an empty store. Throws with a message naming the bad entry. */
export function applySeed(store: Store, seed: SeedDescription): SeedResult {
  const result: SeedResult = {
    users: {},
    clients: {},
    org: { guid: "", name: "" },
    space: { guid: "", name: "" },
    apps: {},
    deployments: {},
  };
  const pendingRoles: Array<{ actorGuid: string; roles: SeedRole[] }> = [];
  // A seed without users or clients gets the default ones with no org or space role; the result
  // says so, since each entry carries the scopes and roles it was given.
  const addActor = (
    actor: { kind: "user" | "client"; guid?: string; name: string; secret: string },
    grants: SeededGrants,
  ) => {
    const added = store.addActor({ ...actor, scopes: grants.scopes, roles: [] });
    pendingRoles.push({ actorGuid: added.guid, roles: grants.roles });
  };
  for (const user of seed.users ?? defaultUsers(false)) {
    const password = user.password ?? `${user.username}-password`;
    const grants = { scopes: user.scopes ?? DEVELOPER_SCOPES, roles: user.roles ?? [] };
    addActor({ kind: "user", name: user.username, secret: password }, grants);
    result.users[user.username] = { username: user.username, password, ...grants };
  }
  for (const client of seed.clients ?? defaultClients(false)) {
    const { clientId } = client;
    const clientSecret = client.clientSecret ?? `${clientId}-secret`;
    const scopes = client.scopes ?? ["cloud_controller.read", "cloud_controller.write"];
    const grants = { scopes, roles: client.roles ?? [] };
    addActor({ kind: "client", guid: clientId, name: clientId, secret: clientSecret }, grants);
    result.clients[clientId] = { clientId, clientSecret, ...grants };
  }

  const spaceGuids = new Map<string, string>();
  const orgGuids = new Map<string, string>();
  const seededApps: Array<{ app: App; spec: SeedApp }> = [];
  for (const orgSpec of seed.orgs ?? []) {
    const org = store.addOrg({
      name: orgSpec.name,
      suspended: orgSpec.suspended ?? false,
      deleting: orgSpec.deleting ?? false,
    });
    orgGuids.set(org.name, org.guid);
    if (result.org.guid === "") result.org = { guid: org.guid, name: org.name };
    for (const spaceSpec of orgSpec.spaces ?? []) {
      const space = store.addSpace({
        name: spaceSpec.name,
        orgGuid: org.guid,
        suspended: spaceSpec.suspended ?? false,
        deleting: spaceSpec.deleting ?? false,
      });
      spaceGuids.set(`${org.name}/${space.name}`, space.guid);
      if (result.space.guid === "") result.space = { guid: space.guid, name: space.name };
      for (const spec of spaceSpec.apps ?? []) {
        seededApps.push({ app: seedApp(store, space.guid, spec, result), spec });
      }
    }
  }
  for (const { app, spec } of seededApps) {
    if (spec.deployment !== undefined) seedDeployment(store, app, spec.deployment, result);
  }

  for (const { actorGuid, roles } of pendingRoles) {
    const actor = store.actors.get(actorGuid);
    if (actor === undefined) continue;
    actor.roles = roles.map((role): RoleGrant => {
      if (role.type.startsWith("space_")) {
        const spaceGuid = spaceGuids.get(`${role.org}/${role.space ?? ""}`);
        if (spaceGuid === undefined) {
          throw new Error(
            `seed: ${actor.name}'s role ${role.type} names unknown space ${role.org}/${role.space ?? "(none)"}`,
          );
        }
        return { type: role.type as SpaceRole, spaceGuid };
      }
      const orgGuid = orgGuids.get(role.org);
      if (orgGuid === undefined) {
        throw new Error(`seed: ${actor.name}'s role ${role.type} names unknown org ${role.org}`);
      }
      return { type: role.type as OrgRole, orgGuid };
    });
  }
  return result;
}

function seedApp(store: Store, spaceGuid: string, spec: SeedApp, result: SeedResult): App {
  const state = spec.state ?? "STARTED";
  const app = store.addApp({
    name: spec.name,
    spaceGuid,
    state,
    dropletGuid: null,
    metadata: { labels: {}, annotations: {} },
  });
  if (spec.currentDroplet ?? true) {
    app.dropletGuid = store.addDroplet({ appGuid: app.guid }).guid;
  }
  const staged = (spec.stagedDroplet ?? true) ? store.addDroplet({ appGuid: app.guid }).guid : null;
  const web = store.addProcess({
    appGuid: app.guid,
    type: "web",
    instances: [],
    memoryInMb: 256,
    diskInMb: 1024,
    logRateLimitInBytesPerSecond: 16384,
  });
  store.scaleProcess(web, spec.instances ?? 1);
  if (state === "STARTED") for (const instance of web.instances) instance.state = "RUNNING";
  result.apps[spec.name] ??= {
    guid: app.guid,
    name: app.name,
    webProcessGuid: web.guid,
    stagedDropletGuid: staged,
    currentDropletGuid: app.dropletGuid,
    previousDropletGuid: null,
    newProcessGuid: null,
  };
  return app;
}

function seedDeployment(store: Store, app: App, spec: SeedDeployment, result: SeedResult): void {
  const droplets = [...store.droplets.values()].filter((d) => d.appGuid === app.guid);
  const target = droplets.at(-1);
  if (target === undefined) throw new Error(`seed: app ${app.name} has no droplet to deploy`);
  const deployment = createDeployment(store, {
    app,
    dropletGuid: target.guid,
    strategy: spec.strategy ?? "canary",
    maxInFlight: spec.maxInFlight ?? 1,
    webInstances: spec.webInstances,
    memoryInMb: undefined,
    diskInMb: undefined,
    logRateLimitInBytesPerSecond: undefined,
    canarySteps: spec.steps,
  });
  if (spec.paused === true) runDeploymentUntilSettled(store, deployment);
  if (result.deployments[app.name] !== undefined) return;
  result.deployments[app.name] = deployment.guid;
  const seeded = result.apps[app.name];
  if (seeded?.guid !== app.guid) return;
  seeded.currentDropletGuid = app.dropletGuid;
  seeded.previousDropletGuid = deployment.previousDropletGuid;
  seeded.newProcessGuid = deployment.deployingProcessGuid;
}
