import {
  createProviderRuntime,
  type ProviderRuntime,
} from "../../src/provider/provider-runtime.js";
import { FakePromotionClient } from "./fake-promotion-client.js";

/**
 * A provider runtime on a fake clock (its sleeps advance it) with a {@link FakePromotionClient}
 * and a token connection; `engineGone` as `createProviderRuntime` takes it.
 */
export function fakeRuntime(engineGone?: (client: FakePromotionClient) => string | undefined): {
  client: FakePromotionClient;
  runtime: ProviderRuntime;
  advance: (ms: number) => void;
} {
  const client = new FakePromotionClient();
  let now = Date.parse("2026-03-01T12:00:00Z");
  const runtime = createProviderRuntime(
    { apiUrl: "https://api.example.test", accessToken: "SECRET-TOKEN" },
    {
      env: {},
      fileExists: () => false,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      print: () => undefined,
      createClient: () => client,
      ...(engineGone === undefined ? {} : { engineGone: () => engineGone(client) }),
    },
  );
  return {
    client,
    runtime,
    advance: (ms) => {
      now += ms;
    },
  };
}
