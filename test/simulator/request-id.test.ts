/**
 * `X-VCAP-Request-ID` on every response (CC `middleware/vcap_request_context_setter.rb`).
 */
import { describe, expect } from "vitest";
import { call, it, send, tokenFor, UUID, webDeployment } from "../support/index.js";

describe("X-VCAP-Request-ID", () => {
  it("is a fresh uuid when the caller sends none", async ({ sim }) => {
    const first = await call(sim, "GET", "/v3/info");
    const second = await call(sim, "GET", "/v3/nothing");
    expect(first.headers.get("x-vcap-request-id")).toMatch(UUID);
    expect(second.headers.get("x-vcap-request-id")).toMatch(UUID);
    expect(second.headers.get("x-vcap-request-id")).not.toBe(
      first.headers.get("x-vcap-request-id"),
    );
  });

  it("echoes the caller's X-VCAP-Request-ID followed by ::<uuid>", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/deployments", {
      token: await tokenFor(sim, "admin"),
      headers: { "X-VCAP-Request-ID": "abc-123" },
    });
    const id = result.headers.get("x-vcap-request-id") ?? "";
    expect(id.startsWith("abc-123::")).toBe(true);
    expect(id.slice("abc-123::".length)).toMatch(UUID);
  });

  it("echoes the caller's X-Request-ID the same way", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/info", { headers: { "X-Request-ID": "req-42" } });
    expect(result.headers.get("x-vcap-request-id")).toMatch(
      /^req-42::[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it("is present on errors too: 401, 404 and 422", async ({ sim }) => {
    const headers = { "X-VCAP-Request-ID": "err-1" };
    const unauthenticated = await call(sim, "GET", "/v3/deployments", { headers });
    const token = await tokenFor(sim, "admin");
    const missing = await call(sim, "GET", "/v3/nope", { token, headers });
    const refused = await call(
      sim,
      "POST",
      `/v3/deployments/${webDeployment(sim)}/actions/continue`,
      {
        token,
        headers,
      },
    );
    for (const result of [unauthenticated, missing, refused]) {
      expect(result.status).toBeGreaterThanOrEqual(400);
      expect(result.headers.get("x-vcap-request-id")?.startsWith("err-1::")).toBe(true);
    }
  });

  it("is present on the empty 200 of continue", async ({ sim }) => {
    await sim.control.tick();
    const result = await call(
      sim,
      "POST",
      `/v3/deployments/${webDeployment(sim)}/actions/continue`,
      {
        token: await tokenFor(sim, "developer"),
      },
    );
    expect(result.status).toBe(200);
    expect(result.headers.get("x-vcap-request-id")).toMatch(UUID);
  });

  // CC vcap_request_context_setter.rb: `presence` skips an empty X-VCAP-Request-ID.
  it("falls back to X-Request-ID when X-VCAP-Request-ID is empty", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/info", {
      headers: { "X-VCAP-Request-ID": "", "X-Request-ID": "req-7" },
    });
    expect(result.headers.get("x-vcap-request-id")).toMatch(
      /^req-7::[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it("prefixes the caller's sanitized request id to X-VCAP-Request-ID", async ({ sim }) => {
    const answer = await send(`${sim.url}/v3/info`, {
      headers: { "x-vcap-request-id": "abc-123 <x>" },
    });
    expect(answer.headers.get("x-vcap-request-id")).toMatch(/^abc-123x::[0-9a-f-]{36}$/);
  });
});

describe("X-VCAP-Request-ID sanitizing", () => {
  // CC vcap_request_context_setter.rb: a present id is always followed by `::<uuid>`, even when
  // nothing of it survives the sanitizing.
  it("answers ::<uuid> to an id made only of characters it strips", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/info", { headers: { "X-VCAP-Request-ID": "!!!" } });
    expect(result.headers.get("x-vcap-request-id")).toMatch(
      /^::[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it("keeps word characters and dashes only, and at most 255 of them", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/info", {
      headers: { "X-VCAP-Request-ID": `a.b c/d-e_${"x".repeat(300)}` },
    });
    const id = result.headers.get("x-vcap-request-id") ?? "";
    const [kept = "", uuid = ""] = id.split("::");
    expect(kept).toBe(`abcd-e_${"x".repeat(248)}`);
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
