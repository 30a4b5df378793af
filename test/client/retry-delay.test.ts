import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableOutcome,
  retryDelay,
} from "../../src/client/retry-delay.js";

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };
const half = () => 0.5;

describe("retryDelay", () => {
  it("backs off exponentially with equal jitter and caps at maxDelayMs", () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, policy, half));
    expect(delays).toEqual([75, 150, 300, 600, 750, 750]);
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, () => 1)).toBe(100);
  });

  it("retries GETs on 429, 502, 503 and 504 but not on 500 or other statuses", () => {
    const statuses = [400, 401, 404, 422, 429, 500, 501, 502, 503, 504];
    const retried = statuses.filter((status) =>
      isRetryableOutcome({ kind: "response", status }, "idempotent"),
    );
    expect(retried).toEqual([429, 502, 503, 504]);
  });

  it("retries any 5xx and any network error once a POST was verified not to have taken effect", () => {
    expect(isRetryableOutcome({ kind: "response", status: 500 }, "verified")).toBe(true);
    expect(isRetryableOutcome({ kind: "response", status: 422 }, "verified")).toBe(false);
    expect(isRetryableOutcome({ kind: "network", networkCode: "EPROTO" }, "verified")).toBe(true);
  });

  it("retries resets, refusals and per-attempt timeouts but not DNS or TLS failures", () => {
    const codes = [
      "ECONNRESET",
      "ECONNREFUSED",
      "UND_ERR_SOCKET",
      "UND_ERR_HEADERS_TIMEOUT",
      "ENOTFOUND",
      "DEPTH_ZERO_SELF_SIGNED_CERT",
      undefined,
    ];
    const retried = codes.filter((networkCode) =>
      isRetryableOutcome({ kind: "network", networkCode }, "idempotent"),
    );
    expect(retried).toEqual([
      "ECONNRESET",
      "ECONNREFUSED",
      "UND_ERR_SOCKET",
      "UND_ERR_HEADERS_TIMEOUT",
    ]);
  });

  it("waits exactly the server-requested time when it is within maxRetryAfterMs", () => {
    expect(
      retryDelay({ kind: "response", status: 429, retryAfterMs: 3_000 }, 1, policy, half),
    ).toBe(3_000);
    expect(retryDelay({ kind: "response", status: 503, retryAfterMs: 0 }, 2, policy, half)).toBe(0);
  });

  it("gives up at once when the server asks for a longer wait than maxRetryAfterMs", () => {
    expect(
      retryDelay({ kind: "response", status: 429, retryAfterMs: 5_001 }, 1, policy, half),
    ).toBeUndefined();
  });

  it("waits a longer server-requested time when it ends before the call's deadline", () => {
    const limited = { kind: "response", status: 429, retryAfterMs: 600_000 } as const;
    expect(retryDelay(limited, 1, policy, half, "idempotent", 600_000)).toBe(600_000);
    expect(retryDelay(limited, 1, policy, half, "idempotent", 599_999)).toBeUndefined();
    expect(retryDelay(limited, 1, policy, half, "idempotent", undefined)).toBeUndefined();
  });

  it("stops after maxAttempts attempts", () => {
    const outcome = { kind: "response", status: 503 } as const;
    expect(retryDelay(outcome, 4, policy, half)).toBe(600);
    expect(retryDelay(outcome, 5, policy, half)).toBeUndefined();
  });

  it("never retries a non-retryable outcome, whatever the budget", () => {
    expect(retryDelay({ kind: "response", status: 404 }, 1, policy, half)).toBeUndefined();
  });

  it("has documented defaults", () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 5,
      baseDelayMs: 500,
      maxDelayMs: 15_000,
      maxRetryAfterMs: 60_000,
    });
  });
});
