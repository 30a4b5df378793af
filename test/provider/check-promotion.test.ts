import { describe, expect, it } from "vitest";
import { checkPromotion } from "../../src/provider/check-promotion.js";
import { createProviderRuntime } from "../../src/provider/provider-runtime.js";
import { UNKNOWN_VALUE } from "../../src/provider/unknown-value.js";
import {
  DEPLOYMENT_GUID,
  FakePromotionClient,
  fakeApiError,
  PROCESS_GUID,
  SPACE_GUID,
} from "./fake-promotion-client.js";

function setup(stack: Record<string, string> = { apiUrl: "https://a", accessToken: "t" }) {
  const client = new FakePromotionClient();
  const lines: string[] = [];
  const runtime = async () =>
    createProviderRuntime(stack, {
      env: {},
      fileExists: () => false,
      print: (line) => lines.push(line),
      createClient: () => client,
    });
  return { client, lines, runtime };
}

const web = { appName: "web", spaceGuid: SPACE_GUID, toStep: 2, __provider: "p" };

describe("checkPromotion", () => {
  it("prints the plan of a new promotion after a read-only look", async () => {
    const { client, lines, runtime } = setup();
    expect(await checkPromotion({}, web, runtime)).toEqual({ inputs: web, failures: [] });
    expect(lines).toEqual([
      `plan: continue deployment ${DEPLOYMENT_GUID} of app web: step 1/3 → step 2/3, 1 continue`,
      `plan: before each continue, the gates healthy (every instance RUNNING) (onGateFailure: fail)`,
    ]);
    expect(client.posts()).toEqual([]);
  });

  it("warns in the plan of a new promotion that its canary is unhealthy now, and still succeeds", async () => {
    const { client, lines, runtime } = setup();
    client.stats.set(PROCESS_GUID, [{ index: 0, state: "CRASHED", details: "exited" }]);
    expect((await checkPromotion({}, web, runtime)).failures).toEqual([]);
    expect(lines).toEqual([
      `plan: continue deployment ${DEPLOYMENT_GUID} of app web: step 1/3 → step 2/3, 1 continue (warning: the canary is not healthy now: #0 CRASHED (exited); up waits for it to recover until timeoutSeconds)`,
      `plan: before each continue, the gates healthy (every instance RUNNING) (onGateFailure: fail)`,
    ]);
    expect(client.posts()).toEqual([]);
  });

  it.each([
    {
      name: "says so in the plan when the canary's health cannot be read, and still succeeds",
      failing: "getProcessStats" as const,
      error: fakeApiError(404, "Process not found"),
      lines: [
        `plan: continue deployment ${DEPLOYMENT_GUID} of app web: step 1/3 → step 2/3, 1 continue (warning: the canary's health could not be read now: CF API 404: Process not found)`,
        `plan: before each continue, the gates healthy (every instance RUNNING) (onGateFailure: fail)`,
      ],
    },
    {
      name: "still succeeds when the plan cannot be read for now (a 503), and says why in one line",
      failing: "getActiveDeployment" as const,
      error: fakeApiError(503, "Service Unavailable"),
      lines: ["plan: not known until the promotion runs (CF API 503: Service Unavailable)"],
    },
  ])("$name", async ({ failing, error, lines: expected }) => {
    const { client, lines, runtime } = setup();
    client[failing] = async () => {
      throw error;
    };
    expect((await checkPromotion({}, web, runtime)).failures).toEqual([]);
    expect(lines).toEqual(expected);
  });

  it("leaves existing resources to diff, and unknown or invalid inputs alone", async () => {
    const { client, runtime } = setup();
    await checkPromotion(web, web, runtime);
    await checkPromotion({}, { ...web, toStep: UNKNOWN_VALUE }, runtime);
    const bad = await checkPromotion({}, { ...web, toStep: 0 }, runtime);
    expect(bad.failures).toEqual([
      { property: "toStep", reason: "must be a whole number of at least 1" },
    ]);
    expect(client.calls).toEqual([]);
  });

  it("says a new promotion's plan waits for values not known yet, without contacting anything", async () => {
    const { client, lines, runtime } = setup();
    const news = { ...web, toStep: UNKNOWN_VALUE, expectedDropletGuid: UNKNOWN_VALUE };
    expect((await checkPromotion({}, news, runtime)).failures).toEqual([]);
    expect(lines).toEqual([
      "plan: not known until apply (toStep, expectedDropletGuid are not known yet)",
    ]);
    expect(client.calls).toEqual([]);
  });

  it.each([
    ["an app that does not exist", { appName: "nope" }, "PROMOTION_NOT_FOUND"],
    ["another droplet", { expectedDropletGuid: DEPLOYMENT_GUID }, "PROMOTION_WRONG_DROPLET"],
    ["a toStep past the last step", { toStep: 4 }, "PROMOTION_NOT_PROMOTABLE"],
  ])(
    "fails a new promotion of %s with the error up would raise, sending nothing",
    async (_what, change, code) => {
      const { client, lines, runtime } = setup();
      await expect(checkPromotion({}, { ...web, ...change }, runtime)).rejects.toMatchObject({
        code,
      });
      expect(lines).toEqual([]);
      expect(client.posts()).toEqual([]);
    },
  );

  it("fails a new promotion when there are no credentials at all, as up would", async () => {
    const { lines, runtime } = setup({});
    await expect(checkPromotion({}, web, runtime)).rejects.toMatchObject({
      code: "PROMOTION_NO_CREDENTIALS",
    });
    expect(lines).toEqual([]);
  });
});
