import type { FaultRule, SimulatorHandle } from "../../src/simulator/index.js";
import { action, createDeploymentFor, type FakeTime } from "../support/index.js";
import { pollUntil } from "../support/poll.js";
import { releaseBeforeRead } from "./held-delivery.js";
import type { BeforeSend } from "./secret-watch.js";

/** What a row's faults and bystanders act on. */
export interface Scene {
  sim: SimulatorHandle;
  time: FakeTime;
  /** The paused web canary's GUID. */
  guid: string;
  paths: { get: string; continue: string; cancel: string };
}

/** The outcome of one promotion step, as the matrix compares it. */
export type StepOutcome =
  | { applied: boolean; attempts: number }
  | { error: string; status?: number };

/**
 * One fault of the matrix: inject it, run one promotion step (token, list the active
 * deployment, read it, continue, read back), and compare everything the step left behind.
 */
export interface FaultRow {
  /** The fault, as RELIABILITY.md names it. */
  fault: string;
  /** What the client does about it, as RELIABILITY.md states it. */
  expected: string;
  /** The action of the step. @default "continue" */
  action?: "continue" | "cancel";
  /** Waits, after the step, for requests the client gave up on to be handled. */
  settle?: (scene: Scene) => Promise<unknown>;
  /** Rules the simulator applies to the step's requests. */
  rules?: (scene: Scene) => FaultRule[];
  /** Runs during the client's first wait: someone else acting, or time passing. */
  meanwhile?: (scene: Scene) => Promise<void>;
  /** Makes a hook that runs before each request the client sends (the request waits for it). */
  beforeSend?: (scene: Scene) => BeforeSend;
  /** Client options of the row, e.g. a short `requestTimeoutMs`. */
  client?: { requestTimeoutMs?: number };
  /** The request log, in `requestKinds` form. */
  log: string[];
  /** Every wait the client made, in ms of the fake clock. */
  sleeps: number[];
  outcome: StepOutcome;
  /** The deployment afterwards, `value/reason@step`. */
  state: string;
  /** `audit.app.deployment.continue` events on the deployment: 1 for our step, 0 when it failed. */
  continues: number;
  /** `audit.app.deployment.cancel` events on the deployment. @default 0 */
  cancels?: number;
}

const TOKEN = "/uaa/oauth/token";

const LIST = "/v3/deployments";

const reset = (method: string, path: string, when: "before" | "after", times = 1): FaultRule => ({
  method,
  path,
  reset: when,
  times,
});

const status = (method: string, path: string, code: number, times = 1): FaultRule => ({
  method,
  path,
  status: code,
  times,
});

/** A 429 on `path` that asks for `seconds` of patience: the rate limiter refused it unrun. */
const refusedFor = (path: string, seconds: number): FaultRule => ({
  method: "POST",
  path,
  status: 429,
  headers: { "Retry-After": String(seconds) },
});

const html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";

/** A normal step: one token, one list, one read, one continue, one read back. */
export const CLEAN = ["GET / 200", "token 200", "list 200", "get 200", "continue 200", "get 200"];
export const APPLIED = { applied: true, attempts: 1 };
const STEP_2 = "ACTIVE/DEPLOYING@2";
const UNTOUCHED = "ACTIVE/PAUSED@1";

/** The client's first backoff with `random: 0.5`: half of 1 s fixed, half jittered. */
const BACKOFF_1 = 750;
const BACKOFF_2 = 1_500;

/** A continue whose outcome was unknown, read back unchanged, and sent once more. */
const resentOnceAfter = (first: string) => ({
  log: [...CLEAN.slice(0, 4), first, "get 200", "continue 200", "get 200"],
  sleeps: [BACKOFF_1],
  outcome: { applied: true, attempts: 2 },
  state: STEP_2,
  continues: 1,
});

/**
 * An action written to the wire whose answer never came, or came from a proxy: it may still
 * arrive, so it is not sent again. The client reads the deployment back, then watches it every
 * 5 s for its 60 s late-delivery window; nothing moves, so the step ends CF_OUTCOME_UNKNOWN.
 */
const watchedThenUnknown = (first: string) => ({
  log: [...CLEAN.slice(0, 4), first, ...Array<string>(13).fill("get 200")],
  sleeps: Array<number>(12).fill(5_000),
  outcome: { error: "CF_OUTCOME_UNKNOWN" },
  state: UNTOUCHED,
  continues: 0,
});

/** The Cloud Controller's own 500 (its error envelope, not a proxy's page). */
const CC_500 = {
  errors: [{ code: 10001, title: "CF-ServerError", detail: "An unknown error occurred." }],
};

const resetRows = (["before", "after"] as const).flatMap((when): FaultRow[] => [
  {
    fault: `connection reset ${when} handling: GET /`,
    expected: "retried after a backoff; the step goes on",
    rules: () => [reset("GET", "/", when)],
    log: ["GET / 0", ...CLEAN],
    sleeps: [BACKOFF_1],
    outcome: APPLIED,
    state: STEP_2,
    continues: 1,
  },
  {
    fault: `connection reset ${when} handling: UAA token request`,
    expected: "token request retried; the step goes on",
    rules: () => [reset("POST", TOKEN, when)],
    log: ["GET / 200", "token 0", ...CLEAN.slice(1)],
    sleeps: [BACKOFF_1],
    outcome: APPLIED,
    state: STEP_2,
    continues: 1,
  },
  {
    fault: `connection reset ${when} handling: GET /v3/deployments (list)`,
    expected: "list retried; the step goes on",
    rules: () => [reset("GET", LIST, when)],
    log: [...CLEAN.slice(0, 2), "list 0", ...CLEAN.slice(2)],
    sleeps: [BACKOFF_1],
    outcome: APPLIED,
    state: STEP_2,
    continues: 1,
  },
  {
    fault: `connection reset ${when} handling: GET /v3/deployments/:guid`,
    expected: "read retried; the step goes on",
    rules: ({ paths }) => [reset("GET", paths.get, when)],
    log: [...CLEAN.slice(0, 3), "get 0", ...CLEAN.slice(3)],
    sleeps: [BACKOFF_1],
    outcome: APPLIED,
    state: STEP_2,
    continues: 1,
  },
]);

/** Resets on the action's POST, for both actions: re-sent only when provably not applied. */
const actionResetRows = (["continue", "cancel"] as const).flatMap((name): FaultRow[] => {
  const events = name === "continue" ? { continues: 1 } : { continues: 0, cancels: 1 };
  const state = name === "continue" ? STEP_2 : "ACTIVE/CANCELING@1";
  return [
    {
      fault: `connection reset before handling: POST ${name}`,
      expected:
        "written before the reset, so it may still arrive: not sent again; watched for 60 s, then CF_OUTCOME_UNKNOWN",
      action: name,
      rules: ({ paths }) => [reset("POST", paths[name], "before")],
      ...watchedThenUnknown(`${name} 0`),
    },
    {
      fault: `connection reset after handling: POST ${name}`,
      expected: "read back moved, so it took effect: not sent again",
      action: name,
      rules: ({ paths }) => [reset("POST", paths[name], "after")],
      log: [...CLEAN.slice(0, 4), `${name} 0`, "get 200"],
      sleeps: [],
      outcome: APPLIED,
      state,
      ...events,
    },
  ];
});

/**
 * A continue or cancel held by a router queue past the client's 1 s timeout, then delivered
 * `before` its read back or `after` it (at the first read of the late-delivery watch): never
 * sent again, applied once either way.
 */
function heldAction(name: "continue" | "cancel", when: "before" | "after"): FaultRow {
  const moved = name === "continue" ? "moved" : "canceling";
  return {
    fault: `late delivery: ${name} held past the client's timeout, delivered ${when} its read back`,
    expected:
      when === "before"
        ? `read back ${moved}, so it took effect: not sent again`
        : `read back unchanged, but the ${name} may still arrive: not sent again; it lands while watched, applied once`,
    action: name,
    rules: ({ paths }) => [{ method: "POST", path: paths[name], holdMs: 600_000 }],
    beforeSend: ({ sim, paths }) =>
      releaseBeforeRead(sim, () => ({ action: paths[name], read: paths.get, delivery: when })),
    client: { requestTimeoutMs: 1_000 },
    log: [
      ...CLEAN.slice(0, 4),
      ...(when === "before" ? [] : ["get 200"]),
      `${name} 200 held gone`,
      "get 200",
    ],
    sleeps: when === "before" ? [] : [5_000],
    outcome: APPLIED,
    ...(name === "continue"
      ? { state: STEP_2, continues: 1 }
      : { state: "ACTIVE/CANCELING@1", continues: 0, cancels: 1 }),
  };
}

export const faultRows: FaultRow[] = [
  ...resetRows,
  ...actionResetRows,

  heldAction("continue", "before"),
  heldAction("continue", "after"),
  {
    fault: "503 burst (3) on GET /v3/deployments/:guid",
    expected: "read retried with growing backoff; the step goes on",
    rules: ({ paths }) => [status("GET", paths.get, 503, 3)],
    log: [...CLEAN.slice(0, 3), "get 503", "get 503", "get 503", ...CLEAN.slice(3)],
    sleeps: [BACKOFF_1, BACKOFF_2, 3_000],
    outcome: APPLIED,
    state: STEP_2,
    continues: 1,
  },
  {
    fault: "502 and 504 on GET /v3/deployments (list)",
    expected: "list retried; the step goes on",
    rules: () => [status("GET", LIST, 502), status("GET", LIST, 504)],
    log: [...CLEAN.slice(0, 2), "list 502", "list 504", ...CLEAN.slice(2)],
    sleeps: [BACKOFF_1, BACKOFF_2],
    outcome: APPLIED,
    state: STEP_2,
    continues: 1,
  },
  {
    fault: "503 burst (2) on the UAA token request",
    expected: "token request retried; the step goes on",
    rules: () => [status("POST", TOKEN, 503, 2)],
    log: ["GET / 200", "token 503", "token 503", ...CLEAN.slice(1)],
    sleeps: [BACKOFF_1, BACKOFF_2],
    outcome: APPLIED,
    state: STEP_2,
    continues: 1,
  },
  {
    fault: "UAA down longer than the retry budget (5 × 503)",
    expected: "fails with the UAA's 503 before any continue; nothing changed",
    rules: () => [status("POST", TOKEN, 503, 5)],
    log: ["GET / 200", "token 503", "token 503", "token 503", "token 503", "token 503"],
    sleeps: [BACKOFF_1, BACKOFF_2, 3_000, 6_000],
    outcome: { error: "CF_API_ERROR", status: 503 },
    state: UNTOUCHED,
    continues: 0,
  },
  {
    fault: "500 on GET /v3/deployments/:guid",
    expected: "not retried, as the retry policy says: fails before any continue",
    rules: ({ paths }) => [status("GET", paths.get, 500)],
    log: [...CLEAN.slice(0, 3), "get 500"],
    sleeps: [],
    outcome: { error: "CF_API_ERROR", status: 500 },
    state: UNTOUCHED,
    continues: 0,
  },
  {
    fault: "the Cloud Controller's own 500 on POST continue",
    expected: "CC answered, so the read back decides: unchanged, sent once more, applied once",
    rules: ({ paths }) => [{ ...status("POST", paths.continue, 500), body: CC_500 }],
    ...resentOnceAfter("continue 500"),
  },
  {
    fault: "502 with an HTML body (a proxy's page) on POST continue",
    expected:
      "a proxy's answer, so the request may still be queued: not sent again; watched for 60 s, then CF_OUTCOME_UNKNOWN",
    rules: ({ paths }) => [
      {
        method: "POST",
        path: paths.continue,
        status: 502,
        body: html,
        headers: { "content-type": "text/html" },
      },
    ],
    ...watchedThenUnknown("continue 502"),
  },
  {
    fault: "429 with Retry-After: 7 on POST continue",
    expected: "refused before the action ran: waits exactly 7 s, sends once more",
    rules: ({ paths }) => [refusedFor(paths.continue, 7)],
    log: [...CLEAN.slice(0, 4), "continue 429", "continue 200", "get 200"],
    sleeps: [7_000],
    outcome: { applied: true, attempts: 2 },
    state: STEP_2,
    continues: 1,
  },
  {
    fault: "429 with only X-RateLimit-Reset (12 s ahead) on GET /v3/deployments/:guid",
    expected: "waits exactly until the reset, reads again",
    rules: ({ paths, time }) => [
      {
        method: "GET",
        path: paths.get,
        status: 429,
        headers: { "X-RateLimit-Reset": String(time.now() / 1000 + 12) },
      },
    ],
    log: [...CLEAN.slice(0, 3), "get 429", ...CLEAN.slice(3)],
    sleeps: [12_000],
    outcome: APPLIED,
    state: STEP_2,
    continues: 1,
  },
  {
    fault:
      "access token expires during a wait (a 429 of 30 s; the clock passes the token's 20 min)",
    expected: "refreshes before the next request; one continue",
    rules: ({ paths }) => [refusedFor(paths.continue, 30)],
    meanwhile: async ({ time }) => time.advance(20 * 60_000),
    log: [...CLEAN.slice(0, 4), "continue 429", "token 200", "continue 200", "get 200"],
    sleeps: [30_000],
    outcome: { applied: true, attempts: 2 },
    state: STEP_2,
    continues: 1,
  },
  {
    fault: "tokens revoked during a wait (the next request gets 401)",
    expected: "one refresh and one re-send; one continue",
    rules: ({ paths }) => [status("GET", paths.get, 503)],
    meanwhile: ({ sim }) => sim.control.expireTokens(),
    log: [...CLEAN.slice(0, 3), "get 503", "get 401", "token 200", ...CLEAN.slice(3)],
    sleeps: [BACKOFF_1],
    outcome: APPLIED,
    state: STEP_2,
    continues: 1,
  },
  {
    fault: "slow response (300 ms) on GET /v3/deployments/:guid",
    expected: "waited for; the step goes on",
    rules: ({ paths }) => [{ method: "GET", path: paths.get, delayMs: 300 }],
    log: CLEAN,
    sleeps: [],
    outcome: APPLIED,
    state: STEP_2,
    continues: 1,
  },
  {
    fault: "truncated JSON body (cut mid-object) on GET /v3/deployments/:guid",
    expected: "a response error before any continue; nothing changed",
    rules: ({ paths }) => [{ method: "GET", path: paths.get, status: 200, body: '{"guid":"' }],
    log: [...CLEAN.slice(0, 3), "get 200"],
    sleeps: [],
    outcome: { error: "CF_RESPONSE_ERROR" },
    state: UNTOUCHED,
    continues: 0,
  },
  {
    fault: "malformed deployment (JSON of the wrong shape) on GET /v3/deployments/:guid",
    expected: "a response error before any continue; nothing changed",
    rules: ({ paths }) => [
      { method: "GET", path: paths.get, status: 200, body: { guid: 42, status: "odd" } },
    ],
    log: [...CLEAN.slice(0, 3), "get 200"],
    sleeps: [],
    outcome: { error: "CF_RESPONSE_ERROR" },
    state: UNTOUCHED,
    continues: 0,
  },
  {
    fault: "HTML body with status 200 on GET /v3/deployments (list)",
    expected: "a response error before any continue; nothing changed",
    rules: () => [
      {
        method: "GET",
        path: LIST,
        status: 200,
        body: html,
        headers: { "content-type": "text/html" },
      },
    ],
    log: [...CLEAN.slice(0, 2), "list 200"],
    sleeps: [],
    outcome: { error: "CF_RESPONSE_ERROR" },
    state: UNTOUCHED,
    continues: 0,
  },
  {
    fault: "a human continues while we wait (429 on our continue)",
    expected:
      "our re-send gets 422; read back moved by someone else: not applied, one continue in all",
    rules: ({ paths }) => [refusedFor(paths.continue, 5)],
    meanwhile: async ({ sim, guid }) => {
      await action(sim, "admin", guid, "continue");
    },
    log: [...CLEAN.slice(0, 4), "continue 429", "continue 200", "continue 422", "get 200"],
    sleeps: [5_000],
    outcome: { applied: false, attempts: 2 },
    state: STEP_2,
    continues: 1,
  },
  {
    fault: "a human cancels while we wait (429 on our continue)",
    expected: "our re-send gets 422 and the read back shows the cancel: fails, no continue",
    rules: ({ paths }) => [refusedFor(paths.continue, 5)],
    meanwhile: async ({ sim, guid }) => {
      await action(sim, "admin", guid, "cancel");
    },
    log: [...CLEAN.slice(0, 4), "continue 429", "cancel 200", "continue 422", "get 200"],
    sleeps: [5_000],
    outcome: { error: "CF_API_ERROR", status: 422 },
    state: "ACTIVE/CANCELING@1",
    continues: 0,
    cancels: 1,
  },
  {
    fault: "a new push supersedes the deployment while we wait (429 on our continue)",
    expected: "our re-send gets 422 and the read back shows it superseded: fails, no continue",
    rules: ({ paths }) => [refusedFor(paths.continue, 5)],
    meanwhile: async ({ sim }) => {
      await createDeploymentFor(sim, "web");
    },
    log: [
      ...CLEAN.slice(0, 4),
      "continue 429",
      "POST /v3/deployments 201",
      "continue 422",
      "get 200",
    ],
    sleeps: [5_000],
    outcome: { error: "CF_API_ERROR", status: 422 },
    state: "FINALIZED/SUPERSEDED@1",
    continues: 0,
  },
  {
    fault: "slow response past the client's timeout on GET /v3/deployments/:guid",
    expected: "the read times out and is retried; the late one is handled after (clientGone)",
    rules: ({ paths }) => [{ method: "GET", path: paths.get, delayMs: 3_000 }],
    client: { requestTimeoutMs: 1_000 },
    settle: ({ sim }) =>
      pollUntil(
        "the slow read to be handled",
        async () => (await sim.control.requests()).some((entry) => entry.clientGone === true),
        { tries: 100, intervalMs: 50 },
      ),
    log: [...CLEAN.slice(0, 3), "get 200", "continue 200", "get 200", "get 200 gone"],
    sleeps: [BACKOFF_1],
    outcome: APPLIED,
    state: STEP_2,
    continues: 1,
  },

  heldAction("cancel", "before"),
];
