import { describe, expect, it } from "vitest";
import { gateSettingsOf } from "../../src/provider/gates/gates-input.js";
import { setup } from "./converge-fixture.js";
import { DEPLOYMENT_GUID, PROCESS_GUID } from "./fake-promotion-client.js";

const CONTINUE = `POST /v3/deployments/${DEPLOYMENT_GUID}/actions/continue`;
const CANCEL = `POST /v3/deployments/${DEPLOYMENT_GUID}/actions/cancel`;
const STATS = `GET /v3/processes/${PROCESS_GUID}/stats`;
const GET = `GET /v3/deployments/${DEPLOYMENT_GUID}`;

/** The fake deployment's `last_status_change`: when it was paused, on the server's clock. */
const PAUSED_AT = Date.parse("2026-01-01T00:00:00Z");

const toStep2 = { kind: "step", step: 2 } as const;

describe("the gates before a continue (converge loop, fake client and clock)", () => {
  it("re-checks a crashed canary until it recovers, then continues once", async () => {
    const { run, client, lines } = setup({ goal: toStep2 });
    client.stats.set(PROCESS_GUID, [{ index: 0, state: "CRASHED", details: "exited" }]);
    let looks = 0;
    client.onStats = () => {
      looks += 1;
      if (looks === 3) client.stats.set(PROCESS_GUID, [{ index: 0, state: "RUNNING" }]);
    };
    const { error, journal } = await run();
    expect(error).toBeUndefined();
    // Three rounds: the first on the deployment just read, the others read it again first.
    expect(client.calls).toEqual([STATS, GET, STATS, GET, STATS, GET, CONTINUE, GET]);
    expect(lines[0]).toBe(
      `waiting for the healthy gate before step 1 → 2: canary instances of process ${PROCESS_GUID} are not all RUNNING: #0 CRASHED (exited)`,
    );
    expect(journal.gateResults).toEqual([
      {
        fromStep: 1,
        toStep: 2,
        passed: true,
        firstCheckAt: "2026-03-01T12:00:00.000Z",
        lastCheckAt: "2026-03-01T12:00:06.000Z",
        waitedSeconds: 6,
        rounds: 3,
        gates: [
          {
            gate: "healthy",
            passed: true,
            detail: `every instance of process ${PROCESS_GUID} is RUNNING: #0 RUNNING`,
          },
        ],
      },
    ]);
  });

  it("waits until every instance has been RUNNING for forSeconds, by uptime", async () => {
    const { run, client, sleeps } = setup({
      goal: toStep2,
      gates: gateSettingsOf({ healthy: { forSeconds: 20 } }, undefined),
    });
    let uptime = 5;
    client.stats.set(PROCESS_GUID, [{ index: 0, state: "RUNNING", uptime }]);
    client.onStats = () => {
      client.stats.set(PROCESS_GUID, [{ index: 0, state: "RUNNING", uptime }]);
      uptime += 3;
    };
    const { error, journal } = await run();
    expect(error).toBeUndefined();
    // 5, 8, 11, 14, 17 s are too young; 20 s passes (the last sleep is the wait after it).
    expect(sleeps.slice(0, 5)).toEqual([3000, 3000, 3000, 3000, 3000]);
    expect(journal.gateResults[0]).toMatchObject({ passed: true, rounds: 6, waitedSeconds: 15 });
    expect(client.posts()).toEqual([CONTINUE]);
    expect(journal.gateResults[0]?.gates[0]?.detail).toBe(
      `every instance of process ${PROCESS_GUID} is RUNNING for 20s: #0 RUNNING for 20s`,
    );
  });

  it("measures the soak on the server's clock: a client clock far ahead does not shorten it", async () => {
    const { run, client, sleeps, clock } = setup({
      goal: toStep2,
      gates: gateSettingsOf({ soakSeconds: 10 }, undefined),
    });
    // The client's clock is two months past the pause; the server says 4 s have passed.
    const start = clock();
    client.serverDateMs = () => PAUSED_AT + 4000 + (clock() - start);
    const { error, journal } = await run();
    expect(error).toBeUndefined();
    // 4 s, 7 s, 10 s, then 11 s paused by the server's Date (a second more than asked: its
    // timestamps are whole seconds): three waits, the last just long enough.
    expect(sleeps.slice(0, 3)).toEqual([3000, 3000, 1000]);
    expect(journal.gateResults[0]).toMatchObject({ passed: true, rounds: 4, waitedSeconds: 7 });
    expect(client.posts()).toEqual([CONTINUE]);
    expect(journal.gateResults[0]?.gates).toEqual([
      {
        gate: "healthy",
        passed: true,
        detail: `every instance of process ${PROCESS_GUID} is RUNNING: #0 RUNNING`,
      },
      {
        gate: "soak",
        passed: true,
        detail: "paused for 11s of 10s on the Cloud Controller's clock",
      },
    ]);
  });

  it("never passes a soak without the server's Date, and fails at the deadline sending nothing", async () => {
    const { run, client } = setup({
      goal: toStep2,
      timeoutSeconds: 10,
      gates: gateSettingsOf({ soakSeconds: 1 }, undefined),
    });
    const { error, journal } = await run();
    expect(error?.code).toBe("PROMOTION_GATE_FAILED");
    expect(error?.message).toBe(
      `refusing to continue deployment ${DEPLOYMENT_GUID} of app web at step 1/3: the soak gate did not pass: cannot tell how long it has been paused: the Cloud Controller's answer has no Date header (still failing at the deadline (timeoutSeconds) after 9s and 4 checks). Nothing was sent for this step. Fix the canary or cancel the deployment (cf cancel-deployment web), or lower gates.soakSeconds.`,
    );
    expect(client.posts()).toEqual([]);
    expect(journal.gateResults).toMatchObject([{ passed: false, rounds: 4 }]);
  });

  it("with onGateFailure 'cancel', cancels a deployment whose canary stays unhealthy", async () => {
    const { run, client, lines } = setup({
      goal: toStep2,
      timeoutSeconds: 5,
      onGateFailure: "cancel",
    });
    client.stats.set(PROCESS_GUID, [{ index: 0, state: "DOWN" }]);
    const { error, journal } = await run();
    expect(error?.code).toBe("PROMOTION_UNHEALTHY_CANARY");
    expect(error?.message).toContain(
      `refusing to continue deployment ${DEPLOYMENT_GUID} of app web at step 1/3: the healthy gate did not pass: canary instances of process ${PROCESS_GUID} are not all RUNNING: #0 DOWN (still failing at the deadline (timeoutSeconds) after 3s and 2 checks). Canceled it as onGateFailure: "cancel" asks (now ACTIVE/CANCELING;`,
    );
    expect(client.posts()).toEqual([CANCEL]);
    expect(journal.cancelSent).toBe(true);
    expect(lines.at(-1)).toBe(
      `the healthy gate still fails at the deadline; canceling deployment ${DEPLOYMENT_GUID} of app web (onGateFailure: "cancel")`,
    );
  });

  it("plans again, sending nothing, when someone else continues the step while a gate waits", async () => {
    const { run, client } = setup({ goal: toStep2 });
    client.stats.set(PROCESS_GUID, [{ index: 0, state: "CRASHED" }]);
    client.onStats = () => {
      client.onStats = undefined;
      client.set(DEPLOYMENT_GUID, "PAUSED", 2);
    };
    const { error, journal } = await run();
    expect(error).toBeUndefined();
    expect(client.posts()).toEqual([]);
    expect(journal.gateResults).toEqual([]);
  });
});
