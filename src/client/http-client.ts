import type { Dispatcher } from "undici";
import type { z } from "zod";
import { resolveUnderBase } from "./base-url.js";
import { decodeCfWarnings } from "./cf-warnings.js";
import {
  CloudFoundryConfigError,
  type CloudFoundryError,
  CloudFoundryTimeoutError,
} from "./errors.js";
import type { Logger } from "./logger.js";
import type { Redactor } from "./redactor.js";
import {
  describeResult,
  errorFromResult,
  parseResponse,
  type RequestLabel,
} from "./response-errors.js";
import type { ResponseHeaders } from "./response-headers.js";
import { retryAfterMs } from "./retry-after.js";
import { type AttemptOutcome, type RetryPolicy, retryDelay } from "./retry-delay.js";
import { type SendResult, sendRequest } from "./send-request.js";
import { type OperationBudget, type RetryClock, type RetryRun, withRetry } from "./with-retry.js";

/** A request before it is resolved against its base URL. */
export interface RequestSpec {
  /** HTTP method. */
  method: "GET" | "POST";
  /** The configured base URL it goes to (API or UAA). */
  base: URL;
  /** Path under the base, starting with `/`. */
  path: string;
  /** Query parameters. */
  query?: URLSearchParams | undefined;
  /** Extra headers. */
  headers?: Record<string, string> | undefined;
  /** Body. */
  body?: string | undefined;
  /** Access token to send as `Authorization: bearer …`; only ever to the API origin. */
  bearer?: string | undefined;
}

/** What the HTTP layer needs. */
export interface HttpClientDeps {
  dispatcher: Dispatcher;
  /** The only origin a bearer token may go to. */
  apiOrigin: string;
  userAgent: string;
  requestTimeoutMs: number;
  maxResponseBytes: number;
  retry: RetryPolicy;
  clock: RetryClock;
  random: () => number;
  logger: Logger;
  redactor: Redactor;
}

/** The client's HTTP layer: single attempts, the retry loop around them, and their errors. */
export interface HttpClient {
  /** `METHOD path` and URL of a spec, for messages. */
  label(spec: RequestSpec): RequestLabel;
  /** One attempt. Rejects only on abort, a passed deadline (`CF_TIMEOUT`), or a bearer token bound elsewhere (`CF_CONFIG_ERROR`). */
  attempt(spec: RequestSpec, budget: OperationBudget): Promise<SendResult>;
  /** Runs `attempt` under the retry policy for idempotent requests, on the injected clock. */
  retrying(
    spec: RequestSpec,
    budget: OperationBudget,
    attempt: () => Promise<SendResult>,
  ): Promise<RetryRun<SendResult>>;
  /** The error for a run that did not end in a 2xx. */
  fail(
    spec: RequestSpec,
    run: RetryRun<SendResult>,
    lastSeen?: unknown,
    note?: string,
  ): CloudFoundryError;
  /** Parses a 2xx response with `schema`. */
  parse<S extends z.ZodType>(
    spec: RequestSpec,
    result: SendResult,
    schema: S,
    expected: string,
  ): z.infer<S>;
}

/** Whether a result is a response with a 2xx status. */
export function isSuccess(result: SendResult): boolean {
  return (
    result.kind === "response" && result.response.status >= 200 && result.response.status < 300
  );
}

/**
 * `result` with every response header value (and so the request id) redacted. Headers reach
 * messages and error fields (`X-VCAP-Request-ID`, `Content-Type`, `Retry-After`, `Location`),
 * and a proxy or a Cloud Controller that echoes the request's `X-VCAP-Request-ID` can echo
 * anything (CC `middleware/vcap_request_context_setter.rb`, reference §5). Bodies are left
 * alone: they are data, and every message built from one redacts what it takes.
 */
function withRedactedHeaders(result: SendResult, redact: (text: string) => string): SendResult {
  const redactOptional = (value: string | undefined) =>
    value === undefined ? undefined : redact(value);
  if (result.kind === "tooLarge") return { ...result, requestId: redactOptional(result.requestId) };
  if (result.kind !== "response") return result;
  const headers: ResponseHeaders = {};
  for (const [name, value] of Object.entries(result.response.headers)) {
    headers[name] = Array.isArray(value) ? value.map(redact) : redactOptional(value);
  }
  return {
    kind: "response",
    response: {
      ...result.response,
      headers,
      requestId: redactOptional(result.response.requestId),
    },
  };
}

/** Creates the HTTP layer. */
export function createHttpClient(deps: HttpClientDeps): HttpClient {
  const redact = deps.redactor.redact;

  const label = (spec: RequestSpec): RequestLabel => {
    const url = resolveUnderBase(spec.base, spec.path, spec.query);
    const query = spec.query?.toString() ?? "";
    return { method: spec.method, path: query === "" ? spec.path : `${spec.path}?${query}`, url };
  };

  const toOutcome = (result: SendResult): AttemptOutcome | undefined => {
    if (result.kind === "network") return { kind: "network", networkCode: result.networkCode };
    if (result.kind === "tooLarge") return undefined;
    const { status, headers } = result.response;
    return {
      kind: "response",
      status,
      retryAfterMs: retryAfterMs(status, headers, deps.clock.now()),
    };
  };

  return {
    label,

    async attempt(spec, budget) {
      const target = label(spec);
      let timeoutMs = deps.requestTimeoutMs;
      if (budget.deadline !== undefined) {
        const remaining = budget.deadline - deps.clock.now();
        if (remaining <= 0) {
          throw new CloudFoundryTimeoutError(
            `${target.method} ${target.path} was not sent because the deadline had passed; allow more time.`,
            { method: target.method, path: target.path },
          );
        }
        timeoutMs = Math.min(timeoutMs, remaining);
      }
      const headers: Record<string, string> = {
        accept: "application/json",
        "user-agent": deps.userAgent,
        ...spec.headers,
      };
      if (spec.bearer !== undefined) {
        // Defence in depth: URLs come only from configured bases, but a token must never leave
        // the API origin whatever a caller passes.
        if (target.url.origin !== deps.apiOrigin) {
          throw new CloudFoundryConfigError(
            `${target.method} ${target.path} was not sent: its bearer token may only go to ${deps.apiOrigin}, not ${target.url.origin}.`,
            { method: target.method, path: target.path, setting: "apiUrl" },
          );
        }
        headers["authorization"] = `bearer ${spec.bearer}`;
      }
      const sent = await sendRequest(
        deps.dispatcher,
        {
          method: spec.method,
          url: target.url,
          headers,
          body: spec.body,
          timeoutMs,
          signal: budget.signal,
        },
        deps.maxResponseBytes,
      );
      const result = withRedactedHeaders(sent, redact);
      if (result.kind === "response") {
        for (const warning of decodeCfWarnings(result.response.headers["x-cf-warnings"])) {
          deps.logger.warn(
            `Cloud Controller warning (${target.method} ${target.path}): ${redact(warning)}`,
          );
        }
      }
      return result;
    },

    retrying(spec, budget, attempt) {
      const decide = (result: SendResult, attemptNumber: number): number | undefined => {
        const outcome = toOutcome(result);
        return outcome === undefined
          ? undefined
          : retryDelay(outcome, attemptNumber, deps.retry, deps.random);
      };
      const onRetry = (result: SendResult, attemptNumber: number, delayMs: number) => {
        const { method, path } = label(spec);
        deps.logger.debug?.(
          `${method} ${path} → ${describeResult(result, redact)}; retrying in ${delayMs} ms (attempt ${attemptNumber + 1} of ${deps.retry.maxAttempts}).`,
        );
      };
      return withRetry(() => attempt(), decide, deps.clock, budget, onRetry);
    },

    fail(spec, run, lastSeen, note) {
      return errorFromResult(run.result, label(spec), redact, {
        attempts: run.attempts,
        deadlineReached: run.deadlineBlockedDelayMs !== undefined,
        lastSeen,
        note,
      });
    },

    parse(spec, result, schema, expected) {
      if (result.kind !== "response") throw new Error("parse() needs a response");
      return parseResponse(result.response, schema, label(spec), expected, redact);
    },
  };
}
