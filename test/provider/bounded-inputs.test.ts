import { describe, expect, it } from "vitest";
import { checkPromotion } from "../../src/provider/check-promotion.js";
import { lateDeliveryWindow, pollIntervalMs } from "../../src/provider/poll-interval.js";
import { MAX_REPORTED_FAILURES } from "../../src/provider/promotion-inputs.js";
import { userFacingFailures } from "../../src/provider/user-facing-errors.js";

const GUID = "8a1b7b9c-0d2e-4f3a-9b8c-7d6e5f4a3b2c";
const MEGABYTE = "x".repeat(1024 * 1024);

/** The failures `check` answers, as the host sends them to the engine. */
async function checkFailures(news: Record<string, unknown>) {
  const { failures } = await checkPromotion({}, news);
  return userFacingFailures(failures);
}

describe("check bounds what it echoes", () => {
  it.each([
    ["a 1 MB appName", { appName: MEGABYTE, spaceGuid: GUID }, "appName"],
    ["a 1 MB spaceName", { appName: "web", spaceName: MEGABYTE, orgName: "o" }, "spaceName"],
    ["a 1 MB orgName", { appName: "web", spaceName: "s", orgName: MEGABYTE }, "orgName"],
    ["a 1 MB deploymentGuid", { deploymentGuid: MEGABYTE }, "deploymentGuid"],
    ["a 1 MB numeric string", { deploymentGuid: GUID, toStep: "1".repeat(1024 * 1024) }, "toStep"],
    ["a 1 MB unknown key", { deploymentGuid: GUID, [MEGABYTE]: 1 }, "x".repeat(80)],
  ])("%s gives one failure under 2 KB", async (_name, news, property) => {
    const failures = await checkFailures(news);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.property.startsWith(property)).toBe(true);
    expect(JSON.stringify(failures).length).toBeLessThan(2048);
  });

  it("names the Cloud Controller's limit for a name too long", async () => {
    expect(await checkFailures({ appName: "a".repeat(256), spaceGuid: GUID })).toEqual([
      {
        property: "appName",
        reason:
          "[PROMOTION_INVALID_INPUTS] must be at most 255 characters, the Cloud Controller's limit for names (this one has 256)",
      },
    ]);
    expect(await checkFailures({ appName: "a".repeat(255), spaceGuid: GUID })).toEqual([]);
  });

  it("reports 10,000 unknown keys as the first ten and a count, under 2 KB", async () => {
    const news: Record<string, unknown> = { deploymentGuid: GUID };
    for (let i = 0; i < 10_000; i++) news[`typo${i}`] = i;
    const failures = await checkFailures(news);
    expect(failures).toHaveLength(MAX_REPORTED_FAILURES + 1);
    expect(failures[0]?.reason).toContain("(known inputs: deploymentGuid, appGuid,");
    expect(failures[1]?.reason).toBe(
      "[PROMOTION_INVALID_INPUTS] is not a DeploymentPromotion input either",
    );
    expect(failures.at(-1)).toEqual({
      property: "(inputs)",
      reason: "[PROMOTION_INVALID_INPUTS] and 9990 more problems (fix the ones above first)",
    });
    expect(JSON.stringify(failures).length).toBeLessThan(2048);
  });
});

describe("pollIntervalSeconds", () => {
  it("refuses an interval that would flood the API", async () => {
    expect(await checkFailures({ deploymentGuid: GUID, pollIntervalSeconds: 1e-9 })).toEqual([
      {
        property: "pollIntervalSeconds",
        reason:
          "[PROMOTION_INVALID_INPUTS] must be at least 0.05 (and is raised to 1 against a Cloud Controller that is not on this machine)",
      },
    ]);
    expect(await checkFailures({ deploymentGuid: GUID, pollIntervalSeconds: 0.05 })).toEqual([]);
  });

  it.each([
    ["http://127.0.0.1:8080", 0.05, 50],
    ["http://localhost:8080", 0.2, 200],
    ["http://[::1]:8080", 0.2, 200],
    ["https://api.example.com", 0.2, 1000],
    ["https://api.example.com", 3, 3000],
  ])("against %s, %ss waits %i ms", (apiUrl, seconds, ms) => {
    expect(pollIntervalMs(seconds, apiUrl)).toBe(ms);
  });
});

describe("lateDeliverySeconds", () => {
  const window = "(seconds a continue in doubt is watched for it to land)";
  it.each([
    [0.5, `must be at least 1 ${window}`],
    [601, `must be at most 600 ${window}`],
    [Number.POSITIVE_INFINITY, "must be a number of seconds from 1 to 600"],
    [Number.NaN, "must be a number of seconds from 1 to 600"],
    [true, "must be a number of seconds from 1 to 600"],
    [
      "30",
      'must be a number, not the string "30" (read stack config with config.requireNumber, or convert with Number(…))',
    ],
  ])("refuses %s", async (lateDeliverySeconds, reason) => {
    expect(await checkFailures({ deploymentGuid: GUID, lateDeliverySeconds })).toEqual([
      { property: "lateDeliverySeconds", reason: `[PROMOTION_INVALID_INPUTS] ${reason}` },
    ]);
  });

  it.each([1, 2.5, 60, 600])("accepts %s", async (lateDeliverySeconds) => {
    expect(await checkFailures({ deploymentGuid: GUID, lateDeliverySeconds })).toEqual([]);
  });

  it.each([
    [{ lateDeliverySeconds: 2, pollIntervalSeconds: 0.05 }, "http://127.0.0.1:8080", 2000, 100],
    [{ lateDeliverySeconds: 2.5, pollIntervalSeconds: 0.25 }, "http://127.0.0.1:8080", 2500, 250],
    [
      { lateDeliverySeconds: 0.0011 * 1000, pollIntervalSeconds: 0.07 },
      "http://[::1]:1",
      1100,
      100,
    ],
    [{ lateDeliverySeconds: 60, pollIntervalSeconds: 0.2 }, "https://api.example.com", 60000, 1000],
    [{ lateDeliverySeconds: 60, pollIntervalSeconds: 3 }, "https://api.example.com", 60000, 3000],
  ])("%j against %s: watched %i ms, read every %i ms", (settings, apiUrl, windowMs, pollMs) => {
    expect(lateDeliveryWindow(settings, apiUrl)).toEqual({ windowMs, pollIntervalMs: pollMs });
  });
});
