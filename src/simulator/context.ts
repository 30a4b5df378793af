import type { IncomingHttpHeaders } from "node:http";
import type { FaultRegistry } from "./faults.js";
import type { HeldRequests } from "./http/held-requests.js";
import type { RequestLog } from "./http/request-log.js";
import type { RateLimiter } from "./rate-limiter.js";
import type { SimulatorInfo } from "./simulator-types.js";
import type { Store } from "./store.js";
import type { Principal, TokenService } from "./token-service.js";

/** What the `Authorization` header amounts to, decided once per request. */
export type Authentication =
  | { kind: "none" }
  | { kind: "basic" }
  | { kind: "invalid" }
  | { kind: "valid"; principal: Principal };

/** A parsed request as handlers see it. */
export interface SimRequest {
  method: string;
  /** The URL path without the query. */
  path: string;
  query: URLSearchParams;
  /** `:name` segments of the matched route. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The raw body (bounded). */
  body: Buffer;
  authentication: Authentication;
}

/** A handler's answer; `body` is sent as JSON, `text` verbatim, neither means an empty body. */
export interface SimResponse {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

/** Everything a handler may touch. */
export interface SimulatorContext {
  store: Store;
  tokens: TokenService;
  faults: FaultRegistry;
  held: HeldRequests;
  requestLog: RequestLog;
  rateLimiter: RateLimiter | undefined;
  /** API root URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** UAA base URL (`${url}/uaa`). */
  uaaUrl: string;
  /** Runs one updater tick. */
  tick(): void;
  /** The start-up document (URLs, credentials, seeded GUIDs). */
  info(): SimulatorInfo;
}

/** A route handler. */
export type Handler = (
  request: SimRequest,
  context: SimulatorContext,
) => SimResponse | Promise<SimResponse>;
