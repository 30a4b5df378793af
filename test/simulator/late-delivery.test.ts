/**
 * Requests whose client has gone are still handled, as a real server handles them: a `delayMs`
 * fault (a slow server) and a `holdMs` fault (a router queue delivering late).
 */
import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import {
  type DeploymentAction,
  expectCfError,
  getDeployment,
  it,
  pausedWebDeployment,
  send,
  tokenFor,
  unprocessable,
} from "../support/index.js";
import { pollUntil } from "../support/poll.js";

/** POSTs an action as admin with a plain fetch the caller can abort. */
async function postAction(
  sim: SimulatorHandle,
  guid: string,
  name: DeploymentAction,
  signal: AbortSignal,
): Promise<Response> {
  return fetch(`${sim.url}/v3/deployments/${guid}/actions/${name}`, {
    method: "POST",
    headers: { Authorization: `bearer ${await tokenFor(sim, "admin")}` },
    signal,
  });
}

async function stepOf(sim: SimulatorHandle, guid: string): Promise<string> {
  const { status } = await getDeployment(sim, guid);
  return `${status.value}/${status.reason} step ${status.canary?.steps.current}`;
}

/** How many audit events of `type` name the deployment `guid`. */
async function auditCount(sim: SimulatorHandle, type: string, guid: string): Promise<number> {
  const events = await sim.control.auditEvents({ types: [type] });
  return events.filter((event) => event.data["deployment_guid"] === guid).length;
}

const actionLog = async (sim: SimulatorHandle) =>
  (await sim.control.requests())
    .filter((entry) => entry.method === "POST" && entry.path.includes("/actions/"))
    .map(({ time: _, connection: __, ...rest }) => rest);

/** The request-log entry (without its time) of an action that was handled after its client left. */
function handledAfterClientLeft(guid: string, name: DeploymentAction, held: boolean) {
  return {
    method: "POST",
    path: `/v3/deployments/${guid}/actions/${name}`,
    query: {},
    status: 200,
    ...(held ? { held: true } : {}),
    clientGone: true,
  };
}

describe("a request whose client has gone", () => {
  it.for([
    { name: "continue", fault: { delayMs: 300 }, after: "ACTIVE/DEPLOYING step 2" },
    { name: "cancel", fault: { holdMs: 250 }, after: "ACTIVE/CANCELING step 1" },
  ] as const)(
    "is handled after a wait ($fault), logged with clientGone: $name",
    async ({ name, fault, after }, { sim }) => {
      const guid = await pausedWebDeployment(sim);
      await sim.control.clearRequests();
      await sim.control.addFault({ path: `/v3/deployments/*/actions/${name}`, ...fault });
      await expect(postAction(sim, guid, name, AbortSignal.timeout(50))).rejects.toThrow();
      expect(await stepOf(sim, guid)).toBe("ACTIVE/PAUSED step 1");

      const log = await pollUntil(`the late ${name}`, async () => {
        const entries = await actionLog(sim);
        return entries.length > 0 && entries;
      });
      expect(log).toEqual([handledAfterClientLeft(guid, name, "holdMs" in fault)]);
      expect(await stepOf(sim, guid)).toBe(after);
      expect(await auditCount(sim, `audit.app.deployment.${name}`, guid)).toBe(1);
    },
  );
});

describe("holdMs: late delivery", () => {
  it("holds a continue past the client's timeout and applies it when released", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    await sim.control.clearRequests();
    await sim.control.addFault({
      method: "POST",
      path: "/v3/deployments/*/actions/continue",
      holdMs: 60_000,
    });
    const client = new AbortController();
    const sent = postAction(sim, guid, "continue", client.signal);
    sent.catch(() => undefined);
    const [heldNow] = await pollUntil("the continue to be held", async () => {
      const held = await sim.control.heldRequests();
      return held.length > 0 && held;
    });
    expect(heldNow).toMatchObject({
      method: "POST",
      path: `/v3/deployments/${guid}/actions/continue`,
      clientConnected: true,
    });

    // t1: the client gives up; the deployment has not moved and nothing was logged.
    client.abort(new Error("client timeout"));
    await expect(sent).rejects.toThrow("client timeout");
    await pollUntil("the server to see the client go", async () => {
      const [held] = await sim.control.heldRequests();
      return held?.clientConnected === false;
    });
    expect(await stepOf(sim, guid)).toBe("ACTIVE/PAUSED step 1");
    expect(await auditCount(sim, "audit.app.deployment.continue", guid)).toBe(0);
    expect(await actionLog(sim)).toEqual([]);

    // N: the router delivers it; the continue happens though nobody hears the answer.
    expect(await sim.control.releaseHeld()).toBe(1);
    expect(await sim.control.heldRequests()).toEqual([]);
    expect(await stepOf(sim, guid)).toBe("ACTIVE/DEPLOYING step 2");
    expect(await auditCount(sim, "audit.app.deployment.continue", guid)).toBe(1);
    expect(await actionLog(sim)).toEqual([handledAfterClientLeft(guid, "continue", true)]);
    const lines = (await sim.control.requests()).map((e) => `${e.method} ${e.path}`);
    expect(lines).toEqual([
      `GET /v3/deployments/${guid}`,
      `POST /v3/deployments/${guid}/actions/continue`,
      `GET /v3/deployments/${guid}`,
    ]);
  });

  it("answers a client that is still waiting once released", async ({ sim }) => {
    await sim.control.addFault({ path: "/v3/info", holdMs: 60_000, times: 2 });
    const answers = Promise.all([send(`${sim.url}/v3/info`), send(`${sim.url}/v3/info`)]);
    await pollUntil("both requests to be held", async () => {
      return (await sim.control.heldRequests()).length === 2;
    });
    expect(await sim.control.releaseHeld()).toBe(2);
    expect((await answers).map((a) => a.status)).toEqual([200, 200]);
    expect(
      (await sim.control.requests()).map(({ time: _, connection: __, ...rest }) => rest),
    ).toEqual([
      { method: "GET", path: "/v3/info", query: {}, status: 200, held: true },
      { method: "GET", path: "/v3/info", query: {}, status: 200, held: true },
    ]);
  });

  it("holds any route, and a status fault answers after the hold", async ({ sim }) => {
    await sim.control.addFault({ path: "/uaa/oauth/token", holdMs: 60_000, status: 503 });
    const answer = send(`${sim.uaaUrl}/oauth/token`, { method: "POST" });
    await pollUntil("the token request to be held", async () => {
      return (await sim.control.heldRequests()).length === 1;
    });
    expect(await sim.control.releaseHeld()).toBe(1);
    expect((await answer).status).toBe(503);
  });

  it("releases nothing when nothing is held, and closes with a request still held", async ({
    startSim,
  }) => {
    const sim = await startSim();
    expect(await sim.control.releaseHeld()).toBe(0);
    await sim.control.addFault({ path: "/v3/info", holdMs: 600_000 });
    const answer = send(`${sim.url}/v3/info`);
    await pollUntil("the request to be held", async () => {
      return (await sim.control.heldRequests()).length === 1;
    });
    await sim.close();
    await expect(answer).rejects.toThrow();
  });

  it("refuses delayMs together with holdMs", async ({ sim }) => {
    const answer = await send(`${sim.url}/_sim/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: "/v3/info", delayMs: 5, holdMs: 5 }),
    });
    expectCfError(answer, unprocessable("delayMs and holdMs cannot be combined"));
  });
});
