import { describe, expect, it } from "vitest";
import {
  createPromotion,
  deletePromotion,
  readPromotion,
  updatePromotion,
} from "../../src/provider/promotion-lifecycle.js";
import type { PromotionPartialFailure } from "../../src/provider/promotion-partial-failure.js";
import type { ProviderRuntime } from "../../src/provider/provider-runtime.js";
import { createProviderRuntime } from "../../src/provider/provider-runtime.js";
import {
  APP_GUID,
  DEPLOYMENT_GUID,
  DROPLET_GUID,
  FakePromotionClient,
  PREVIOUS_DROPLET_GUID,
  PROCESS_GUID,
  SPACE_GUID,
} from "./fake-promotion-client.js";

const PROVIDER = "exports.handler = () => provider;";

function setup() {
  const client = new FakePromotionClient();
  const lines: string[] = [];
  const sleeps: number[] = [];
  let now = Date.parse("2026-03-01T12:00:00Z");
  const runtime: ProviderRuntime = createProviderRuntime(
    { apiUrl: "https://api.example.test", accessToken: "SECRET-TOKEN" },
    {
      env: {},
      fileExists: () => false,
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
      print: (line) => lines.push(line),
      createClient: () => client,
    },
  );
  /** Lets `ms` pass on the runtime's clock. */
  const advance = (ms: number) => {
    now += ms;
  };
  return { client, lines, sleeps, advance, runtime };
}

const byName = { appName: "web", spaceGuid: SPACE_GUID, __provider: PROVIDER };

describe("createPromotion", () => {
  it("promotes the app's active deployment to the chosen step and records plain outputs", async () => {
    const { runtime, client, lines } = setup();
    const result = await createPromotion(runtime, { ...byName, toStep: 2 });
    expect(result).toEqual({
      id: DEPLOYMENT_GUID,
      outs: {
        appName: "web",
        spaceGuid: SPACE_GUID,
        toStep: 2,
        deploymentGuid: DEPLOYMENT_GUID,
        appGuid: APP_GUID,
        strategy: "canary",
        statusValue: "ACTIVE",
        statusReason: "PAUSED",
        canaryStep: { current: 2, total: 3 },
        dropletGuid: DROPLET_GUID,
        previousDropletGuid: PREVIOUS_DROPLET_GUID,
        revision: null,
        lastStatusChange: "2026-01-01T00:00:00Z",
        lastSuccessfulHealthcheck: "2026-01-01T00:00:00Z",
        continues: [
          { fromStep: 1, toStep: 2, at: "2026-03-01T12:00:00.000Z", by: null, ours: true },
        ],
        overshoot: null,
        target: { appName: "web", spaceGuid: SPACE_GUID },
        gateResults: [
          {
            fromStep: 1,
            toStep: 2,
            passed: true,
            firstCheckAt: "2026-03-01T12:00:00.000Z",
            lastCheckAt: "2026-03-01T12:00:00.000Z",
            waitedSeconds: 0,
            rounds: 1,
            gates: [
              {
                gate: "healthy",
                passed: true,
                detail: `every instance of process ${PROCESS_GUID} is RUNNING: #0 RUNNING`,
              },
            ],
          },
        ],
      },
    });
    expect(JSON.parse(JSON.stringify(result.outs))).toEqual(result.outs);
    expect(client.posts()).toHaveLength(1);
    expect(client.closed).toBe(1);
    expect(lines[0]).toBe(
      "cloudfoundry: https://api.example.test as a fake client (from stack config (cloudfoundry:*))",
    );
    expect(lines.join("\n")).not.toContain("SECRET-TOKEN");
  });

  it("finds the app through organization and space names", async () => {
    const { runtime, client } = setup();
    await createPromotion(runtime, {
      appName: "web",
      spaceName: "space",
      orgName: "org",
      toStep: 1,
      __provider: PROVIDER,
    });
    expect(client.calls.slice(0, 3)).toEqual(["GET org org", "GET space space", "GET app web"]);
    expect(client.posts()).toEqual([]);
  });

  it("explains a target that does not exist", async () => {
    const { runtime } = setup();
    await expect(
      createPromotion(runtime, { appName: "api", spaceGuid: SPACE_GUID, __provider: PROVIDER }),
    ).rejects.toThrow(`app "api" was not found in space ${SPACE_GUID}`);
    await expect(
      createPromotion(runtime, {
        appName: "web",
        spaceName: "nope",
        orgName: "org",
        __provider: PROVIDER,
      }),
    ).rejects.toThrow('space "nope" was not found in organization "org"');
    await expect(
      createPromotion(runtime, {
        deploymentGuid: "99999999-9999-4999-8999-999999999999",
        __provider: PROVIDER,
      }),
    ).rejects.toThrow("deployment 99999999-9999-4999-8999-999999999999 was not found");
  });

  it("turns a failure after a continue into a partial failure that keeps what happened", async () => {
    const { runtime, client } = setup();
    let stats = 0;
    client.getProcessStats = async () => {
      stats += 1;
      return [{ type: "web", index: 0, state: stats === 1 ? "RUNNING" : "CRASHED" }];
    };
    const error = (await createPromotion(runtime, { ...byName }).catch(
      (e) => e,
    )) as PromotionPartialFailure;
    expect(error.name).toBe("PromotionPartialFailure");
    expect(error.id).toBe(DEPLOYMENT_GUID);
    expect(error.message).toContain("refusing to continue deployment");
    expect(error.message).toContain(
      "(this operation had already sent 1 continue; the resource is kept in state with what happened)",
    );
    expect(error.reasons).toEqual([expect.stringContaining("#0 CRASHED")]);
    expect(error.properties).toMatchObject({
      __provider: PROVIDER,
      statusReason: "PAUSED",
      canaryStep: { current: 2, total: 3 },
      continues: [{ fromStep: 1, toStep: 2 }],
    });
  });

  it("keeps a deployment it canceled on timeout in state, as a partial failure", async () => {
    const { runtime, client } = setup();
    client.readsPerTransition = Number.POSITIVE_INFINITY;
    client.set(DEPLOYMENT_GUID, "PREPAUSED");
    const error = (await createPromotion(runtime, {
      ...byName,
      timeoutSeconds: 5,
      onTimeout: "cancel",
    }).catch((e) => e)) as PromotionPartialFailure;
    expect(client.posts()).toEqual([`POST /v3/deployments/${DEPLOYMENT_GUID}/actions/cancel`]);
    expect(error.message).toContain(
      "(this operation had already sent a cancel; the resource is kept in state with what happened)",
    );
    expect(error.properties).toMatchObject({ statusReason: "CANCELING", continues: [] });
  });

  it("keeps the resource, re-read, when a continue fails after it may have taken effect", async () => {
    const { runtime, client } = setup();
    const original = client.continueDeployment.bind(client);
    client.continueDeployment = async (guid) => {
      await original(guid);
      throw Object.assign(new Error("POST /v3/deployments/…/actions/continue: socket hang up"), {
        code: "CF_NETWORK_ERROR",
      });
    };
    const error = (await createPromotion(runtime, { ...byName, toStep: 2 }).catch(
      (e) => e,
    )) as PromotionPartialFailure;
    expect(error.message).toBe(
      "POST /v3/deployments/…/actions/continue: socket hang up (this operation had already sent a continue whose outcome is unknown; the resource is kept in state with what happened)",
    );
    expect(error.properties).toMatchObject({
      statusReason: "PAUSED",
      canaryStep: { current: 2, total: 3 },
      continues: [],
    });
  });

  it("charges the time spent finding the target to timeoutSeconds", async () => {
    const { runtime, client, sleeps, advance } = setup();
    client.readsPerTransition = Number.POSITIVE_INFINITY;
    client.set(DEPLOYMENT_GUID, "PREPAUSED");
    const findApp = client.findAppByName.bind(client);
    client.findAppByName = async (spaceGuid, name) => {
      advance(8_000);
      return findApp(spaceGuid, name);
    };
    const error = await createPromotion(runtime, { ...byName, timeoutSeconds: 10 }).catch((e) => e);
    expect(error.message).toContain("timed out after 10s (timeoutSeconds)");
    // 8 of the 10 seconds went to the lookup: one wait, clipped to the 2 seconds left.
    expect(sleeps).toEqual([2000]);
  });

  it("fails plainly, with nothing recorded, when nothing was sent", async () => {
    const { runtime, client } = setup();
    client.stats.set(PROCESS_GUID, [{ index: 0, state: "DOWN" }]);
    const error = await createPromotion(runtime, { ...byName }).catch((e) => e);
    expect(error.name).toBe("PromotionError");
    expect(error.id).toBeUndefined();
  });
});

describe("updatePromotion", () => {
  it("promotes further and appends to the recorded continues", async () => {
    const { runtime, client } = setup();
    const first = await createPromotion(runtime, { ...byName, toStep: 2 });
    const second = await updatePromotion(runtime, first.id, first.outs, { ...byName });
    expect(second.outs).toMatchObject({
      statusValue: "FINALIZED",
      statusReason: "DEPLOYED",
      continues: [
        { fromStep: 1, toStep: 2 },
        { fromStep: 2, toStep: 3 },
        { fromStep: 3, toStep: "deployed" },
      ],
    });
    expect(client.posts()).toHaveLength(3);
  });

  it("records new settings of a canceled deployment without sending anything", async () => {
    const { runtime, client } = setup();
    const first = await createPromotion(runtime, { ...byName, toStep: 2 });
    client.set(DEPLOYMENT_GUID, "CANCELED");
    const posts = client.posts().length;
    const second = await updatePromotion(runtime, first.id, first.outs, {
      ...byName,
      toStep: 2,
      timeoutSeconds: 30,
    });
    expect(second.outs).toMatchObject({ statusReason: "CANCELED", timeoutSeconds: 30 });
    expect(client.posts()).toHaveLength(posts);
  });

  it("fails clearly when a higher goal is asked of a canceled deployment", async () => {
    const { runtime, client } = setup();
    const first = await createPromotion(runtime, { ...byName, toStep: 2 });
    client.set(DEPLOYMENT_GUID, "CANCELED");
    await expect(updatePromotion(runtime, first.id, first.outs, { ...byName })).rejects.toThrow(
      `deployment ${DEPLOYMENT_GUID} of app web was canceled (FINALIZED/CANCELED); it cannot be promoted`,
    );
  });

  it("keeps the record of a deployment the Cloud Controller pruned after it was deployed", async () => {
    const { runtime, client } = setup();
    const first = await createPromotion(runtime, { ...byName });
    client.deployments.clear();
    const second = await updatePromotion(runtime, first.id, first.outs, { ...byName, toStep: 1 });
    expect(second.outs).toMatchObject({ statusReason: "DEPLOYED", toStep: 1 });
  });
});

describe("readPromotion", () => {
  it("shows a later cancel as drift", async () => {
    const { runtime, client } = setup();
    const first = await createPromotion(runtime, { ...byName, toStep: 2 });
    client.set(DEPLOYMENT_GUID, "CANCELED");
    const read = await readPromotion(runtime, first.id, { ...first.outs, __provider: PROVIDER });
    expect(read.id).toBe(DEPLOYMENT_GUID);
    expect(read.props).toEqual({
      ...first.outs,
      statusValue: "FINALIZED",
      statusReason: "CANCELED",
      __provider: PROVIDER,
    });
  });

  it("keeps a pruned deployment's outputs unchanged, so it is not drift", async () => {
    const { runtime, client, lines } = setup();
    const first = await createPromotion(runtime, { ...byName });
    client.deployments.clear();
    const props = { ...first.outs, __provider: PROVIDER };
    expect(await readPromotion(runtime, first.id, props)).toEqual({ id: first.id, props });
    expect(lines.at(-1)).toBe(
      `web: deployment ${DEPLOYMENT_GUID} is no longer in the Cloud Controller (pruned after it finished); keeping its last recorded status FINALIZED/DEPLOYED`,
    );
  });
});

describe("deletePromotion", () => {
  it("forgets the record and sends nothing", async () => {
    const { runtime, client, lines } = setup();
    const first = await createPromotion(runtime, { ...byName, toStep: 2 });
    const calls = client.calls.length;
    await deletePromotion(runtime, first.id, first.outs);
    expect(client.calls).toHaveLength(calls);
    expect(lines.at(-1)).toBe(
      `web: removed the promotion record of deployment ${DEPLOYMENT_GUID} from the stack; nothing was sent to Cloud Foundry`,
    );
  });
});
