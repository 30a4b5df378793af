import { createHash } from "node:crypto";
import type { ResolvedConnection } from "./connection-settings.js";
import type { PromotionClient } from "./promotion-client.js";
import { sharedActiveLookups, sharedAppLookups, sharedAuditEventReads } from "./shared-lookups.js";

/** How long a name found by a lookup is reused (an org, space or app renamed meanwhile is seen after it). */
const LOOKUP_TTL_MS = 60_000;

/** The name lookups, with how many of their leading arguments make the question. */
const NAME_LOOKUPS = new Map<PropertyKey, number>([
  ["findOrganizationByName", 1],
  ["findSpaceByName", 2],
  ["findAppByName", 2],
]);

/**
 * One client per connection for the whole provider host: the engine runs many resources at once
 * in one host (`--parallel`), and each client logs in and keeps its own keep-alive pool, so a
 * client per call meant a UAA login and new sockets for every Check, Diff, Create and Read. The
 * key is the whole resolved connection (hashed, so no secret sits in a key), so changed
 * credentials get a new client. The clients handed out cannot be closed by a call; they live
 * as long as the host. Their org, space and app lookups by name are shared too (see
 * {@link sharedView}).
 */
export function pooledClients(
  create: (connection: ResolvedConnection) => PromotionClient,
  now: () => number = Date.now,
): (connection: ResolvedConnection) => PromotionClient {
  const pool = new Map<string, PromotionClient>();
  return (connection) => {
    const { source: _, ...identity } = connection;
    const key = createHash("sha256").update(JSON.stringify(identity)).digest("hex");
    let client = pool.get(key);
    if (client === undefined) {
      client = sharedView(create(connection), now);
      pool.set(key, client);
    }
    return client;
  };
}

/**
 * `client` with a `close` that leaves it open (its methods keep their own `this`), and name
 * lookups shared for {@link LOOKUP_TTL_MS}: a fleet in one org and space asks for them once, not
 * once per resource and call. Only a lookup that found something is kept; one in flight is
 * shared by every caller. App lookups, active deployments and audit trails asked for at about the
 * same moment are gathered into one request (`shared-lookups.ts`).
 */
function sharedView(client: PromotionClient, now: () => number): PromotionClient {
  const keepOpen = async () => undefined;
  const found = new Map<string, { value: Promise<unknown>; until: number }>();
  const lookup =
    (name: PropertyKey, arity: number, method: (...args: unknown[]) => Promise<unknown>) =>
    (...args: unknown[]) => {
      // What follows the question is the call's options (deadline, signal).
      const key = JSON.stringify([String(name), ...args.slice(0, arity)]);
      const cached = found.get(key);
      if (cached !== undefined && cached.until > now()) return cached.value;
      const value = method(...args);
      found.set(key, { value, until: now() + LOOKUP_TTL_MS });
      value.then(
        (result) => result === undefined && found.delete(key),
        () => found.delete(key),
      );
      return value;
    };
  const appByName = sharedAppLookups(client) as (...args: unknown[]) => Promise<unknown>;
  const activeDeployment = sharedActiveLookups(client);
  const auditEvents = sharedAuditEventReads(client);
  return new Proxy(client, {
    get(target, property) {
      if (property === "close") return keepOpen;
      if (property === "getActiveDeployment") return activeDeployment;
      if (property === "listAuditEvents") return auditEvents;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      const bound = value.bind(target) as (...args: unknown[]) => Promise<unknown>;
      const arity = NAME_LOOKUPS.get(property);
      if (arity === undefined) return bound;
      // Apps of a fleet are many names in one space: those are gathered too.
      return lookup(property, arity, property === "findAppByName" ? appByName : bound);
    },
  });
}
