import { describe, expect, it } from "vitest";
import { pooledClients } from "../../src/provider/client-pool.js";
import type { ResolvedConnection } from "../../src/provider/connection-settings.js";
import { FakePromotionClient } from "./fake-promotion-client.js";

const developer: ResolvedConnection = {
  apiUrl: "https://api.example.test",
  credentials: { kind: "password", username: "developer", password: "pw-1" },
  source: "stack config (cloudfoundry:*)",
};

describe("pooledClients", () => {
  it("hands every call on one connection the same client, which a call cannot close", async () => {
    const made: FakePromotionClient[] = [];
    const clientFor = pooledClients(() => {
      const client = new FakePromotionClient();
      made.push(client);
      return client;
    });
    const first = clientFor(developer);
    await first.close();
    await clientFor({ ...developer, source: "environment (CF_*)" }).getDeployment(
      "00000000-0000-4000-8000-00000000000d",
    );
    expect(made).toHaveLength(1);
    expect(made[0]?.closed).toBe(0);
    expect(made[0]?.calls).toEqual(["GET /v3/deployments/00000000-0000-4000-8000-00000000000d"]);
  });

  it("gives changed credentials, or another API, a client of their own", () => {
    let made = 0;
    const clientFor = pooledClients(() => {
      made += 1;
      return new FakePromotionClient();
    });
    clientFor(developer);
    clientFor({
      ...developer,
      credentials: { kind: "password", username: "developer", password: "pw-2" },
    });
    clientFor({ ...developer, apiUrl: "https://api.other.test" });
    clientFor(developer);
    expect(made).toBe(3);
  });
});
