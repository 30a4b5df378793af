import type { z } from "zod";
import type { FailedRun, HttpClient, RequestSpec } from "./http-client.js";
import type { Logger } from "./logger.js";
import { describeResult, type RequestLabel } from "./response-errors.js";
import { responseMeta } from "./response-meta.js";
import { type RetryMode, type RetryPolicy, retryDelay } from "./retry-delay.js";
import { attemptOutcome, type HttpResponse, isSuccess, type SendResult } from "./send-request.js";
import { type Clock, type OperationBudget, withRetry } from "./with-retry.js";

/** One attempt as the pipeline saw it: its result and how many requests it took (a 401 re-send makes 2). */
export interface Sent {
  result: SendResult;
  sent: number;
}

/**
 * Sends one attempt with a token (`send(bearer)`); the auth hook of `uaa-auth.ts` also answers a
 * 401 with a new token and one re-send.
 */
export type AuthorizeHook = (
  spec: RequestSpec,
  budget: OperationBudget,
  send: (bearer: string) => Promise<SendResult>,
) => Promise<Sent>;

/** What a decision has at hand about the attempt it judges. */
export interface AttemptContext {
  /** 1-based. */
  attemptNumber: number;
  /** `METHOD path` of the request. */
  label: RequestLabel;
  /** The wait before another attempt after `result` under the retry policy, or undefined. */
  retryDelay(result: SendResult, mode?: RetryMode): number | undefined;
  /** A 2xx body parsed with `schema` (`expected` names it in errors). */
  parse<S extends z.ZodType>(response: HttpResponse, schema: S, expected: string): z.infer<S>;
  /** The error for `result` when nothing more is tried. */
  fail(result: SendResult): Error;
  /** One redacted phrase for `result`, e.g. `503 Service Unavailable`. */
  describe(result: SendResult): string;
  /** Drops every secret the client knows of from `text`. */
  redact(text: string): string;
}

/**
 * What an attempt means: a value (`done`), or another attempt after `retryInMs`; with
 * `retryInMs` undefined the request fails with the attempt's result. `note` and `lastSeen` go
 * into that error, and `note` into the retry's debug line.
 */
export type Decision<T> =
  | { done: T }
  | { retryInMs: number | undefined; note?: string | undefined; lastSeen?: unknown };

/** One request through the pipeline. */
export interface RequestOptions<T> extends RequestSpec {
  budget: OperationBudget;
  /** Present for Cloud Controller requests: gets the token and answers a 401. */
  authorize?: AuthorizeHook | undefined;
  /** What each attempt means; see {@link jsonBody} for idempotent requests. */
  decide(sent: Sent, context: AttemptContext): Decision<T> | Promise<Decision<T>>;
}

/** The client's one request pipeline. */
export type Request = <T>(options: RequestOptions<T>) => Promise<T>;

/** What the pipeline needs. */
export interface RequestDeps {
  http: HttpClient;
  retry: RetryPolicy;
  clock: Clock;
  random: () => number;
  logger: Logger;
  redact: (text: string) => string;
}

/**
 * The decision of an idempotent request (GETs, token grants): a 2xx is parsed with `schema`;
 * anything else is retried under the policy (network failures, 429, 502–504) or fails.
 */
export function jsonBody<S extends z.ZodType>(
  schema: S,
  expected: string,
): (sent: Sent, context: AttemptContext) => Decision<z.infer<S>> {
  return ({ result }, context) =>
    result.kind === "response" && isSuccess(result)
      ? { done: context.parse(result.response, schema, expected) }
      : { retryInMs: context.retryDelay(result) };
}

/**
 * Creates the request pipeline, the way octokit's `request` with its auth and retry plugins
 * works: attempt (authorized by the hook, when given) → decide → retry loop on the injected
 * clock → the value, or one family error built from the last result.
 */
export function createRequest(deps: RequestDeps): Request {
  const { http, logger, redact } = deps;
  return async <T>(options: RequestOptions<T>): Promise<T> => {
    const { budget, authorize, decide, ...spec } = options;
    const label = http.label(spec);
    let note: string | undefined;
    let lastSeen: unknown;
    const run = await withRetry<T, SendResult>({
      clock: deps.clock,
      budget,
      attempt: async (attemptNumber) => {
        const sentAtMs = deps.clock.now();
        const sent =
          authorize === undefined
            ? { result: await http.attempt(spec, budget), sent: 1 }
            : await authorize(spec, budget, (bearer) => http.attempt({ ...spec, bearer }, budget));
        if (sent.result.kind === "response") {
          budget.onResponse?.(responseMeta(spec, sent.result.response, sentAtMs, deps.clock.now()));
        }
        const context: AttemptContext = {
          attemptNumber,
          label,
          retryDelay: (result, mode) =>
            retryDelay(
              attemptOutcome(result, deps.clock.now()),
              attemptNumber,
              deps.retry,
              deps.random,
              mode,
              budget.deadline === undefined ? undefined : budget.deadline - deps.clock.now(),
            ),
          parse: (response, schema, expected) => http.parse({ spec, response, schema, expected }),
          fail: (result) => http.fail({ spec, result, attempts: attemptNumber }),
          describe: (result) => describeResult(result, redact),
          redact,
        };
        const decision = await decide(sent, context);
        if ("done" in decision) return decision;
        ({ note, lastSeen } = decision);
        return { last: sent.result, retryInMs: decision.retryInMs };
      },
      onRetry: (result, attemptNumber, delayMs) => {
        const why = note === undefined ? "" : ` (${note})`;
        if (delayMs > deps.retry.maxRetryAfterMs) {
          // Only a server-requested wait within the deadline gets here: say so, it is long.
          logger.warn(
            `${label.method} ${label.path} → ${describeResult(result, redact)}; waiting ${Math.ceil(delayMs / 1000)} s, as the Cloud Controller asks, before sending it again (within this operation's deadline).`,
          );
        }
        logger.debug?.(
          `${label.method} ${label.path} → ${describeResult(result, redact)}${why}; retrying in ${delayMs} ms (attempt ${attemptNumber + 1} of ${deps.retry.maxAttempts}).`,
        );
      },
    });
    if ("done" in run) return run.done;
    const failed: FailedRun = { spec, result: run.last, attempts: run.attempts, lastSeen, note };
    throw http.fail({ ...failed, deadlineBlockedDelayMs: run.deadlineBlockedDelayMs });
  };
}
