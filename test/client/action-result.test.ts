/** The decision whether a continue or cancel may be sent again, on injected results and time. */
import { describe, expect, it } from "vitest";
import { classifyActionResult, refusalAdvice } from "../../src/client/action-result.js";
import { awaitEvidence, type EvidenceWatch } from "../../src/client/late-delivery.js";
import type { Deployment } from "../../src/client/schemas.js";
import type { SendResult } from "../../src/client/send-request.js";
import { fakeTime } from "../support/index.js";

const response = (status: number, text = "", contentType = "application/json"): SendResult => ({
  kind: "response",
  response: { status, headers: { "content-type": contentType }, text, requestId: undefined },
});
const network = (networkCode: string, written: boolean | undefined, timedOut = false) =>
  ({
    kind: "network",
    networkCode,
    timedOut,
    written,
    cause: Object.assign(new Error(networkCode), { code: networkCode }),
  }) as const satisfies SendResult;
const envelope = (code: number, title: string) =>
  JSON.stringify({ errors: [{ code, title, detail: "…" }] });

describe("classifyActionResult", () => {
  it.each([
    ["a 200", response(200), "applied"],
    ["a 202", response(202), "applied"],
    ["a 422", response(422, envelope(10008, "CF-UnprocessableEntity")), "unprocessable"],
    ["a 429", response(429, envelope(10013, "CF-RateLimitExceeded")), "rateLimited"],
    ["a 401", response(401), "refused"],
    ["a 403", response(403, envelope(10003, "CF-NotAuthorized")), "refused"],
    ["a 404", response(404, envelope(10010, "CF-ResourceNotFound")), "refused"],
    ["a 400", response(400, envelope(1001, "CF-MessageParseError")), "failed"],
    ["a refused connection", network("ECONNREFUSED", false), "notSent"],
    ["a DNS failure", network("ENOTFOUND", false), "notSent"],
    ["a connect timeout", network("UND_ERR_CONNECT_TIMEOUT", false, true), "notSent"],
    ["a reset before writing", network("ECONNRESET", false), "notSent"],
    ["a reset after writing", network("UND_ERR_SOCKET", true), "inDoubt"],
    ["a reset not known to be unwritten", network("ECONNRESET", undefined), "inDoubt"],
    ["a headers timeout", network("UND_ERR_HEADERS_TIMEOUT", true, true), "inDoubt"],
    ["CC's own 500", response(500, envelope(10001, "UnknownError")), "serverError"],
    ["CC's own 503", response(503, envelope(10015, "CF-ServiceUnavailable")), "serverError"],
    [
      "a router's 502",
      response(502, "502 Bad Gateway: Registered endpoint failed", "text/plain"),
      "inDoubt",
    ],
    ["a proxy's HTML 503", response(503, "<html>busy</html>", "text/html"), "inDoubt"],
    ["an empty 504", response(504), "inDoubt"],
    [
      "an oversized answer",
      { kind: "tooLarge", status: 200, requestId: undefined, limitBytes: 1 },
      "inDoubt",
    ],
  ] as const)("calls %s %s", (_name, result, kind) => {
    expect(classifyActionResult(result)).toBe(kind);
  });
});

describe("refusalAdvice", () => {
  it.each([
    [
      404,
      10010,
      "the continue was refused and did not take effect: the deployment could be read, so the user or client needs the Space Developer or Space Supporter role in the app's space (or admin)",
    ],
    [
      403,
      10003,
      "the continue was refused and did not take effect: its token needs the cloud_controller.write scope",
    ],
    [403, 10017, "the continue was refused and did not take effect"],
  ])("names what a %i (%i) needs", (status, cfCode, advice) => {
    expect(refusalAdvice("continue", status, cfCode)).toBe(advice);
  });
});

/** A canary deployment at `reason` and `step`, changed at `changed`. */
function canary(reason: Deployment["status"]["reason"], step: number, changed = "t0"): Deployment {
  const value = reason === "DEPLOYED" || reason === "CANCELED" ? "FINALIZED" : "ACTIVE";
  const details = { last_successful_healthcheck: null, last_status_change: changed };
  const app = { data: { guid: "app" } };
  return {
    ...{ guid: "dep", created_at: "t0", updated_at: changed, strategy: "canary", revision: null },
    status: { value, reason, details, canary: { steps: { current: step, total: 3 } } },
    ...{ droplet: { guid: "new" }, previous_droplet: { guid: "old" }, new_processes: [] },
    relationships: { app },
  };
}

describe("awaitEvidence", () => {
  const paused = canary("PAUSED", 1);
  const watch = (reads: Deployment[], more: Partial<EvidenceWatch> = {}) => {
    const time = fakeTime(0);
    const read = async () => reads.shift() ?? paused;
    const window = { windowMs: 20_000, pollIntervalMs: 5_000 };
    const options = { action: "continue", before: paused, unchanged: paused, read } as const;
    return {
      time,
      run: () => awaitEvidence({ ...options, clock: time, budget: {}, window, ...more }),
    };
  };

  it("reports the continue applied at the first read that shows it moved", async () => {
    const { time, run } = watch([paused, canary("DEPLOYING", 2, "t1")]);
    expect(await run()).toMatchObject({ moved: true, effect: "applied" });
    expect(time.sleeps).toEqual([5_000, 5_000]);
  });

  it("reports a deployment someone else canceled as diverged", async () => {
    const { run } = watch([canary("CANCELING", 1, "t1")]);
    expect(await run()).toMatchObject({ moved: true, effect: "diverged" });
  });

  it("reads until the window ends, the last read at its end, and reports no move", async () => {
    const { time, run } = watch([], { window: { windowMs: 12_000, pollIntervalMs: 5_000 } });
    expect(await run()).toMatchObject({ moved: false, watchedMs: 12_000, deployment: paused });
    expect(time.sleeps).toEqual([5_000, 5_000, 2_000]);
  });

  it("ends a poll interval before the operation's deadline, so the last read can still run", async () => {
    const { time, run } = watch([], { budget: { deadline: 11_000 } });
    expect(await run()).toMatchObject({ moved: false, watchedMs: 6_000 });
    expect(time.sleeps).toEqual([5_000, 1_000]);
  });

  it("does not wait at all with a zero window", async () => {
    const { time, run } = watch([], { window: { windowMs: 0, pollIntervalMs: 5_000 } });
    expect(await run()).toMatchObject({ moved: false, watchedMs: 0 });
    expect(time.sleeps).toEqual([]);
  });
});
