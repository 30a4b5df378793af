import { describe, expect } from "vitest";
import { asUser, cfError, it, send, tokenFor } from "../support/index.js";

const T0 = Date.parse("2026-06-01T12:00:00Z");

describe("rate limiter", () => {
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
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual(cfError(10013, "CF-RateLimitExceeded", "Rate Limit Exceeded"));
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

  it("rejects before authentication and authorization (reference §3.1 row 1)", async ({
    startSim,
  }) => {
    const sim = await startSim({ now: () => T0, rateLimit: { limit: 1, windowSeconds: 60 } });
    const api = await asUser(sim, "outsider");
    await api("GET", "/v3/info");
    const answer = await api("POST", "/v3/deployments/nope/actions/continue");
    expect(answer.status).toBe(429);
    expect(answer.body).toEqual(cfError(10013, "CF-RateLimitExceeded", "Rate Limit Exceeded"));
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
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual(
      cfError(
        10014,
        "CF-IPBasedRateLimitExceeded",
        "Rate Limit Exceeded: Unauthenticated requests from this IP address have exceeded the limit. Please log in.",
      ),
    );
    const invalid = await send(`${sim.url}/v3/info`, { headers: { authorization: "bearer nope" } });
    expect(invalid.status).toBe(401);
    expect(invalid.body).toEqual(cfError(1000, "CF-InvalidAuthToken", "Invalid Auth Token"));
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
