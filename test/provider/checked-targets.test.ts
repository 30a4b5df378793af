import { describe, expect, it } from "vitest";
import { checkPromotion } from "../../src/provider/check-promotion.js";
import { createPromotion } from "../../src/provider/promotion-lifecycle.js";
import { APP_GUID, SPACE_GUID } from "./fake-promotion-client.js";
import { fakeRuntime as setup } from "./fake-runtime.js";

// The engine calls a new resource's Check and then its Create: the Create starts from what the
// Check found when that is under a second old, and looks the target up again otherwise.

const web = { appName: "web", spaceGuid: SPACE_GUID, toStep: 2, __provider: "p" };
const activeLookup = `GET /v3/deployments?app_guids=${APP_GUID}&status_values=ACTIVE`;
const count = (calls: string[], call: string) => calls.filter((c) => c === call).length;

describe("a create after its check", () => {
  it("starts from what the check found under a second before, and still checks health right before the continue", async () => {
    const { client, runtime, advance } = setup();
    await checkPromotion({}, web, async () => runtime);
    const checked = client.calls.length;
    advance(400);
    await createPromotion(runtime, web);
    const created = client.calls.slice(checked);
    expect(count(client.calls, activeLookup)).toBe(1);
    expect(count(client.calls, "GET app web")).toBe(1);
    // The create's own calls: the health gate's stats, then the continue.
    expect(created.slice(0, 2)).toEqual([
      expect.stringMatching(/^GET \/v3\/processes\/[^/]+\/stats$/),
      expect.stringMatching(/^POST \/v3\/deployments\/[^/]+\/actions\/continue$/),
    ]);
  });

  it("looks the target up again when the check is more than a second old", async () => {
    const { client, runtime, advance } = setup();
    await checkPromotion({}, web, async () => runtime);
    advance(1_001);
    await createPromotion(runtime, web);
    expect(count(client.calls, activeLookup)).toBe(2);
    expect(client.posts()).toHaveLength(1);
  });

  it("takes what a check found once: a second create of the same target looks it up again", async () => {
    const { client, runtime } = setup();
    await checkPromotion({}, web, async () => runtime);
    await createPromotion(runtime, web);
    await createPromotion(runtime, web);
    expect(count(client.calls, activeLookup)).toBe(2);
  });
});
