/**
 * The optional rate limiter: headers, the 429, exemptions (CC `middleware/rate_limiter.rb`).
 */
import { describe, expect } from "vitest";
import {
  type Answer,
  asUser,
  call,
  expectCfError,
  invalidAuthToken,
  it,
  send,
  tokenFor,
  webDeployment,
} from "../support/index.js";

const T0 = Date.parse("2026-06-01T12:00:00Z");

describe("rate limiter on the simulator clock", () => {
  it("counts a user's requests with the coarse Remaining estimate and answers 429 over the limit", async ({
    startSim,
  }) => {
    let now = T0;
    const sim = await startSim({ now: () => now, rateLimit: { limit: 10, windowSeconds: 60 } });
    const api = await asUser(sim, "developer");
    const remaining: string[] = [];
    let reset = "";
    for (let i = 0; i < 10; i += 1) {
      const answer = await api("GET", "/v3/deployments");
      expect(answer.status).toBe(200);
      expect(answer.headers.get("x-ratelimit-limit")).toBe("10");
      remaining.push(answer.headers.get("x-ratelimit-remaining") ?? "");
      reset = answer.headers.get("x-ratelimit-reset") ?? "";
    }
    expect(remaining).toEqual(["9", "8", "7", "6", "5", "4", "3", "2", "1", "0"]);
    const resetAt = Number(reset);
    expect(resetAt).toBeGreaterThan(T0 / 1000);
    expect(resetAt).toBeLessThanOrEqual(T0 / 1000 + 60);

    now += 5_000;
    const limited = await api("GET", "/v3/deployments");
    expectCfError(limited, 429, 10013, "CF-RateLimitExceeded", "Rate Limit Exceeded");
    expect(limited.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(limited.headers.get("x-ratelimit-limit")).toBe("10");
    expect(limited.headers.get("x-ratelimit-reset")).toBe(reset);
    expect(limited.headers.get("retry-after")).toBe(String(resetAt - (T0 + 5_000) / 1000));
    expect(limited.headers.get("x-vcap-request-id")).toBeTruthy();

    now = resetAt * 1000;
    const fresh = await api("GET", "/v3/deployments");
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("x-ratelimit-remaining")).toBe("9");
  });

  it("rejects before authentication and authorization (the rate limiter is the outermost middleware)", async ({
    startSim,
  }) => {
    const sim = await startSim({ now: () => T0, rateLimit: { limit: 1, windowSeconds: 60 } });
    const api = await asUser(sim, "outsider");
    await api("GET", "/v3/info");
    const answer = await api("POST", "/v3/deployments/nope/actions/continue");
    expectCfError(answer, 429, 10013, "CF-RateLimitExceeded", "Rate Limit Exceeded");
    expect((await sim.control.requests()).at(-1)?.status).toBe(429);
  });

  it("limits unauthenticated callers by IP with 10014, and an invalid token with 401", async ({
    startSim,
  }) => {
    const sim = await startSim({
      now: () => T0,
      rateLimit: { limit: 5, windowSeconds: 60, unauthenticatedLimit: 2 },
    });
    expect((await send(`${sim.url}/v3/info`)).headers.get("x-ratelimit-limit")).toBe("2");
    await send(`${sim.url}/v3/info`);
    const limited = await send(`${sim.url}/v3/info`);
    expectCfError(
      limited,
      429,
      10014,
      "CF-IPBasedRateLimitExceeded",
      "Rate Limit Exceeded: Unauthenticated requests from this IP address have exceeded the limit. Please log in.",
    );
    const invalid = await send(`${sim.url}/v3/info`, { headers: { authorization: "bearer nope" } });
    expectCfError(invalid, invalidAuthToken);
    // Authenticated users have their own counter.
    const api = await asUser(sim, "developer");
    expect((await api("GET", "/v3/info")).status).toBe(200);
  });

  it("exempts /, /v3, admins, Basic auth, UAA and /_sim/ and sends them no rate-limit headers", async ({
    startSim,
  }) => {
    const sim = await startSim({ now: () => T0, rateLimit: { limit: 1, windowSeconds: 60 } });
    const admin = await asUser(sim, "admin");
    const answers = [
      await send(`${sim.url}/`),
      await send(`${sim.url}/`),
      await send(`${sim.url}/v3`),
      await send(`${sim.url}/v3`),
      await admin("GET", "/v3/deployments"),
      await admin("GET", "/v3/deployments"),
      await send(`${sim.url}/v3/info`, { headers: { authorization: "Basic Y2Y6" } }),
      await send(`${sim.url}/v3/info`, { headers: { authorization: "Basic Y2Y6" } }),
    ];
    await tokenFor(sim, "developer");
    await tokenFor(sim, "developer");
    await sim.control.tick();
    expect(answers.map((a) => [a.status, a.headers.get("x-ratelimit-limit")])).toEqual(
      answers.map(() => [200, null]),
    );
    // /v3/info is not exempt, and /v3?x is not exactly /v3.
    expect((await send(`${sim.url}/v3/info`)).headers.get("x-ratelimit-limit")).toBe("1");
    expect((await send(`${sim.url}/v3?x=1`)).status).toBe(429);
  });
});

const LIMIT = 100;

async function hammer(n: number, request: () => Promise<Answer>): Promise<Answer[]> {
  const results: Answer[] = [];
  for (let i = 0; i < n; i++) results.push(await request());
  return results;
}

describe("rate limiter", () => {
  it("sends no rate-limit headers when the limiter is off", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/deployments", {
      token: await tokenFor(sim, "developer"),
    });
    expect(result.headers.get("x-ratelimit-limit")).toBeNull();
  });

  it("counts a user's requests with coarse X-RateLimit-Remaining steps of 10 %", async ({
    startSim,
    time,
  }) => {
    const sim = await startSim({ rateLimit: { limit: LIMIT, windowSeconds: 60 } });
    const token = await tokenFor(sim, "developer");
    const now = Math.floor(time.now() / 1000);
    const results = await hammer(11, () => call(sim, "GET", "/v3/deployments", { token }));
    const first = results[0];
    expect(first?.headers.get("x-ratelimit-limit")).toBe(String(LIMIT));
    expect(first?.headers.get("x-ratelimit-remaining")).toBe("90");
    expect(results[10]?.headers.get("x-ratelimit-remaining")).toBe("80");
    const reset = Number(first?.headers.get("x-ratelimit-reset"));
    expect(reset).toBeGreaterThanOrEqual(now);
    expect(reset).toBeLessThanOrEqual(now + 61);
  });

  it("answers request limit+1 with 429 CF-RateLimitExceeded, Retry-After and text/plain", async ({
    startSim,
    time,
  }) => {
    const sim = await startSim({ rateLimit: { limit: LIMIT, windowSeconds: 60 } });
    const token = await tokenFor(sim, "developer");
    const results = await hammer(LIMIT + 1, () => call(sim, "GET", "/v3/deployments", { token }));
    expect(results[LIMIT - 1]?.status).toBe(200);
    expect(results[LIMIT - 1]?.headers.get("x-ratelimit-remaining")).toBe("0");
    const over = results[LIMIT];
    if (over === undefined) throw new Error("missing response");
    expect(over.status).toBe(429);
    expect(over.text).toBe(
      '{"errors":[{"detail":"Rate Limit Exceeded","title":"CF-RateLimitExceeded","code":10013}]}',
    );
    expect(over.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(over.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(over.headers.get("x-ratelimit-limit")).toBe(String(LIMIT));
    const retryAfter = Number(over.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(Number(over.headers.get("x-ratelimit-reset"))).toBeGreaterThanOrEqual(
      Math.floor(time.now() / 1000),
    );
  });

  it("rejects before the app runs: a limited continue changes nothing", async ({ startSim }) => {
    const sim = await startSim({ rateLimit: { limit: 3, windowSeconds: 60 } });
    await sim.control.tick();
    const token = await tokenFor(sim, "developer");
    await hammer(3, () => call(sim, "GET", "/v3/deployments", { token }));
    const limited = await call(
      sim,
      "POST",
      `/v3/deployments/${webDeployment(sim)}/actions/continue`,
      { token },
    );
    expect(limited.status).toBe(429);
    const admin = await call(sim, "GET", `/v3/deployments/${webDeployment(sim)}`, {
      token: await tokenFor(sim, "admin"),
    });
    expect((admin.json as { status: { reason: string } }).status.reason).toBe("PAUSED");
  });

  it("counts each user separately", async ({ startSim }) => {
    const sim = await startSim({ rateLimit: { limit: 3, windowSeconds: 60 } });
    const developer = await tokenFor(sim, "developer");
    const supporter = await tokenFor(sim, "supporter");
    const results = await hammer(4, () =>
      call(sim, "GET", "/v3/deployments", { token: developer }),
    );
    expect(results[3]?.status).toBe(429);
    expect((await call(sim, "GET", "/v3/deployments", { token: supporter })).status).toBe(200);
  });

  it("exempts admins, who get no rate-limit headers", async ({ startSim }) => {
    const sim = await startSim({ rateLimit: { limit: 3, windowSeconds: 60 } });
    const token = await tokenFor(sim, "admin");
    const results = await hammer(6, () => call(sim, "GET", "/v3/deployments", { token }));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(results[0]?.headers.get("x-ratelimit-limit")).toBeNull();
  });

  it("exempts / and /v3 without headers, but counts /v3/info", async ({ startSim }) => {
    const sim = await startSim({ rateLimit: { limit: 3, windowSeconds: 60 } });
    for (const path of ["/", "/v3"]) {
      const results = await hammer(5, () => call(sim, "GET", path));
      expect(
        results.map((r) => r.status),
        path,
      ).toEqual([200, 200, 200, 200, 200]);
      expect(results[0]?.headers.get("x-ratelimit-limit"), path).toBeNull();
    }
    const info = await call(sim, "GET", "/v3/info");
    expect(info.headers.get("x-ratelimit-limit")).not.toBeNull();
  });

  it("exempts requests with HTTP Basic auth (which then fail authentication)", async ({
    startSim,
  }) => {
    const sim = await startSim({ rateLimit: { limit: 3, windowSeconds: 60 } });
    const basic = `Basic ${Buffer.from("developer:x").toString("base64")}`;
    const results = await hammer(5, () =>
      call(sim, "GET", "/v3/deployments", { headers: { Authorization: basic } }),
    );
    expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(results[0]?.headers.get("x-ratelimit-limit")).toBeNull();
  });

  it("limits unauthenticated callers by IP with 429 CF-IPBasedRateLimitExceeded", async ({
    startSim,
  }) => {
    const sim = await startSim({ rateLimit: { limit: 3, windowSeconds: 60 } });
    let last: Answer | undefined;
    for (let i = 0; i < 300; i++) {
      last = await call(sim, "GET", "/v3/info");
      if (last.status === 429) break;
    }
    if (last === undefined) throw new Error("no response");
    expect(last.status).toBe(429);
    expect(JSON.parse(last.text)).toEqual({
      errors: [
        {
          detail:
            "Rate Limit Exceeded: Unauthenticated requests from this IP address have exceeded the limit. Please log in.",
          title: "CF-IPBasedRateLimitExceeded",
          code: 10014,
        },
      ],
    });
  });

  it("turns the IP-based 429 into 401 CF-InvalidAuthToken for an invalid token", async ({
    startSim,
  }) => {
    const sim = await startSim({ rateLimit: { limit: 3, windowSeconds: 60 } });
    let status = 0;
    for (let i = 0; i < 300 && status !== 429; i++) {
      status = (await call(sim, "GET", "/v3/info")).status;
    }
    expect(status).toBe(429);
    expectCfError(
      await call(sim, "GET", "/v3/deployments", { token: "garbage" }),
      invalidAuthToken,
    );
  });

  it("never limits the control API", async ({ startSim }) => {
    const sim = await startSim({ rateLimit: { limit: 3, windowSeconds: 60 } });
    for (let i = 0; i < 6; i++) await sim.control.tick();
    const response = await fetch(`${sim.url}/_sim/requests`);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-ratelimit-limit")).toBeNull();
    await response.text();
  });
});

describe("rate limiter: reset arithmetic", () => {
  it("sets Retry-After to the seconds left until X-RateLimit-Reset", async ({ startSim, time }) => {
    const sim = await startSim({ rateLimit: { limit: 2, windowSeconds: 120 } });
    const token = await tokenFor(sim, "developer");
    const results = await hammer(3, () => call(sim, "GET", "/v3/deployments", { token }));
    const over = results[2];
    expect(over?.status).toBe(429);
    const now = Math.floor(time.now() / 1000);
    const reset = Number(over?.headers.get("x-ratelimit-reset"));
    const retryAfter = Number(over?.headers.get("retry-after"));
    expect(Math.abs(reset - now - retryAfter)).toBeLessThanOrEqual(1);
    expect(reset).toBe(Number(results[0]?.headers.get("x-ratelimit-reset")));
  });
});
