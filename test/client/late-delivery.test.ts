/**
 * A continue or cancel held by a router queue beyond the client's request timeout, then
 * delivered: the client never sends it a second time, whether it lands while the client watches
 * the deployment or after it gave up.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { describe, expect } from "vitest";
import {
  createCloudFoundryClient,
  DEFAULT_RETRY_POLICY,
  isCloudFoundryError,
} from "../../src/client/index.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { test } from "../support/client-fixture.js";
import {
  type DeploymentAction,
  pausedWebDeployment,
  rejectionOf,
  statusOf,
} from "../support/index.js";

const it = test.override({
  clientOptions: {
    retry: DEFAULT_RETRY_POLICY,
    requestTimeoutMs: 200,
    lateDelivery: { windowMs: 20_000, pollIntervalMs: 5_000 },
  },
});

const MOVED: Record<DeploymentAction, string> = {
  continue: "ACTIVE/DEPLOYING",
  cancel: "ACTIVE/CANCELING",
};

/** The action POSTs in the request log, and the audit events of the action on `guid`. */
async function trail(sim: SimulatorHandle, action: DeploymentAction, guid: string) {
  const posts = (await sim.control.requests()).filter(
    (entry) => entry.method === "POST" && entry.path.endsWith(`/actions/${action}`),
  );
  const events = (await sim.control.auditEvents({ types: [`audit.app.deployment.${action}`] }))
    .filter((event) => event.data["deployment_guid"] === guid)
    .map((event) => event.type);
  return { posts: posts.map((p) => ({ status: p.status, held: p.held })), events };
}

/** The action was sent once, held, and took effect once. */
async function expectLandedOnce(sim: SimulatorHandle, action: DeploymentAction, guid: string) {
  expect(await trail(sim, action, guid)).toEqual({
    posts: [{ status: 200, held: true }],
    events: [`audit.app.deployment.${action}`],
  });
}

/** The seeded web canary paused at step 1, with its next `action` POST held by the router. */
async function heldAction(sim: SimulatorHandle, action: DeploymentAction) {
  const guid = await pausedWebDeployment(sim);
  await sim.control.addFault({ path: `/v3/deployments/*/actions/${action}`, holdMs: 600_000 });
  return guid;
}

const call = (action: DeploymentAction) =>
  action === "continue" ? "continueDeployment" : "cancelDeployment";

describe.for(["continue", "cancel"] as const)("a %s held beyond the request timeout", (action) => {
  it("is reported applied when it lands within the window, sent once", async ({
    sim,
    time,
    client,
  }) => {
    const guid = await heldAction(sim, action);
    time.duringSleep(async () => {
      expect(await sim.control.releaseHeld()).toBe(1);
    });
    const outcome = await client[call(action)](guid);
    expect(outcome).toMatchObject({ applied: true, attempts: 1 });
    expect(`${outcome.deployment.status.value}/${outcome.deployment.status.reason}`).toBe(
      MOVED[action],
    );
    expect(time.sleeps).toEqual([5_000]);
    await expectLandedOnce(sim, action, guid);
  });

  it("ends with CF_OUTCOME_UNKNOWN when it lands after the window, still sent once", async ({
    sim,
    time,
    client,
  }) => {
    const guid = await heldAction(sim, action);
    const error = await rejectionOf(client[call(action)](guid));
    expect(isCloudFoundryError(error, "CF_OUTCOME_UNKNOWN")).toBe(true);
    expect(error).toMatchObject({ action, resent: false, watchedMs: 20_000, attempts: 1 });
    expect(time.sleeps).toEqual([5_000, 5_000, 5_000, 5_000]);
    expect(await statusOf(sim, guid)).toMatch(/^ACTIVE\/PAUSED/);
    expect(await sim.control.releaseHeld()).toBe(1);
    expect(await statusOf(sim, guid)).toMatch(new RegExp(`^${MOVED[action]}`));
    await expectLandedOnce(sim, action, guid);
  });

  it("ends with CF_OUTCOME_UNKNOWN, not a network error, when a read fails while it watches", async ({
    sim,
    time,
    client,
  }) => {
    const guid = await heldAction(sim, action);
    // The second read of the watch (after 10 s) meets GETs that keep failing.
    time.duringSleep(async () => undefined);
    time.duringSleep(async () => {
      await sim.control.addFault({
        method: "GET",
        path: `/v3/deployments/${guid}`,
        status: 502,
        times: 10,
      });
    });
    const error = await rejectionOf(client[call(action)](guid));
    if (!isCloudFoundryError(error, "CF_OUTCOME_UNKNOWN")) throw error;
    expect(error).toMatchObject({ action, resent: false, attempts: 1 });
    expect(error.watchedMs).toBeGreaterThanOrEqual(10_000);
    expect(error.message).toContain("but reading the deployment back failed");
    // Still held, never sent again: released, it lands once.
    expect(await sim.control.releaseHeld()).toBe(1);
    await expectLandedOnce(sim, action, guid);
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("a continue that provably never reached the server", () => {
  it("is sent again under the retry policy, and the error says it did not take effect", async ({
    sim,
    time,
    client,
    tokenFor,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const expected = await client.getDeployment(guid);
    const apiUrl = `http://127.0.0.1:${await closedPort()}`;
    const refused = createCloudFoundryClient({
      apiUrl,
      credentials: { kind: "accessToken", accessToken: await tokenFor("developer") },
      retry: { maxAttempts: 3 },
      now: time.now,
      sleep: time.sleep,
      random: () => 0.5,
    });
    const error = await refused.continueDeployment(guid, { expected }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await refused.close();
    const path = `/v3/deployments/${guid}/actions/continue`;
    expect(error).toMatchObject({
      code: "CF_NETWORK_ERROR",
      networkCode: "ECONNREFUSED",
      attempts: 3,
      message: expect.stringMatching(
        new RegExp(
          `^POST ${path} failed: .*ECONNREFUSED.* \\(3 attempts\\); check that ${apiUrl} is reachable; it never reached the server, so it did not take effect\\.$`,
        ),
      ),
    });
    expect(time.sleeps).toEqual([375, 750]);
  });
});

/** `handler` as an interceptor written for undici's older handler API passes it on. */
function withoutRequestSent<T extends object>(handler: T): T {
  const bound = (value: unknown) =>
    typeof value === "function" ? (value as () => unknown).bind(handler) : value;
  return new Proxy(handler, {
    get: (target, key) => (key === "onRequestSent" ? undefined : bound(Reflect.get(target, key))),
  });
}

describe("a dispatcher that does not forward onRequestSent", () => {
  it("makes a reset after writing count as written: watched, not sent again", async ({
    sim,
    makeClient,
  }) => {
    const agent = new Agent();
    const forgetful = agent.compose(
      (dispatch) => (options, handler) => dispatch(options, withoutRequestSent(handler)),
    );
    const client = makeClient({ dispatcher: forgetful, lateDelivery: { windowMs: 10_000 } });
    const guid = await pausedWebDeployment(sim);
    const path = `/v3/deployments/${guid}/actions/continue`;
    await sim.control.addFault({ method: "POST", path, reset: "before" });
    const error = await client.continueDeployment(guid).catch((e: unknown) => e);
    await agent.close();
    expect(isCloudFoundryError(error, "CF_OUTCOME_UNKNOWN")).toBe(true);
    const posts = (await sim.control.requests()).filter(
      (r) => r.method === "POST" && r.path === path,
    );
    expect(posts.map((r) => r.status)).toEqual([0]);
    expect(await statusOf(sim, guid)).toBe("ACTIVE/PAUSED");
  });
});
