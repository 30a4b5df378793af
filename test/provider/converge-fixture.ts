import { convergePromotion, emptyJournal } from "../../src/provider/converge-promotion.js";
import { gateSettingsOf } from "../../src/provider/gates/gates-input.js";
import type { PromotionSettings } from "../../src/provider/promotion-inputs.js";
import { DEPLOYMENT_GUID, FakePromotionClient } from "./fake-promotion-client.js";

/**
 * A converge run against the fake client on a fake clock (every sleep advances it): `run()`
 * returns what it ended with and its journal; `lines` are its progress notes.
 */
export const START = Date.parse("2026-03-01T12:00:00Z");

export function setup(overrides: Partial<PromotionSettings> = {}) {
  const client = new FakePromotionClient();
  let now = START;
  const sleeps: number[] = [];
  const lines: string[] = [];
  const settings: PromotionSettings = {
    goal: { kind: "deployed" },
    expectedDropletGuid: null,
    timeoutSeconds: 60,
    onTimeout: "fail",
    pollIntervalSeconds: 3,
    gates: gateSettingsOf(undefined, undefined),
    onGateFailure: "fail",
    lateDeliverySeconds: 60,
    ...overrides,
  };
  const run = async () => {
    const deployment = await client.getDeployment(DEPLOYMENT_GUID);
    client.calls.length = 0;
    const journal = emptyJournal(deployment);
    const options = {
      client,
      deployment,
      appName: "web",
      run: {
        settings,
        startedAt: START,
        deadline: START + settings.timeoutSeconds * 1000,
        finalContinueSent: false,
      },
      journal,
      progress: { observe: () => undefined, note: (l: string) => lines.push(l) },
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    };
    try {
      const final = await convergePromotion(options);
      return { final, journal, error: undefined };
    } catch (error) {
      return { final: undefined, journal, error: error as Error & { code?: string } };
    }
  };
  /** Moves the fake clock on, as a slow call would. */
  const advance = (ms: number) => {
    now += ms;
  };
  return { client, run, sleeps, lines, settings, clock: () => now, advance };
}
