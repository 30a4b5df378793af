import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readAuthentication } from "./authenticate.js";
import { CfError, cfErrors } from "./cf-error.js";
import type {
  Authentication,
  Handler,
  SimRequest,
  SimResponse,
  SimulatorContext,
} from "./context.js";
import { createSimulatorControl } from "./control-client.js";
import { runUpdaterTick } from "./deployments/deployment-updater.js";
import { FaultRegistry, type FaultRule } from "./faults.js";
import { readBody } from "./http/read-body.js";
import { vcapRequestId } from "./http/request-id.js";
import { RequestLog } from "./http/request-log.js";
import { apiRoutes, controlRoutes, UAA_PREFIX } from "./http/routes.js";
import { limitRequest, RateLimiter } from "./rate-limiter.js";
import { applySeed } from "./seeds.js";
import { normalizeSimulatorOptions, type SimulatorOptions } from "./simulator-options.js";
import type { SimulatorHandle, SimulatorInfo } from "./simulator-types.js";
import { Store } from "./store.js";
import { TokenService } from "./token-service.js";

function isLoopback(address: string | undefined): boolean {
  return (
    address !== undefined &&
    (address.startsWith("127.") || address === "::1" || address.startsWith("::ffff:127."))
  );
}

function isUaaPath(path: string): boolean {
  return path === "/oauth/token" || path === UAA_PREFIX || path.startsWith(`${UAA_PREFIX}/`);
}

function send(res: ServerResponse, response: SimResponse): void {
  if (res.destroyed || res.headersSent) return;
  let payload: Buffer = Buffer.alloc(0);
  const headers: Record<string, string> = {};
  if (response.status !== 204 && response.text !== undefined) {
    payload = Buffer.from(response.text);
    headers["Content-Type"] = "text/plain; charset=utf-8";
  } else if (response.status !== 204 && response.body !== undefined) {
    payload = Buffer.from(JSON.stringify(response.body));
    headers["Content-Type"] = "application/json; charset=utf-8";
  }
  Object.assign(headers, response.headers);
  headers["Content-Length"] = String(payload.length);
  res.writeHead(response.status, headers);
  res.end(payload);
}

function logUnexpected(error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`cf-capi-sim: unexpected error: ${text}\n`);
}

function errorResponse(error: unknown): SimResponse {
  if (error instanceof CfError) {
    return { status: error.status, body: error.toBody(), headers: { ...error.headers } };
  }
  logUnexpected(error);
  const unknown = cfErrors.unknownError();
  return { status: unknown.status, body: unknown.toBody() };
}

function faultResponse(rule: FaultRule): SimResponse {
  const response: SimResponse = { status: rule.status ?? 500, headers: { ...rule.headers } };
  if (typeof rule.body === "string") response.text = rule.body;
  else if (rule.body !== undefined) response.body = rule.body;
  return response;
}

/**
 * Starts a Cloud Controller V3 + UAA simulator on a real `node:http` server.
 *
 * Each request runs: `/_sim/` control routes (loopback only, never logged, limited or faulted);
 * otherwise fault injection, the rate limiter (CC middleware order: before routing), the route
 * table, and one request-log entry. Every failure is a CF error envelope; nothing a request does
 * can crash the server (unexpected errors become 500 `UnknownError` 10001 and go to stderr).
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const opts = normalizeSimulatorOptions(options);
  const store = new Store(opts.now);
  const seedResult = applySeed(store, opts.seed);
  const faults = new FaultRegistry();
  const requestLog = new RequestLog();
  const rateLimiter =
    opts.rateLimit === undefined ? undefined : new RateLimiter(opts.rateLimit, opts.now);
  const api = apiRoutes();
  const controls = controlRoutes();
  let ticks = 0;
  let closed = false;
  const timers = new Set<NodeJS.Timeout>();
  let context: SimulatorContext | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function dispatch(
    ctx: SimulatorContext,
    handler: Handler | undefined,
    request: Omit<SimRequest, "body" | "params">,
    req: IncomingMessage,
    params: Record<string, string>,
  ): Promise<SimResponse> {
    const body = await readBody(req);
    if (handler === undefined) throw cfErrors.unknownRequest();
    return await handler({ ...request, body, params }, ctx);
  }

  async function handle(
    ctx: SimulatorContext,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const arrived = opts.now();
    const method = (req.method ?? "GET").toUpperCase();
    res.setHeader("X-VCAP-Request-ID", vcapRequestId(req.headers));
    // Split the request target by hand: `new URL("//host/v3", base)` would read a host from it.
    const target = req.url ?? "/";
    const queryStart = target.indexOf("?");
    const path = queryStart < 0 ? target : target.slice(0, queryStart);
    const searchParams = new URLSearchParams(queryStart < 0 ? "" : target.slice(queryStart + 1));
    const common = {
      method,
      path,
      query: searchParams,
      headers: req.headers,
      authentication: { kind: "none" } as Authentication,
    };

    if (path === "/_sim" || path.startsWith("/_sim/")) {
      if (!isLoopback(req.socket.remoteAddress)) {
        send(res, errorResponse(cfErrors.notAuthorized()));
        return;
      }
      const match = controls.match(method, path);
      send(
        res,
        await dispatch(ctx, match?.handler, common, req, match?.params ?? {}).catch(errorResponse),
      );
      return;
    }

    const log = (status: number) => {
      requestLog.record({
        method,
        path,
        query: Object.fromEntries(searchParams),
        status,
        time: new Date(arrived).toISOString(),
      });
      if (opts.logRequests) {
        process.stderr.write(`cf-capi-sim: ${method} ${req.url ?? path} → ${status || "reset"}\n`);
      }
    };
    const reset = () => {
      log(0);
      req.socket.destroy();
    };

    const fault = faults.take(method, path);
    if (fault?.delayMs !== undefined && fault.delayMs > 0) await sleep(fault.delayMs);
    if (closed) return;
    if (fault?.reset === "before") {
      reset();
      return;
    }
    if (fault?.status !== undefined) {
      const response = faultResponse(fault);
      send(res, response);
      log(response.status);
      return;
    }

    let response: SimResponse;
    try {
      const authentication = readAuthentication(req.headers.authorization, ctx.tokens);
      const limitHeaders =
        rateLimiter === undefined || isUaaPath(path)
          ? {}
          : limitRequest(rateLimiter, {
              target: req.url ?? "",
              path,
              address: req.socket.remoteAddress ?? "unknown",
              authentication,
            });
      const match = api.match(method, path);
      response = await dispatch(
        ctx,
        match?.handler,
        { ...common, authentication },
        req,
        match?.params ?? {},
      );
      response = { ...response, headers: { ...limitHeaders, ...response.headers } };
    } catch (error) {
      response = errorResponse(error);
    }
    if (fault?.headers !== undefined) {
      response = { ...response, headers: { ...response.headers, ...fault.headers } };
    }
    if (fault?.reset === "after") {
      reset();
      return;
    }
    send(res, response);
    log(response.status);
  }

  const server = createServer((req, res) => {
    // `context` is set as soon as listen() resolves, in a microtask before any connection event.
    const ctx = context;
    if (ctx === undefined) {
      send(res, errorResponse(cfErrors.unknownError()));
      return;
    }
    handle(ctx, req, res).catch((error: unknown) => {
      send(res, errorResponse(error));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host =
    address.address === "0.0.0.0" || address.address === "::"
      ? "127.0.0.1"
      : address.family === "IPv6"
        ? `[${address.address}]`
        : address.address;
  const url = `http://${host}:${address.port}`;
  const uaaUrl = `${url}${UAA_PREFIX}`;
  const tokens = new TokenService(store, opts.tokenTtlSeconds, `${uaaUrl}/oauth/token`);
  const info: SimulatorInfo = { url, uaaUrl, ...seedResult };

  const tick = () => {
    ticks += 1;
    runUpdaterTick(store);
  };
  context = {
    store,
    tokens,
    faults,
    requestLog,
    rateLimiter,
    url,
    uaaUrl,
    tick,
    ticks: () => ticks,
    info: () => info,
  };

  let interval: NodeJS.Timeout | undefined;
  if (opts.tickMs > 0) {
    interval = setInterval(() => {
      try {
        tick();
      } catch (error) {
        logUnexpected(error);
      }
    }, opts.tickMs);
    interval.unref();
  }

  return {
    ...info,
    control: createSimulatorControl(url),
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (closed) {
          resolve();
          return;
        }
        closed = true;
        if (interval !== undefined) clearInterval(interval);
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
