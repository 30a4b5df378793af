import { describe, expect, it } from "vitest";
import { diffPromotion } from "../../src/provider/diff-promotion.js";
import { createPromotion } from "../../src/provider/promotion-lifecycle.js";
import { createProviderRuntime } from "../../src/provider/provider-runtime.js";
import { UNKNOWN_VALUE } from "../../src/provider/unknown-value.js";
import {
  APP_GUID,
  DEPLOYMENT_GUID,
  FakePromotionClient,
  SPACE_GUID,
} from "./fake-promotion-client.js";

const NEWER = "00000000-0000-4000-8000-0000000000aa";
const byName = { appName: "web", spaceGuid: SPACE_GUID, __provider: "p" };

/** A stack whose first `up` promoted web's canary to step 2. */
async function promotedToStep2(inputs: Record<string, unknown> = {}) {
  const client = new FakePromotionClient();
  const lines: string[] = [];
  const runtime = createProviderRuntime(
    { apiUrl: "https://api.example.test", accessToken: "t" },
    {
      env: {},
      fileExists: () => false,
      sleep: async () => undefined,
      print: (line) => lines.push(line),
      createClient: () => client,
    },
  );
  const { outs } = await createPromotion(runtime, { ...byName, toStep: 2, ...inputs });
  lines.length = 0;
  client.calls.length = 0;
  const diff = (news: Record<string, unknown>) =>
    diffPromotion(runtime, DEPLOYMENT_GUID, outs, news);
  return { client, lines, diff, outs };
}

describe("diffPromotion", () => {
  it("compares the gates by value: the same gates are no change, other ones are new settings, unknown ones may be", async () => {
    const gates = { healthy: { forSeconds: 0 }, soakSeconds: 0 };
    const { diff, client, lines } = await promotedToStep2({ gates });
    expect(await diff({ ...byName, toStep: 2, gates: structuredClone(gates) })).toEqual({
      changes: false,
      replaces: [],
    });
    expect(lines).toEqual([]);
    expect(await diff({ ...byName, toStep: 2, gates: { ...gates, soakSeconds: 60 } })).toEqual({
      changes: true,
      replaces: [],
    });
    const later = { ...gates, healthy: { forSeconds: UNKNOWN_VALUE } };
    expect(await diff({ ...byName, toStep: 2, gates: later })).toEqual({
      changes: true,
      replaces: [],
    });
    expect(client.posts()).toEqual([]);
  });

  it("says the gates are not known yet when some of their values are not, instead of the defaults", async () => {
    const { diff, lines } = await promotedToStep2();
    const gates = { healthy: true, webhook: { url: UNKNOWN_VALUE } };
    expect(await diff({ ...byName, toStep: 3, gates })).toEqual({ changes: true, replaces: [] });
    expect(lines).toEqual([
      `plan: continue deployment ${DEPLOYMENT_GUID} of app web: step 2/3 → step 3/3, 1 continue`,
      "plan: the gates before each continue are not known until apply",
    ]);
  });

  it("reports no change when the goal is already reached, and reads without writing", async () => {
    const { diff, client, lines } = await promotedToStep2();
    expect(await diff({ ...byName, toStep: 2 })).toEqual({ changes: false, replaces: [] });
    expect(client.posts()).toEqual([]);
    expect(lines).toEqual([]);
  });

  it("plans the exact continues for a higher toStep or a dropped one", async () => {
    const { diff, lines } = await promotedToStep2();
    expect(await diff({ ...byName, toStep: 3 })).toEqual({ changes: true, replaces: [] });
    expect(await diff({ ...byName })).toEqual({ changes: true, replaces: [] });
    expect(lines).toEqual([
      `plan: continue deployment ${DEPLOYMENT_GUID} of app web: step 2/3 → step 3/3, 1 continue`,
      `plan: before each continue, the gates healthy (every instance RUNNING) (onGateFailure: fail)`,
      `plan: continue deployment ${DEPLOYMENT_GUID} of app web: step 2/3 → deployed, 2 continues`,
      `plan: before each continue, the gates healthy (every instance RUNNING) (onGateFailure: fail)`,
    ]);
  });

  it("updates for a changed setting without planning a promotion", async () => {
    const { diff, lines } = await promotedToStep2();
    expect(await diff({ ...byName, toStep: 2, timeoutSeconds: 900 })).toEqual({
      changes: true,
      replaces: [],
    });
    expect(await diff({ ...byName, toStep: 1 })).toEqual({ changes: true, replaces: [] });
    expect(lines).toEqual([
      `plan: deployment ${DEPLOYMENT_GUID} of app web is paused at step 2/3, goal step 2/3: nothing to do (record the new settings)`,
      `plan: deployment ${DEPLOYMENT_GUID} of app web is paused at step 2/3, goal step 1/3: nothing to do (record the new settings)`,
    ]);
  });

  it("replaces when the app has a newer active deployment (a new cf push)", async () => {
    const { diff, client, lines } = await promotedToStep2();
    client.supersede(DEPLOYMENT_GUID);
    client.addDeployment({ guid: NEWER, state: "PAUSED", step: 1, total: 3 });
    expect(await diff({ ...byName, toStep: 2 })).toEqual({ changes: true, replaces: ["appName"] });
    expect(lines).toEqual([
      `plan: app web has a newer active deployment ${NEWER} (was ${DEPLOYMENT_GUID}): replace; then continue deployment ${NEWER} of app web: step 1/3 → step 2/3, 1 continue`,
    ]);
  });

  it("replaces when deploymentGuid names another deployment, and not when it names the same one", async () => {
    const { diff, client } = await promotedToStep2();
    client.addDeployment({ guid: NEWER, state: "PAUSED" });
    expect(await diff({ deploymentGuid: NEWER, toStep: 2, __provider: "p" })).toEqual({
      changes: true,
      replaces: ["deploymentGuid"],
    });
    client.deployments.delete(NEWER);
    expect(await diff({ deploymentGuid: DEPLOYMENT_GUID, toStep: 2, __provider: "p" })).toEqual({
      changes: false,
      replaces: [],
    });
    expect(await diff({ appGuid: APP_GUID, toStep: 2, __provider: "p" })).toEqual({
      changes: false,
      replaces: [],
    });
  });

  it("plans no promotion of a canceled deployment, says why, and fails a new goal for it", async () => {
    const { diff, client, lines } = await promotedToStep2();
    client.set(DEPLOYMENT_GUID, "CANCELED");
    expect(await diff({ ...byName, toStep: 2 })).toEqual({ changes: false, replaces: [] });
    // The update would refuse a higher goal, sending nothing: the preview fails the same way.
    await expect(diff({ ...byName })).rejects.toMatchObject({
      code: "PROMOTION_NOT_PROMOTABLE",
      message: `deployment ${DEPLOYMENT_GUID} of app web was canceled (FINALIZED/CANCELED); it cannot be promoted`,
    });
    expect(lines).toEqual([
      `plan: deployment ${DEPLOYMENT_GUID} of app web was canceled (FINALIZED/CANCELED); it cannot be promoted`,
    ]);
    expect(client.posts()).toEqual([]);
  });

  it("plans nothing for a deployment the Cloud Controller no longer has", async () => {
    const { diff, client } = await promotedToStep2();
    client.deployments.clear();
    expect(await diff({ ...byName, toStep: 2 })).toEqual({ changes: false, replaces: [] });
  });

  it("fails a higher goal asked of a deployment that is gone, and records new settings", async () => {
    const { diff, client, lines } = await promotedToStep2();
    client.deployments.clear();
    expect(await diff({ ...byName, toStep: 2, timeoutSeconds: 60 })).toEqual({
      changes: true,
      replaces: [],
    });
    await expect(diff({ ...byName })).rejects.toMatchObject({ code: "PROMOTION_NOT_FOUND" });
    const gone = `plan: deployment ${DEPLOYMENT_GUID} of app web is no longer in the Cloud Controller; nothing to promote`;
    expect(lines).toEqual([`${gone} (record the new settings)`]);
  });

  it("treats unknown values as changes: a target as a replace, toStep as an update", async () => {
    const { diff, client } = await promotedToStep2();
    expect(
      await diff({ appName: UNKNOWN_VALUE, spaceGuid: SPACE_GUID, toStep: 2, __provider: "p" }),
    ).toEqual({
      changes: true,
      replaces: ["appName"],
    });
    expect(await diff({ ...byName, toStep: UNKNOWN_VALUE })).toEqual({
      changes: true,
      replaces: [],
    });
    expect(client.posts()).toEqual([]);
  });
});
