import { createHash } from "node:crypto";
import type { ResolvedConnection } from "./connection-settings.js";
import type { PromotionClient } from "./promotion-client.js";

/**
 * One client per connection for the whole provider host: the engine runs many resources at once
 * in one host (`--parallel`), and each client logs in and keeps its own keep-alive pool, so a
 * client per call meant a UAA login and new sockets for every Check, Diff, Create and Read. The
 * key is the whole resolved connection (hashed, so no secret sits in a key), so changed
 * credentials get a new client. The clients handed out cannot be closed by a call; they live
 * as long as the host.
 */
export function pooledClients(
  create: (connection: ResolvedConnection) => PromotionClient,
): (connection: ResolvedConnection) => PromotionClient {
  const pool = new Map<string, PromotionClient>();
  return (connection) => {
    const { source: _, ...identity } = connection;
    const key = createHash("sha256").update(JSON.stringify(identity)).digest("hex");
    let client = pool.get(key);
    if (client === undefined) {
      client = create(connection);
      pool.set(key, client);
    }
    return sharedView(client);
  };
}

/** `client` with a `close` that leaves it open (its methods keep their own `this`). */
function sharedView(client: PromotionClient): PromotionClient {
  const keepOpen = async () => undefined;
  return new Proxy(client, {
    get(target, property) {
      if (property === "close") return keepOpen;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
