import { describe, expect, it } from "vitest";
import { gateSettingsOf } from "../../src/provider/gates/gates-input.js";
import type { PromotionClient } from "../../src/provider/promotion-client.js";
import { setup } from "./converge-fixture.js";
import { DEPLOYMENT_GUID, DROPLET_GUID, PROCESS_GUID } from "./fake-promotion-client.js";

const CONTINUE = `POST /v3/deployments/${DEPLOYMENT_GUID}/actions/continue`;
const CANCEL = `POST /v3/deployments/${DEPLOYMENT_GUID}/actions/cancel`;
const STATS = `GET /v3/processes/${PROCESS_GUID}/stats`;
const GET = `GET /v3/deployments/${DEPLOYMENT_GUID}`;

describe("convergePromotion", () => {
  it("promotes a paused canary to the chosen step with one continue, after checking its health", async () => {
    const { run, client } = setup({ goal: { kind: "step", step: 2 } });
    const { final, journal, error } = await run();
    expect(error).toBeUndefined();
    expect(final?.status).toMatchObject({
      value: "ACTIVE",
      reason: "PAUSED",
      canary: { steps: { current: 2, total: 3 } },
    });
    // The health check took no time: the POST compares against the deployment read before it.
    expect(client.calls).toEqual([STATS, CONTINUE, GET]);
    expect(journal.continues).toEqual([{ fromStep: 1, toStep: 2, at: "2026-03-01T12:00:00.000Z" }]);
  });

  it("reads the deployment again after a health check that took over a second", async () => {
    const { run, client, advance } = setup({ goal: { kind: "step", step: 2 } });
    client.onStats = () => advance(1_001);
    const { error } = await run();
    expect(error).toBeUndefined();
    expect(client.calls).toEqual([STATS, GET, CONTINUE, GET]);
  });

  it("sends no continue when someone else continued the step during a slow health check", async () => {
    const { run, client, advance } = setup({ goal: { kind: "step", step: 2 } });
    client.onStats = () => {
      client.onStats = undefined;
      advance(1_001);
      client.set(DEPLOYMENT_GUID, "PREPAUSED", 2);
    };
    const { final, journal, error } = await run();
    expect(error).toBeUndefined();
    expect(final?.status).toMatchObject({ reason: "PAUSED", canary: { steps: { current: 2 } } });
    expect(client.posts()).toEqual([]);
    expect(journal.continues).toEqual([]);
    // The gates passed, but for a continue that was not sent: no round is recorded.
    expect(journal.gateResults).toEqual([]);
  });

  it("promotes all the way with one continue per step and one to finalize", async () => {
    const { run, client, sleeps } = setup();
    const { final, journal } = await run();
    expect(final?.status).toMatchObject({ value: "FINALIZED", reason: "DEPLOYED" });
    expect(client.posts()).toEqual([CONTINUE, CONTINUE, CONTINUE]);
    expect(journal.continues.map((c) => [c.fromStep, c.toStep])).toEqual([
      [1, 2],
      [2, 3],
      [3, "deployed"],
    ]);
    expect(sleeps).toEqual([3000, 3000, 3000]);
  });

  it("sends nothing when the deployment is already at or past the goal", async () => {
    const { run, client } = setup({ goal: { kind: "step", step: 2 } });
    client.set(DEPLOYMENT_GUID, "PAUSED", 3);
    const { final, journal } = await run();
    expect(final?.status.canary?.steps?.current).toBe(3);
    expect(client.calls).toEqual([]);
    expect(journal.continues).toEqual([]);
  });

  it("refuses a deployment for another droplet before sending anything", async () => {
    const expected = "99999999-9999-4999-8999-999999999999";
    const { run, client } = setup({ expectedDropletGuid: expected });
    const { error } = await run();
    expect(error?.code).toBe("PROMOTION_WRONG_DROPLET");
    expect(error?.message).toBe(
      `deployment ${DEPLOYMENT_GUID} of app web deploys droplet ${DROPLET_GUID}, but expectedDropletGuid is ${expected}: refusing to promote another release; nothing was sent`,
    );
    expect(client.calls).toEqual([]);
  });

  it("refuses to continue an unhealthy canary and names each instance's state", async () => {
    const { run, client } = setup();
    client.stats.set(PROCESS_GUID, [
      { index: 0, state: "RUNNING" },
      { index: 1, state: "CRASHED", details: "exited" },
    ]);
    const { error } = await run();
    expect(error?.code).toBe("PROMOTION_UNHEALTHY_CANARY");
    expect(error?.message).toContain(
      `refusing to continue deployment ${DEPLOYMENT_GUID} of app web at step 1/3: the healthy gate did not pass: canary instances of process ${PROCESS_GUID} are not all RUNNING: #0 RUNNING, #1 CRASHED (exited) (still failing at the deadline (timeoutSeconds) after 57s and 20 checks). Nothing was sent for this step.`,
    );
    expect(client.posts()).toEqual([]);
  });

  it("skips the health gate when requireHealthyCanary is false", async () => {
    const { run, client } = setup({
      goal: { kind: "step", step: 2 },
      gates: gateSettingsOf({ healthy: false }, undefined),
    });
    client.stats.set(PROCESS_GUID, [{ index: 0, state: "CRASHED" }]);
    await run();
    expect(client.calls).toEqual([CONTINUE, GET]);
  });

  it("fails on a canceled deployment without sending anything", async () => {
    const { run, client } = setup();
    client.set(DEPLOYMENT_GUID, "CANCELED");
    const { error } = await run();
    expect(error?.code).toBe("PROMOTION_NOT_PROMOTABLE");
    expect(error?.message).toBe(
      `deployment ${DEPLOYMENT_GUID} of app web was canceled (FINALIZED/CANCELED); it cannot be promoted`,
    );
    expect(client.calls).toEqual([]);
  });

  it("on timeout with onTimeout 'fail' leaves the deployment alone, clipping the last wait to the deadline", async () => {
    const { run, client, sleeps } = setup({ timeoutSeconds: 7, goal: { kind: "step", step: 2 } });
    client.readsPerTransition = Number.POSITIVE_INFINITY;
    client.set(DEPLOYMENT_GUID, "PREPAUSED", 2);
    const { error, journal } = await run();
    expect(sleeps).toEqual([3000, 3000, 1000]);
    expect(error?.code).toBe("PROMOTION_TIMEOUT");
    expect(error?.message).toBe(
      `timed out after 7s (timeoutSeconds) promoting deployment ${DEPLOYMENT_GUID} of app web to step 2/3 (last seen: canary step 2/3 scaling…). Left the deployment as it is (onTimeout: "fail"): run the update again to keep going, or cancel it with cf cancel-deployment web.`,
    );
    expect(client.posts()).toEqual([]);
    expect(journal.cancelSent).toBe(false);
  });

  it("on timeout with onTimeout 'cancel' cancels the deployment, then fails", async () => {
    const { run, client } = setup({ timeoutSeconds: 5, onTimeout: "cancel" });
    client.readsPerTransition = Number.POSITIVE_INFINITY;
    client.set(DEPLOYMENT_GUID, "PREPAUSED", 2);
    const { error, journal } = await run();
    expect(client.posts()).toEqual([CANCEL]);
    expect(journal.cancelSent).toBe(true);
    expect(journal.lastSeen.status).toMatchObject({ value: "ACTIVE", reason: "CANCELING" });
    expect(error?.message).toContain(
      'Canceled it as onTimeout: "cancel" asks (now ACTIVE/CANCELING;',
    );
  });

  it("gives the continue and the cancel a late-delivery watch of lateDeliverySeconds, read at the poll interval", async () => {
    const { run, client } = setup({
      lateDeliverySeconds: 7,
      timeoutSeconds: 5,
      onTimeout: "cancel",
    });
    const watches: unknown[] = [];
    const fake = client as unknown as PromotionClient;
    const { continueDeployment, cancelDeployment } = fake;
    fake.continueDeployment = async (guid, options) => {
      watches.push(["continue", options?.lateDelivery]);
      return continueDeployment.call(client, guid);
    };
    fake.cancelDeployment = async (guid, options) => {
      watches.push(["cancel", options?.lateDelivery]);
      return cancelDeployment.call(client, guid);
    };
    client.readsPerTransition = Number.POSITIVE_INFINITY;
    const { error } = await run();
    expect(error?.code).toBe("PROMOTION_TIMEOUT");
    // The fake API is not on loopback: 3 s stays 3 s (the floor is 1 s).
    expect(watches).toEqual([
      ["continue", { windowMs: 7000, pollIntervalMs: 3000 }],
      ["cancel", { windowMs: 7000, pollIntervalMs: 3000 }],
    ]);
  });

  it("on timeout after a continue whose outcome is unknown, says so instead of 'left as it is'", async () => {
    const { run, client } = setup({ timeoutSeconds: 60 });
    client.continueDeployment = async (guid: string) => {
      client.calls.push(`POST /v3/deployments/${guid}/actions/continue`);
      // The deadline passed while the client watched the continue for a late delivery.
      throw Object.assign(new Error("deadline passed"), { code: "CF_TIMEOUT" });
    };
    const { error, journal } = await run();
    expect(client.posts()).toEqual([CONTINUE]);
    expect(journal.continueInDoubt).toBe(true);
    expect(error?.code).toBe("PROMOTION_TIMEOUT");
    expect(error?.message).toBe(
      `timed out after 60s (timeoutSeconds) promoting deployment ${DEPLOYMENT_GUID} of app web to deployed (last seen: canary step 1/3 paused). The outcome of the last continue is unknown, so the deployment may have moved (onTimeout: "fail"): the next update settles it from the Cloud Controller's audit trail before it sends anything; look with cf app web before continuing it by hand.`,
    );
  });

  it("treats the client's CF_TIMEOUT as the promotion's timeout", async () => {
    const { run, client } = setup({ onTimeout: "cancel" });
    client.getProcessStats = async () => {
      throw Object.assign(new Error("deadline passed"), { code: "CF_TIMEOUT" });
    };
    const { error } = await run();
    expect(error?.code).toBe("PROMOTION_TIMEOUT");
    expect(client.posts()).toEqual([CANCEL]);
  });

  it("never continues twice from the same step", async () => {
    const { run, client } = setup();
    client.continueDeployment = async () => {
      client.calls.push(CONTINUE);
      return {
        deployment: await client.getDeployment(DEPLOYMENT_GUID),
        applied: true,
        attempts: 1,
      };
    };
    const { error } = await run();
    expect(client.posts()).toEqual([CONTINUE]);
    expect(error?.message).toContain(
      "is still paused at step 1 after a continue from that step was sent",
    );
  });

  it("does not record a continue the Cloud Controller did not take from us", async () => {
    const { run, client, lines } = setup({ goal: { kind: "step", step: 2 } });
    const original = client.continueDeployment.bind(client);
    client.continueDeployment = async (guid) => ({ ...(await original(guid)), applied: false });
    const { journal } = await run();
    expect(journal.continues).toEqual([]);
    expect(lines).toContain(
      "step 1 was already continued by someone else; not continuing it again",
    );
  });
});
