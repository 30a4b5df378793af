import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect } from "vitest";
import { createCloudFoundryClient, isCloudFoundryError } from "../../src/client/index.js";
import type { FaultRule } from "../../src/simulator/index.js";
import { it, loggedIn, passwordOf, test } from "../support/client-fixture.js";
import {
  cfError,
  passwordGrant,
  rateLimitedFault,
  rejectionOf,
  requestLines,
} from "../support/index.js";

describe("retries of idempotent requests", () => {
  it.for<[string, (path: string, now: number) => FaultRule[], number[], number[]]>([
    [
      "retries 503 with capped exponential backoff and jitter, then succeeds",
      (path) => [{ method: "GET", path, status: 503, times: 2 }],
      [503, 503, 200],
      [750, 1_500],
    ],
    [
      "retries 502 and 504 from a proxy, HTML pages included",
      (path) => [
        { method: "GET", path, status: 502, body: "<html><body>Bad Gateway</body></html>" },
        { method: "GET", path, status: 504 },
      ],
      [502, 504, 200],
      [750, 1_500],
    ],
    [
      "waits exactly Retry-After on a 429",
      (path) => [rateLimitedFault("GET", path, 7)],
      [429, 200],
      [7_000],
    ],
    [
      "waits until a Retry-After given as an HTTP-date, on the injected clock",
      (path, now) => [
        {
          method: "GET",
          path,
          status: 503,
          headers: { "Retry-After": new Date(now + 9_000).toUTCString() },
        },
      ],
      [503, 200],
      [9_000],
    ],
    [
      "waits until X-RateLimit-Reset when a 429 has no Retry-After",
      (path, now) => [
        {
          method: "GET",
          path,
          status: 429,
          headers: { "X-RateLimit-Reset": String(now / 1000 + 12) },
        },
      ],
      [429, 200],
      [12_000],
    ],
  ])("%s", async ([, faults, statuses, sleeps], { sim, time, client }) => {
    const { guid, path, get } = await loggedIn(sim, client);
    for (const fault of faults(path, time.now())) await sim.control.addFault(fault);
    expect((await client.getDeployment(guid)).guid).toBe(guid);
    expect(await requestLines(sim)).toEqual(statuses.map((status) => `${get} ${status}`));
    expect(time.sleeps).toEqual(sleeps);
  });

  describe("behind the Cloud Controller's rate limiter", () => {
    test.override({ simOptions: { rateLimit: { limit: 3, windowSeconds: 30 } } });

    it("rides out the Cloud Controller rate limiter: waits exactly until its window resets", async ({
      sim,
      time,
      client,
    }) => {
      const { guid, path, get } = await loggedIn(sim, client);
      // Read the window's reset time as the same user (this counts as the window's second request).
      const { access_token: token } = await passwordGrant(sim, "developer");
      const probe = await fetch(`${sim.url}${path}`, {
        headers: { authorization: `bearer ${token}` },
      });
      const reset = Number(probe.headers.get("x-ratelimit-reset"));
      await sim.control.clearRequests();
      const startedAt = time.now();
      await client.getDeployment(guid);
      await client.getDeployment(guid);
      expect(await requestLines(sim)).toEqual([`${get} 200`, `${get} 429`, `${get} 200`]);
      expect(time.sleeps).toEqual([reset * 1000 - startedAt]);
    });
  });

  it("fails at once, naming the wait, when Retry-After is longer than maxRetryAfterMs", async ({
    sim,
    time,
    makeClient,
  }) => {
    const client = makeClient({
      retry: { maxRetryAfterMs: 60_000 },
    });
    const { guid, path, get } = await loggedIn(sim, client);
    await sim.control.addFault(rateLimitedFault("GET", path, 3600));
    const error = await rejectionOf(client.getDeployment(guid));
    expect(error.message).toBe(
      `GET ${path} → 429 CF-RateLimitExceeded (10013): Rate Limit Exceeded; retry after 3600 s`,
    );
    expect(error).toMatchObject({ code: "CF_API_ERROR", status: 429, cfCode: 10013 });
    expect(await requestLines(sim)).toEqual([`${get} 429`]);
    expect(time.sleeps).toEqual([]);
  });

  it("waits out a rate limit longer than maxRetryAfterMs that resets before the call's deadline, and says so", async ({
    sim,
    client,
    log,
    time,
  }) => {
    const { guid, path, get } = await loggedIn(sim, client);
    await sim.control.addFault(rateLimitedFault("GET", path, 1277));
    const deployment = await client.getDeployment(guid, { deadline: time.now() + 1_300_000 });
    expect(deployment.guid).toBe(guid);
    // The 20-minute token expired meanwhile: a fresh one before the retry.
    expect(await requestLines(sim)).toEqual([
      `${get} 429`,
      "POST /uaa/oauth/token 200",
      `${get} 200`,
    ]);
    expect(time.sleeps).toEqual([1_277_000]);
    expect(log.warnings).toEqual([
      `GET ${path} → 429 CF-RateLimitExceeded (10013): Rate Limit Exceeded; waiting 1277 s, as the Cloud Controller asks, before sending it again (within this operation's deadline).`,
    ]);
  });

  it("retries a GET whose connection was reset", async ({ sim, time, client }) => {
    const { guid, path, get } = await loggedIn(sim, client);
    await sim.control.addFault({ method: "GET", path, reset: "before" });
    await client.getDeployment(guid);
    expect(await requestLines(sim)).toEqual([`${get} 0`, `${get} 200`]);
    expect(time.sleeps).toEqual([750]);
  });

  it("does not retry 404 or 500", async ({ sim, time, client }) => {
    const { path, get } = await loggedIn(sim, client);
    const missing = await rejectionOf(client.getDeployment("no-such-guid"));
    expect(missing.message).toBe(
      "GET /v3/deployments/no-such-guid → 404 CF-ResourceNotFound (10010): Deployment not found",
    );
    await sim.control.addFault({
      method: "GET",
      path,
      status: 500,
      body: cfError(10001, "UnknownError", "An unknown error occurred."),
    });
    const unknown = await rejectionOf(client.getDeployment(path.split("/")[3] ?? ""));
    expect(unknown.message).toBe(
      `GET ${path} → 500 UnknownError (10001): An unknown error occurred.`,
    );
    expect(await requestLines(sim)).toEqual(["GET /v3/deployments/no-such-guid 404", `${get} 500`]);
    expect(time.sleeps).toEqual([]);
  });

  it("gives up after maxAttempts with the last error", async ({ sim, time, makeClient }) => {
    const client = makeClient({ retry: { maxAttempts: 3 } });
    const { guid, path } = await loggedIn(sim, client);
    await sim.control.addFault({ method: "GET", path, status: 503, times: 3 });
    const error = await rejectionOf(client.getDeployment(guid));
    expect(error.message).toBe(`GET ${path} → 503 Service Unavailable with an empty body.`);
    expect(time.sleeps).toEqual([750, 1_500]);
  });

  it("stops with CF_TIMEOUT when the next wait would pass the deadline", async ({
    sim,
    time,
    client,
  }) => {
    const { guid, path, get } = await loggedIn(sim, client);
    await sim.control.addFault({ method: "GET", path, status: 503, times: 5 });
    const deadline = time.now() + 2_000;
    const error = await rejectionOf(client.getDeployment(guid, { deadline }));
    expect(isCloudFoundryError(error, "CF_TIMEOUT")).toBe(true);
    expect(error.message).toBe(
      `GET ${path} did not succeed before the deadline (2 attempts, last: 503 Service Unavailable); allow more time or try again later.`,
    );
    expect(await requestLines(sim)).toEqual([`${get} 503`, `${get} 503`]);
    expect(time.sleeps).toEqual([750]);
  });

  it("sends nothing when the deadline has already passed", async ({ sim, time, client }) => {
    const { guid, path } = await loggedIn(sim, client);
    const error = await rejectionOf(client.getDeployment(guid, { deadline: time.now() - 1 }));
    expect(error.message).toBe(
      `GET ${path} was not sent because the deadline had passed; allow more time.`,
    );
    expect(await requestLines(sim)).toEqual([]);
  });

  it("rejects with the signal's reason when aborted before or between attempts", async ({
    sim,
    time,
    client,
  }) => {
    const { guid, path, get } = await loggedIn(sim, client);
    const before = new AbortController();
    before.abort(new Error("stop now"));
    expect((await rejectionOf(client.getDeployment(guid, { signal: before.signal }))).message).toBe(
      "stop now",
    );
    expect(await requestLines(sim)).toEqual([]);

    const between = new AbortController();
    await sim.control.addFault({ method: "GET", path, status: 503, times: 5 });
    time.duringSleep(async () => between.abort(new Error("user pressed ^C")));
    expect(
      (await rejectionOf(client.getDeployment(guid, { signal: between.signal }))).message,
    ).toBe("user pressed ^C");
    expect(await requestLines(sim)).toEqual([`${get} 503`]);
  });

  it("times out an attempt whose response headers do not arrive within requestTimeoutMs", async ({
    sim,
    makeClient,
  }) => {
    // undici's parser timers have about one second of resolution, so this takes about a second.
    const client = makeClient({ requestTimeoutMs: 200, retry: { maxAttempts: 1 } });
    const { guid, path } = await loggedIn(sim, client);
    await sim.control.addFault({ method: "GET", path, delayMs: 3_000 });
    const error = await rejectionOf(client.getDeployment(guid));
    expect(isCloudFoundryError(error, "CF_TIMEOUT")).toBe(true);
    expect(error.message).toMatch(
      new RegExp(
        `^GET ${path} timed out: .*\\(UND_ERR_HEADERS_TIMEOUT\\) \\(1 attempt\\); check that ${sim.url} is reachable, or raise requestTimeoutMs\\.$`,
      ),
    );
  });

  it("retries a refused connection and then reports a network error", async ({
    time,
    onTestFinished,
  }) => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = createCloudFoundryClient({
      apiUrl: `http://127.0.0.1:${port}`,
      credentials: { kind: "accessToken", accessToken: "opaque-token-value" },
      now: time.now,
      sleep: time.sleep,
      random: () => 0.5,
      retry: { baseDelayMs: 1_000, maxDelayMs: 4_000 },
    });
    onTestFinished(() => client.close());
    const error = await rejectionOf(client.getDeployment("d1"));
    expect(isCloudFoundryError(error, "CF_NETWORK_ERROR")).toBe(true);
    expect(error).toMatchObject({ networkCode: "ECONNREFUSED", attempts: 5 });
    expect(error.message).toMatch(
      new RegExp(
        `^GET /v3/deployments/d1 failed: .*ECONNREFUSED.* \\(5 attempts\\); check that http://127.0.0.1:${port} is reachable\\.$`,
      ),
    );
    expect(time.sleeps).toEqual([750, 1_500, 3_000, 3_000]);
  });

  it("aborts its own default sleep with the signal's reason", async ({
    sim,
    client,
    onTestFinished,
  }) => {
    const { guid, path } = await loggedIn(sim, client);
    // The real clock and sleep: the first backoff (about 375 ms) is cut short after 50 ms.
    const onRealTime = createCloudFoundryClient({
      apiUrl: sim.url,
      credentials: passwordOf(sim),
    });
    onTestFinished(() => onRealTime.close());
    await sim.control.addFault({ method: "GET", path, status: 503, times: 5 });
    const controller = new AbortController();
    const pending = rejectionOf(onRealTime.getDeployment(guid, { signal: controller.signal }));
    setTimeout(() => controller.abort(new Error("stopped while waiting")), 50);
    expect((await pending).message).toBe("stopped while waiting");
  });
});
