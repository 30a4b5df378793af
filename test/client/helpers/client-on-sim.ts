import {
  type CloudFoundryClient,
  type CloudFoundryClientOptions,
  createCloudFoundryClient,
} from "../../../src/client/index.js";
import { seededUser, test } from "../../support/index.js";

/**
 * The simulator fixture with a client on `sim` and the fake clock: `clientUser` (a seeded user,
 * `developer` unless overridden) logs in by password, with `clientOptions` on top.
 */
export const clientTest = test
  .extend("clientUser", "developer")
  .extend("clientOptions", {} as Partial<CloudFoundryClientOptions>)
  .extend("client", ({ sim, time, clientUser, clientOptions }, { onCleanup }) => {
    const user = seededUser(sim, clientUser);
    const client: CloudFoundryClient = createCloudFoundryClient({
      apiUrl: sim.url,
      credentials: { kind: "password", username: user.username, password: user.password },
      now: time.now,
      sleep: time.sleep,
      random: () => 0.5,
      logger: { warn: () => {} },
      ...clientOptions,
    });
    onCleanup(() => client.close());
    return client;
  });
