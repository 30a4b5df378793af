import { describe, expect, it } from "vitest";
import { retryAfterMs } from "../../src/client/retry-after.js";

const now = Date.parse("2026-01-01T00:00:00Z");

describe("retryAfterMs", () => {
  it("reads Retry-After in seconds on a 429", () => {
    expect(retryAfterMs(429, { "retry-after": "7" }, now)).toBe(7_000);
  });

  it("reads Retry-After as an HTTP-date on a 503", () => {
    expect(retryAfterMs(503, { "retry-after": "Thu, 01 Jan 2026 00:00:12 GMT" }, now)).toBe(12_000);
  });

  it("falls back to X-RateLimit-Reset (epoch seconds) on a 429 without Retry-After", () => {
    const reset = String(now / 1000 + 42);
    expect(retryAfterMs(429, { "x-ratelimit-reset": reset }, now)).toBe(42_000);
  });

  it("prefers Retry-After over X-RateLimit-Reset", () => {
    const headers = { "retry-after": "3", "x-ratelimit-reset": String(now / 1000 + 42) };
    expect(retryAfterMs(429, headers, now)).toBe(3_000);
  });

  it("treats a reset time in the past as no wait", () => {
    expect(retryAfterMs(429, { "x-ratelimit-reset": String(now / 1000 - 5) }, now)).toBe(0);
  });

  it("ignores X-RateLimit-Reset on responses that were not rate-limited", () => {
    const reset = String(now / 1000 + 42);
    expect(retryAfterMs(200, { "x-ratelimit-reset": reset }, now)).toBeUndefined();
    expect(retryAfterMs(503, { "x-ratelimit-reset": reset }, now)).toBeUndefined();
  });

  it("ignores values it cannot read", () => {
    expect(retryAfterMs(429, { "retry-after": "soon" }, now)).toBeUndefined();
    expect(retryAfterMs(429, { "retry-after": "-3" }, now)).toBeUndefined();
    expect(retryAfterMs(429, {}, now)).toBeUndefined();
  });
});
