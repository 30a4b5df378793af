import type { Dispatcher } from "undici";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isCloudFoundryError } from "../../src/client/errors.js";
import { createHttpClient } from "../../src/client/http-client.js";
import { createRedactor } from "../../src/client/redactor.js";
import { createRequest, jsonBody, type RequestOptions } from "../../src/client/request.js";
import { DEFAULT_RETRY_POLICY } from "../../src/client/retry-delay.js";
import type { SendResult } from "../../src/client/send-request.js";
import { fakeTime, rejectionOf } from "../support/index.js";

const base = new URL("https://api.example.com");
const Thing = z.object({ guid: z.string() });

const response = (status: number, body = "", headers: Record<string, string> = {}): SendResult => ({
  kind: "response",
  response: { status, headers, text: body, requestId: undefined },
});
const reset: SendResult = {
  kind: "network",
  networkCode: "ECONNRESET",
  timedOut: false,
  cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
};

/** The pipeline over a scripted transport on a fake clock (random 0.5: no jitter spread). */
function pipeline(script: SendResult[]) {
  const time = fakeTime(0);
  const debug: string[] = [];
  const logger = { warn: () => {}, debug: (line: string) => debug.push(line) };
  const real = createHttpClient({
    dispatcher: {} as Dispatcher,
    apiOrigin: base.origin,
    userAgent: "test",
    requestTimeoutMs: 1_000,
    maxResponseBytes: 1_024,
    clock: time,
    logger,
    redactor: createRedactor(),
  });
  const sent: (string | undefined)[] = [];
  const http = {
    ...real,
    attempt: async (spec: { bearer?: string | undefined }) => {
      sent.push(spec.bearer);
      const next = script.shift();
      if (next === undefined) throw new Error("no more results scripted");
      return next;
    },
  };
  const request = createRequest({
    http,
    retry: DEFAULT_RETRY_POLICY,
    clock: time,
    random: () => 0.5,
    logger,
    redact: (text) => text,
  });
  const get = (options: Partial<RequestOptions<{ guid: string }>> = {}) =>
    request({
      method: "GET",
      base,
      path: "/v3/things/t1",
      budget: {},
      decide: jsonBody(Thing, "a Thing"),
      ...options,
    });
  return { request, get, time, debug, sent };
}

describe("the request pipeline, on an injected clock", () => {
  it("retries an idempotent request with backoff and returns the parsed body", async () => {
    const { get, time, debug } = pipeline([response(503), reset, response(200, '{"guid":"t1"}')]);
    expect(await get()).toEqual({ guid: "t1" });
    expect(time.sleeps).toEqual([375, 750]);
    expect(debug).toEqual([
      "GET /v3/things/t1 → 503 Service Unavailable; retrying in 375 ms (attempt 2 of 5).",
      "GET /v3/things/t1 → socket hang up (ECONNRESET); retrying in 750 ms (attempt 3 of 5).",
    ]);
  });

  it("waits Retry-After exactly", async () => {
    const { get, time } = pipeline([
      response(429, "", { "retry-after": "7" }),
      response(200, '{"guid":"t1"}'),
    ]);
    await get();
    expect(time.sleeps).toEqual([7_000]);
  });

  it("fails at once with the response's error when the status is not retried", async () => {
    const { get, time } = pipeline([response(500)]);
    const error = await rejectionOf(get());
    expect(isCloudFoundryError(error, "CF_API_ERROR")).toBe(true);
    expect(error.message).toBe("GET /v3/things/t1 → 500 Internal Server Error with an empty body.");
    expect(time.sleeps).toEqual([]);
  });

  it("gives up after maxAttempts with the last result and the number of attempts", async () => {
    const { get, time } = pipeline([reset, reset, reset, reset, reset]);
    const error = await rejectionOf(get());
    expect(isCloudFoundryError(error, "CF_NETWORK_ERROR") && error.attempts).toBe(5);
    expect(error.message).toBe(
      "GET /v3/things/t1 failed: socket hang up (ECONNRESET) (5 attempts); check that https://api.example.com is reachable.",
    );
    expect(time.sleeps).toEqual([375, 750, 1_500, 3_000]);
  });

  it("fails with CF_TIMEOUT instead of waiting past the deadline", async () => {
    const { get, time } = pipeline([response(503), response(503)]);
    const error = await rejectionOf(get({ budget: { deadline: 1_000 } }));
    expect(isCloudFoundryError(error, "CF_TIMEOUT")).toBe(true);
    expect(error.message).toBe(
      "GET /v3/things/t1 did not succeed before the deadline (2 attempts, last: 503 Service Unavailable); allow more time or try again later.",
    );
    expect(time.sleeps).toEqual([375]);
  });

  it("lets a custom decision retry with a note and a last-seen state, both in the final error", async () => {
    const { request, time, debug } = pipeline([response(502), response(502)]);
    const error = await rejectionOf(
      request({
        method: "POST",
        base,
        path: "/v3/things/t1/actions/go",
        budget: { deadline: 1_000 },
        decide: async ({ result }, context) => ({
          retryInMs: context.retryDelay(result, "verified"),
          note: "it did not take effect",
          lastSeen: { state: "unchanged" },
        }),
      }),
    );
    expect(isCloudFoundryError(error, "CF_TIMEOUT") && error.lastSeen).toEqual({
      state: "unchanged",
    });
    expect(error.message).toBe(
      "POST /v3/things/t1/actions/go did not succeed before the deadline (2 attempts, last: 502 Bad Gateway); allow more time or try again later; it did not take effect.",
    );
    expect(time.sleeps).toEqual([375]);
    expect(debug).toEqual([
      "POST /v3/things/t1/actions/go → 502 Bad Gateway (it did not take effect); retrying in 375 ms (attempt 2 of 5).",
    ]);
  });

  it("sends through the auth hook and hands its request count to the decision", async () => {
    const { get, sent } = pipeline([response(200, '{"guid":"t1"}')]);
    const counts: number[] = [];
    const thing = await get({
      authorize: async (_spec, _budget, send) => ({ result: await send("token-1"), sent: 2 }),
      decide: (attempt, context) => {
        counts.push(attempt.sent);
        return jsonBody(Thing, "a Thing")(attempt, context);
      },
    });
    expect(thing).toEqual({ guid: "t1" });
    expect(sent).toEqual(["token-1"]);
    expect(counts).toEqual([2]);
  });
});
