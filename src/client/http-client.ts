import type { Dispatcher } from "undici";
import type { z } from "zod";
import { bounded } from "../shared/bounded-text.js";
import { resolveUnderBase } from "./base-url.js";
import { decodeCfWarnings } from "./cf-warnings.js";
import {
  CloudFoundryConfigError,
  type CloudFoundryError,
  CloudFoundryTimeoutError,
} from "./errors.js";
import type { Logger } from "./logger.js";
import type { Redactor } from "./redactor.js";
import { errorFromResult, parseResponse, type RequestLabel } from "./response-errors.js";
import type { ResponseHeaders } from "./response-headers.js";
import { type HttpResponse, type SendResult, sendRequest } from "./send-request.js";
import type { Clock, OperationBudget } from "./with-retry.js";

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
  clock: Clock;
  logger: Logger;
  redactor: Redactor;
}

/** What {@link HttpClient.fail} builds its error from. */
export interface FailedRun {
  spec: RequestSpec;
  /** The last attempt's result. */
  result: SendResult;
  /** Attempts made. */
  attempts: number;
  /** Set when the deadline stopped the retries. */
  deadlineBlockedDelayMs?: number | undefined;
  /** The last state seen (for timeouts). */
  lastSeen?: unknown;
  /** A last clause of the message, e.g. what a read-back showed. */
  note?: string | undefined;
}

/** The client's HTTP layer: single attempts and their errors; the pipeline is `request.ts`. */
export interface HttpClient {
  /** `METHOD path` and URL of a spec, for messages. */
  label(spec: RequestSpec): RequestLabel;
  /** One attempt. Rejects only on abort, a passed deadline (`CF_TIMEOUT`), or a bearer token bound elsewhere (`CF_CONFIG_ERROR`). */
  attempt(spec: RequestSpec, budget: OperationBudget): Promise<SendResult>;
  /** The error for a run that did not end in a 2xx. */
  fail(run: FailedRun): CloudFoundryError;
  /** Parses a 2xx response's body with `schema`; `expected` names it in errors. */
  parse<S extends z.ZodType>(options: {
    spec: RequestSpec;
    response: HttpResponse;
    schema: S;
    expected: string;
  }): z.infer<S>;
}

/**
 * `result` with every response header value (and so the request id) redacted. Headers reach
 * messages and error fields (`X-VCAP-Request-ID`, `Content-Type`, `Retry-After`, `Location`),
 * and a proxy or a Cloud Controller that echoes the request's `X-VCAP-Request-ID` can echo
 * anything (CC `middleware/vcap_request_context_setter.rb`). Bodies are left
 * alone: they are data, and every message built from one redacts what it takes.
 */
function withRedactedHeaders(result: SendResult, redact: (text: string) => string): SendResult {
  const redactOptional = (value: string | undefined) =>
    value === undefined ? undefined : redact(value);
  const requestId = (value: string | undefined) =>
    value === undefined ? undefined : bounded(redact(value));
  if (result.kind === "tooLarge") return { ...result, requestId: requestId(result.requestId) };
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
      requestId: requestId(result.response.requestId),
    },
  };
}

/** Creates the HTTP layer. */
export function createHttpClient(deps: HttpClientDeps): HttpClient {
  const redact = deps.redactor.redact;

  const label = (spec: RequestSpec): RequestLabel => {
    const url = resolveUnderBase(spec.base, spec.path, spec.query);
    const query = spec.query?.toString() ?? "";
    const path = query === "" ? spec.path : `${spec.path}?${query}`;
    return { method: spec.method, path: bounded(redact(path)), url };
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

    fail(run) {
      return errorFromResult(run.result, label(run.spec), redact, {
        attempts: run.attempts,
        deadlineReached: run.deadlineBlockedDelayMs !== undefined,
        lastSeen: run.lastSeen,
        note: run.note,
      });
    },

    parse({ spec, response, schema, expected }) {
      return parseResponse(response, schema, label(spec), expected, redact);
    },
  };
}
