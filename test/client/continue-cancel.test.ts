import { describe, expect } from "vitest";
import { type CloudFoundryClient, isCloudFoundryError } from "../../src/client/index.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { it } from "../support/client-fixture.js";
import {
  rateLimitedFault,
  rejectionOf,
  requestLines,
  type TinyHandler,
  type TinyServer,
  webDeployment,
} from "../support/index.js";

const CONTINUE = "audit.app.deployment.continue";
const CANCEL = "audit.app.deployment.cancel";
const CC_503 = {
  errors: [{ code: 10015, title: "CF-ServiceUnavailable", detail: "Database connection failure" }],
};

/** Ticks the web canary to PAUSED at step 1, logs `client` in, and names the paths. */
async function pausedWeb(sim: SimulatorHandle, client: CloudFoundryClient) {
  await sim.control.tick();
  const guid = webDeployment(sim);
  // Log in and forget the requests that set the scene.
  await client.getRoot();
  await client.getDeployment(guid);
  await sim.control.clearRequests();
  return {
    guid,
    get: `GET /v3/deployments/${guid}`,
    continuePath: `/v3/deployments/${guid}/actions/continue`,
    cancelPath: `/v3/deployments/${guid}/actions/cancel`,
    /** `data.deployment_guid` and step of each continue audit event. */
    continues: async () =>
      (await sim.control.auditEvents({ types: [CONTINUE] })).map((e) => e.data["deployment_guid"]),
  };
}

describe("continueDeployment", () => {
  it("reads the deployment, continues once and reads it back", async ({ sim, client }) => {
    const { guid, get, continuePath, continues } = await pausedWeb(sim, client);
    const outcome = await client.continueDeployment(guid);
    expect(outcome.applied).toBe(true);
    expect(outcome.attempts).toBe(1);
    expect(outcome.deployment.status).toMatchObject({
      value: "ACTIVE",
      reason: "DEPLOYING",
      canary: { steps: { current: 2, total: 3 } },
    });
    expect(await requestLines(sim)).toEqual([
      `${get} 200`,
      `POST ${continuePath} 200`,
      `${get} 200`,
    ]);
    expect(await continues()).toEqual([guid]);
  });

  it("skips the GET before the POST when the caller passes the expected deployment", async ({
    sim,
    client,
  }) => {
    const { guid, get, continuePath } = await pausedWeb(sim, client);
    const expected = await client.getDeployment(guid);
    await sim.control.clearRequests();
    const outcome = await client.continueDeployment(guid, { expected });
    expect(outcome).toMatchObject({ applied: true, attempts: 1 });
    expect(await requestLines(sim)).toEqual([`POST ${continuePath} 200`, `${get} 200`]);
  });

  it("reads before and back through the caller's readDeployment, with the call's deadline", async ({
    sim,
    client,
    time,
  }) => {
    const { guid, continuePath } = await pausedWeb(sim, client);
    const deadline = time.now() + 30_000;
    const asked: Array<number | undefined> = [];
    const outcome = await client.continueDeployment(guid, {
      deadline,
      readDeployment: async (options) => {
        asked.push(options.deadline);
        const [listed] = await client.listDeployments({ guids: [guid] }, options);
        if (listed === undefined) throw new Error("not listed");
        return listed;
      },
    });
    expect(outcome).toMatchObject({ applied: true, deployment: { guid } });
    expect(outcome.deployment.status).toMatchObject({ reason: "DEPLOYING" });
    expect(asked).toEqual([deadline, deadline]);
    const list = `GET /v3/deployments?guids=${guid}&per_page=100&page=1 200`;
    expect(await requestLines(sim)).toEqual([list, `POST ${continuePath} 200`, list]);
  });

  it("does not re-send after a reset once the request was written: it watches the deployment, then says the outcome is unknown", async ({
    sim,
    time,
    makeClient,
  }) => {
    const client = makeClient({ lateDelivery: { windowMs: 10_000 } });
    const { guid, get, continuePath, continues } = await pausedWeb(sim, client);
    await sim.control.addFault({ method: "POST", path: continuePath, reset: "before" });
    const error = await rejectionOf(client.continueDeployment(guid));
    expect(isCloudFoundryError(error, "CF_OUTCOME_UNKNOWN")).toBe(true);
    expect(await requestLines(sim)).toEqual([
      `${get} 200`,
      `POST ${continuePath} 0`,
      `${get} 200`,
      `${get} 200`,
      `${get} 200`,
    ]);
    expect(time.sleeps).toEqual([5_000, 5_000]);
    expect(await continues()).toEqual([]);
  });

  it("does not re-send after a reset after handling, because the read-back shows it took effect", async ({
    sim,
    time,
    client,
  }) => {
    const { guid, get, continuePath, continues } = await pausedWeb(sim, client);
    await sim.control.addFault({ method: "POST", path: continuePath, reset: "after" });
    const outcome = await client.continueDeployment(guid);
    expect(outcome).toMatchObject({ applied: true, attempts: 1 });
    expect(outcome.deployment.status).toMatchObject({
      reason: "DEPLOYING",
      canary: { steps: { current: 2 } },
    });
    expect(await requestLines(sim)).toEqual([`${get} 200`, `POST ${continuePath} 0`, `${get} 200`]);
    expect(time.sleeps).toEqual([]);
    expect(await continues()).toEqual([guid]);
  });

  it("promotes a three-step canary with one continue per step despite resets after handling", async ({
    sim,
    client,
  }) => {
    const { guid, continuePath, continues } = await pausedWeb(sim, client);
    const steps: Array<[number | undefined, string, boolean]> = [];
    for (const reset of ["after", "after", "after"] as const) {
      await sim.control.addFault({ method: "POST", path: continuePath, reset });
      const outcome = await client.continueDeployment(guid);
      const { status } = outcome.deployment;
      steps.push([status.canary?.steps.current, status.reason, outcome.applied]);
      await sim.control.tick(10);
    }
    expect(steps).toEqual([
      [2, "DEPLOYING", true],
      [3, "DEPLOYING", true],
      [3, "DEPLOYING", true],
    ]);
    expect((await client.getDeployment(guid)).status).toMatchObject({
      value: "FINALIZED",
      reason: "DEPLOYED",
    });
    expect(await continues()).toEqual([guid, guid, guid]);
    const posts = (await sim.control.requests()).filter((r) => r.method === "POST");
    expect(posts.map((r) => r.status)).toEqual([0, 0, 0]);
  });

  it("reports a 422 on its re-send as someone else's continue, since the 503 before it was read back unchanged", async ({
    sim,
    time,
    client,
    makeClient,
  }) => {
    // The first POST gets CC's own 503 and the read-back shows no change: settled, so the client
    // sends it again. Meanwhile (during the backoff) another client continues the deployment;
    // the second POST then gets 422 "Cannot continue … DEPLOYING". Ours never took effect.
    const { guid, get, continuePath, continues } = await pausedWeb(sim, client);
    const lateArrival = makeClient();
    await lateArrival.getRoot();
    await sim.control.addFault({ method: "POST", path: continuePath, status: 503, body: CC_503 });
    time.duringSleep(async () => {
      await lateArrival.continueDeployment(guid);
    });
    const outcome = await client.continueDeployment(guid);
    expect(outcome).toMatchObject({ applied: false, attempts: 2 });
    expect(outcome.deployment.status.canary?.steps.current).toBe(2);
    const lines = await requestLines(sim);
    expect(lines.filter((line) => !line.includes("oauth") && line !== "GET / 200")).toEqual([
      `${get} 200`,
      `POST ${continuePath} 503`,
      `${get} 200`,
      // the late arrival: its own GET, the POST that lands, its read-back
      `${get} 200`,
      `POST ${continuePath} 200`,
      `${get} 200`,
      // our second POST and the read-back that resolves its 422
      `POST ${continuePath} 422`,
      `${get} 200`,
    ]);
    expect(time.sleeps).toEqual([750]);
    expect(await continues()).toEqual([guid]);
  });

  for (const { retryAfter, sleeps, name } of [
    { retryAfter: undefined, sleeps: [750], name: "after the backoff" },
    { retryAfter: "7", sleeps: [7_000], name: "after its Retry-After" },
  ]) {
    it(`re-sends ${name} a 503 that the read-back shows had no effect`, async ({
      sim,
      time,
      client,
    }) => {
      const { guid, get, continuePath, continues } = await pausedWeb(sim, client);
      await sim.control.addFault({
        method: "POST",
        path: continuePath,
        status: 503,
        ...(retryAfter === undefined ? {} : { headers: { "Retry-After": retryAfter } }),
        body: {
          errors: [
            { code: 10015, title: "CF-ServiceUnavailable", detail: "Database connection failure" },
          ],
        },
      });
      const outcome = await client.continueDeployment(guid);
      expect(outcome).toMatchObject({ applied: true, attempts: 2 });
      expect(await requestLines(sim)).toEqual([
        `${get} 200`,
        `POST ${continuePath} 503`,
        `${get} 200`,
        `POST ${continuePath} 200`,
        `${get} 200`,
      ]);
      expect(time.sleeps).toEqual(sleeps);
      expect(await continues()).toEqual([guid]);
    });
  }

  it("says a 503 that kept coming did not take effect, as the read-backs showed", async ({
    sim,
    makeClient,
  }) => {
    const client = makeClient({
      retry: { maxAttempts: 2 },
    });
    const { guid, continuePath, continues } = await pausedWeb(sim, client);
    const body = {
      errors: [
        { code: 10015, title: "CF-ServiceUnavailable", detail: "Database connection failure" },
      ],
    };
    await sim.control.addFault({ method: "POST", path: continuePath, status: 503, body, times: 2 });
    const error = await rejectionOf(client.continueDeployment(guid));
    expect(error.message).toBe(
      `POST ${continuePath} → 503 CF-ServiceUnavailable (10015): Database connection failure; the deployment was read back unchanged, so it did not take effect.`,
    );
    expect(await continues()).toEqual([]);
  });

  it("waits out a 429 and re-sends without reading back, since the rate limiter refused it before it ran", async ({
    sim,
    time,
    client,
  }) => {
    const { guid, get, continuePath } = await pausedWeb(sim, client);
    await sim.control.addFault(rateLimitedFault("POST", continuePath, 3));
    const outcome = await client.continueDeployment(guid);
    expect(outcome).toMatchObject({ applied: true, attempts: 2 });
    expect(await requestLines(sim)).toEqual([
      `${get} 200`,
      `POST ${continuePath} 429`,
      `POST ${continuePath} 200`,
      `${get} 200`,
    ]);
    expect(time.sleeps).toEqual([3_000]);
  });

  it("gives up on a reset request after the late-delivery window, saying it was not sent again", async ({
    sim,
    time,
    makeClient,
  }) => {
    const client = makeClient({
      retry: { maxAttempts: 3, baseDelayMs: 1_000 },
      lateDelivery: { windowMs: 3_000, pollIntervalMs: 2_000 },
    });
    const { guid, continuePath, continues } = await pausedWeb(sim, client);
    await sim.control.addFault({ method: "POST", path: continuePath, reset: "before", times: 3 });
    const error = await rejectionOf(client.continueDeployment(guid));
    expect(isCloudFoundryError(error, "CF_OUTCOME_UNKNOWN")).toBe(true);
    expect(error.message).toMatch(
      new RegExp(
        `^POST ${continuePath}: outcome unknown after .+, and not sent again, since it may still arrive; the deployment did not move in the 3 s it was watched; the next run decides from what the deployment then shows \\(check it with \`cf app\`\\); do not send the continue by hand before looking\\.$`,
      ),
    );
    expect(error).toMatchObject({
      action: "continue",
      resent: false,
      watchedMs: 3_000,
      attempts: 1,
    });
    expect(time.sleeps).toEqual([2_000, 1_000]);
    expect((await sim.control.requests()).map((r) => `${r.method} ${r.status}`)).toEqual([
      "GET 200",
      "POST 0",
      "GET 200",
      "GET 200",
      "GET 200",
    ]);
    expect(await continues()).toEqual([]);
  });

  it("stops at the deadline with CF_OUTCOME_UNKNOWN carrying the deployment as last read", async ({
    sim,
    time,
    client,
  }) => {
    const { guid, continuePath, continues } = await pausedWeb(sim, client);
    await sim.control.addFault({ method: "POST", path: continuePath, reset: "before", times: 5 });
    const deadline = time.now() + 2_000;
    const error = await rejectionOf(
      client.continueDeployment(guid, { deadline, lateDelivery: { pollIntervalMs: 500 } }),
    );
    expect(isCloudFoundryError(error, "CF_OUTCOME_UNKNOWN")).toBe(true);
    expect(error.message).toMatch(
      new RegExp(`^POST ${continuePath}: outcome unknown after .+ the 2 s it was watched;`),
    );
    expect(
      (error as unknown as { lastSeen: { guid: string; status: unknown } }).lastSeen,
    ).toMatchObject({
      guid,
      status: { reason: "PAUSED", canary: { steps: { current: 1 } } },
    });
    expect(time.sleeps).toEqual([500, 500, 500]);
    expect(await continues()).toEqual([]);
  });

  it("rejects with the signal's reason when aborted while waiting to re-send", async ({
    sim,
    time,
    client,
  }) => {
    const { guid, continuePath, continues } = await pausedWeb(sim, client);
    await sim.control.addFault({ method: "POST", path: continuePath, reset: "before" });
    const controller = new AbortController();
    time.duringSleep(async () => controller.abort(new Error("interrupted")));
    const error = await rejectionOf(client.continueDeployment(guid, { signal: controller.signal }));
    expect(error.message).toBe("interrupted");
    expect(await continues()).toEqual([]);
  });

  it("fails with the Cloud Controller's 422 when the deployment is not paused and nothing moved", async ({
    sim,
    client,
  }) => {
    const { guid, get, continuePath } = await pausedWeb(sim, client);
    await client.continueDeployment(guid);
    await sim.control.clearRequests();
    const error = await rejectionOf(client.continueDeployment(guid));
    expect(isCloudFoundryError(error, "CF_API_ERROR")).toBe(true);
    expect(error.message).toBe(
      `POST ${continuePath} → 422 CF-UnprocessableEntity (10008): Cannot continue a deployment with status: ACTIVE and reason: DEPLOYING`,
    );
    expect(error).toMatchObject({
      status: 422,
      cfCode: 10008,
      title: "CF-UnprocessableEntity",
      detail: "Cannot continue a deployment with status: ACTIVE and reason: DEPLOYING",
      method: "POST",
      path: continuePath,
      requestId: expect.any(String),
    });
    expect(await requestLines(sim)).toEqual([
      `${get} 200`,
      `POST ${continuePath} 422`,
      `${get} 200`,
    ]);
  });

  it("reports applied: false when someone else continued since the expected deployment was read", async ({
    sim,
    client,
    makeClient,
  }) => {
    const { guid } = await pausedWeb(sim, client);
    const expected = await client.getDeployment(guid);
    await makeClient().continueDeployment(guid);
    const outcome = await client.continueDeployment(guid, { expected });
    expect(outcome).toMatchObject({ applied: false, attempts: 1 });
    expect(outcome.deployment.status.canary?.steps.current).toBe(2);
  });

  it("accepts a 200 with a Deployment body, as the published API description claims", async ({
    sim,
    client,
  }) => {
    const { guid, get, continuePath } = await pausedWeb(sim, client);
    const body = { ...(await client.getDeployment(guid)), updated_at: "2030-01-01T00:00:00Z" };
    await sim.control.clearRequests();
    await sim.control.addFault({ method: "POST", path: continuePath, status: 200, body });
    const outcome = await client.continueDeployment(guid);
    expect(outcome).toMatchObject({ applied: true, attempts: 1 });
    expect(outcome.deployment.updated_at).toBe("2030-01-01T00:00:00Z");
    expect(await requestLines(sim)).toEqual([`${get} 200`, `POST ${continuePath} 200`]);
  });

  it("says the outcome is unknown when the read-back after a reset fails too", async ({
    sim,
    makeClient,
  }) => {
    const client = makeClient({
      retry: { maxAttempts: 2 },
    });
    const { guid, continuePath, continues } = await pausedWeb(sim, client);
    const expected = await client.getDeployment(guid);
    await sim.control.addFault({ method: "POST", path: continuePath, reset: "after" });
    await sim.control.addFault({
      method: "GET",
      path: `/v3/deployments/${guid}`,
      status: 503,
      times: 2,
    });
    const error = await rejectionOf(client.continueDeployment(guid, { expected }));
    expect(isCloudFoundryError(error, "CF_OUTCOME_UNKNOWN")).toBe(true);
    expect(error).toMatchObject({ action: "continue", resent: false, watchedMs: 0, attempts: 1 });
    expect(error.message).toMatch(
      new RegExp(
        `^POST ${continuePath}: outcome unknown after .+, but reading the deployment back failed \\(GET /v3/deployments/${guid} → 503 Service Unavailable with an empty body\\); check the deployment \\(e\\.g\\. \`cf app\`\\) before trying again\\.$`,
      ),
    );
    expect(await continues()).toEqual([guid]);
  });
});

describe("cancelDeployment", () => {
  it("cancels once even when the connection is reset after handling", async ({ sim, client }) => {
    const { guid, get, cancelPath } = await pausedWeb(sim, client);
    await sim.control.addFault({ method: "POST", path: cancelPath, reset: "after" });
    const outcome = await client.cancelDeployment(guid);
    expect(outcome).toMatchObject({ applied: true, attempts: 1 });
    expect(outcome.deployment.status).toMatchObject({ value: "ACTIVE", reason: "CANCELING" });
    expect(await requestLines(sim)).toEqual([`${get} 200`, `POST ${cancelPath} 0`, `${get} 200`]);
    expect(await sim.control.auditEvents({ types: [CANCEL] })).toHaveLength(1);
  });

  it("sends nothing for a deployment that is already canceling", async ({ sim, client }) => {
    const { guid, get } = await pausedWeb(sim, client);
    await client.cancelDeployment(guid);
    await sim.control.clearRequests();
    const outcome = await client.cancelDeployment(guid);
    expect(outcome).toMatchObject({ applied: false, attempts: 0 });
    expect(await requestLines(sim)).toEqual([`${get} 200`]);
    expect(await sim.control.auditEvents({ types: [CANCEL] })).toHaveLength(1);
  });

  it("fails with the 422 for a finalized deployment", async ({ sim, client }) => {
    const { guid, cancelPath } = await pausedWeb(sim, client);
    for (let step = 0; step < 3; step++) {
      await client.continueDeployment(guid);
      await sim.control.tick(10);
    }
    const error = await rejectionOf(client.cancelDeployment(guid));
    expect(error.message).toBe(
      `POST ${cancelPath} → 422 CF-UnprocessableEntity (10008): Cannot cancel a deployment with status: FINALIZED and reason: DEPLOYED`,
    );
  });
});

/**
 * A proxy in front of the simulator that lets the first `POST <path>` reach the Cloud
 * Controller and then answers it with an HTML 502, or not at all: the two ways an action can
 * take effect while the client sees a failure, which the simulator's faults (all applied before
 * handling, or a reset after it) cannot express.
 */
async function proxyLosingFirstAnswer(
  tinyServer: (handler: TinyHandler) => Promise<TinyServer>,
  simUrl: string,
  path: string,
  how: "html502" | "noAnswer",
): Promise<string> {
  let lost = false;
  const server = await tinyServer((req, res, body) => {
    void (async () => {
      const headers: Record<string, string> = {};
      if (req.headers.authorization !== undefined)
        headers["authorization"] = req.headers.authorization;
      if (req.headers["content-type"] !== undefined)
        headers["content-type"] = req.headers["content-type"];
      const upstream = await fetch(`${simUrl}${req.url ?? "/"}`, {
        method: req.method ?? "GET",
        headers,
        ...(req.method === "POST" ? { body } : {}),
      });
      const text = await upstream.text();
      if (!lost && req.method === "POST" && req.url === path) {
        lost = true;
        if (how === "noAnswer") return;
        res.writeHead(502, { "content-type": "text/html" });
        res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
        return;
      }
      res.writeHead(upstream.status, {
        "content-type": upstream.headers.get("content-type") ?? "application/json",
      });
      res.end(text);
    })();
  });
  return server.url;
}

describe("continueDeployment when the answer is lost after the Cloud Controller handled it", () => {
  for (const how of ["html502", "noAnswer"] as const) {
    it(`reads back and does not re-send after ${how === "html502" ? "a proxy's HTML 502" : "a per-attempt timeout"}`, async ({
      sim,
      time,
      client,
      makeClient,
      tinyServer,
    }) => {
      const { guid, get, continuePath, continues } = await pausedWeb(sim, client);
      const apiUrl = await proxyLosingFirstAnswer(tinyServer, sim.url, continuePath, how);
      const viaProxy = makeClient({ apiUrl, requestTimeoutMs: 300 });
      await viaProxy.getRoot();
      const expected = await viaProxy.getDeployment(guid);
      await sim.control.clearRequests();
      const outcome = await viaProxy.continueDeployment(guid, { expected });
      expect(outcome).toMatchObject({ applied: true, attempts: 1 });
      expect(outcome.deployment.status).toMatchObject({
        reason: "DEPLOYING",
        canary: { steps: { current: 2 } },
      });
      // The simulator answered the POST; the client never saw that answer.
      expect(await requestLines(sim)).toEqual([`POST ${continuePath} 200`, `${get} 200`]);
      expect(time.sleeps).toEqual([]);
      expect(await continues()).toEqual([guid]);
    });
  }
});
