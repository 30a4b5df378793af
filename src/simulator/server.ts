import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { readAuthentication } from "./authenticate.js";
import { cfErrors } from "./cf-error.js";
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
import { HeldRequests } from "./http/held-requests.js";
import { readBody } from "./http/read-body.js";
import { vcapRequestId } from "./http/request-id.js";
import { RequestLog } from "./http/request-log.js";
import { errorResponse, faultResponse, logUnexpected, send } from "./http/respond.js";
import { apiRoutes, controlRoutes, UAA_PREFIX } from "./http/routes.js";
import { createSelfSignedCertificate } from "./http/self-signed-certificate.js";
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
  let closed = false;
  const connections = new WeakMap<object, number>();
  let lastConnection = 0;
  const connectionNumber = (socket: object): number => {
    const known = connections.get(socket);
    if (known !== undefined) return known;
    lastConnection += 1;
    connections.set(socket, lastConnection);
    return lastConnection;
  };
  const held = new HeldRequests();
  let context: SimulatorContext | undefined;

  async function dispatch(
    ctx: SimulatorContext,
    handler: Handler | undefined,
    request: Omit<SimRequest, "body" | "params">,
    body: Promise<Buffer>,
    params: Record<string, string>,
  ): Promise<SimResponse> {
    const bytes = await body;
    if (handler === undefined) throw cfErrors.unknownRequest();
    return await handler({ ...request, body: bytes, params }, ctx);
  }

  async function handle(
    ctx: SimulatorContext,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const arrived = opts.now();
    // `Date` on the simulator's own clock, as a Cloud Controller's Date and its timestamps share one.
    res.setHeader("Date", new Date(arrived).toUTCString());
    const method = (req.method ?? "GET").toUpperCase();
    res.setHeader("X-VCAP-Request-ID", vcapRequestId(req.headers));
    // Split the request target by hand: `new URL("//host/v3", base)` would read a host from it.
    const target = req.url ?? "/";
    const queryStart = target.indexOf("?");
    const path = queryStart < 0 ? target : target.slice(0, queryStart);
    const searchParams = new URLSearchParams(queryStart < 0 ? "" : target.slice(queryStart + 1));
    // The body is read on arrival, as a router forwards it whole: a request held by a fault
    // stays complete even when its client hangs up meanwhile.
    const body = readBody(req);
    body.catch(() => undefined);
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
        await dispatch(ctx, match?.handler, common, body, match?.params ?? {}).catch(errorResponse),
      );
      return;
    }

    const fault = faults.take(method, path);
    const log = (status: number) => {
      const clientGone = req.socket.destroyed && status !== 0;
      requestLog.record({
        method,
        path,
        query: Object.fromEntries(searchParams),
        status,
        time: new Date(arrived).toISOString(),
        connection: connectionNumber(req.socket),
        ...(fault?.holdMs === undefined ? {} : { held: true as const }),
        ...(clientGone ? { clientGone: true as const } : {}),
      });
      if (opts.logRequests) {
        const gone = clientGone ? " (client gone)" : "";
        process.stderr.write(`cf-capi-sim: ${method} ${target} → ${status || "reset"}${gone}\n`);
      }
    };
    const wait = fault?.holdMs ?? fault?.delayMs ?? 0;
    if (wait > 0) {
      const hold = held.hold({ method, path, arrived: new Date(arrived).toISOString() }, wait, {
        releasable: fault?.holdMs !== undefined,
        isClientConnected: () => !req.socket.destroyed,
      });
      try {
        if (!(await hold.released)) {
          req.socket.destroy();
          return;
        }
        await answer(ctx, req, res, { ...common, body }, fault, log);
      } finally {
        hold.finished();
      }
      return;
    }
    await answer(ctx, req, res, { ...common, body }, fault, log);
  }

  /** Handles an API or UAA request as its fault says, answers it and logs it once. */
  async function answer(
    ctx: SimulatorContext,
    req: IncomingMessage,
    res: ServerResponse,
    common: Omit<SimRequest, "body" | "params"> & { body: Promise<Buffer> },
    fault: FaultRule | undefined,
    log: (status: number) => void,
  ): Promise<void> {
    const reset = () => {
      log(0);
      req.socket.destroy();
    };
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
        rateLimiter === undefined || isUaaPath(common.path)
          ? {}
          : limitRequest(rateLimiter, {
              target: req.url ?? "",
              path: common.path,
              address: req.socket.remoteAddress ?? "unknown",
              authentication,
            });
      const match = api.match(common.method, common.path);
      response = await dispatch(
        ctx,
        match?.handler,
        { ...common, authentication },
        common.body,
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

  const listener: RequestListener = (req, res) => {
    // `context` is set as soon as listen() resolves, in a microtask before any connection event.
    const ctx = context;
    if (ctx === undefined) {
      send(res, errorResponse(cfErrors.unknownError()));
      return;
    }
    handle(ctx, req, res).catch((error: unknown) => {
      send(res, errorResponse(error));
    });
  };
  // A certificate made at start, for the loopback names only: HTTPS here is for testing clients.
  const certificate = opts.tls ? createSelfSignedCertificate() : undefined;
  const server =
    certificate === undefined
      ? createServer(listener)
      : createTlsServer({ cert: certificate.cert, key: certificate.key }, listener);
  // Node closes an idle keep-alive connection after 5 s, sooner than a client polling every 5 s
  // comes back; gorouter in front of a real Cloud Controller keeps them far longer
  // (routing-release jobs/gorouter/spec `router.frontend_idle_timeout`).
  server.keepAliveTimeout = 90_000;

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
  const url = `${certificate === undefined ? "http" : "https"}://${host}:${address.port}`;
  const uaaUrl = `${url}${UAA_PREFIX}`;
  const tokens = new TokenService(store, opts.tokenTtlSeconds, `${uaaUrl}/oauth/token`);
  const info: SimulatorInfo = {
    url,
    uaaUrl,
    ...seedResult,
    ...(certificate === undefined ? {} : { caCertificate: certificate.cert }),
  };

  const tick = () => runUpdaterTick(store);
  context = {
    store,
    tokens,
    faults,
    held,
    requestLog,
    rateLimiter,
    url,
    uaaUrl,
    tick,
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
    control: createSimulatorControl(url, certificate?.cert),
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (closed) {
          resolve();
          return;
        }
        closed = true;
        if (interval !== undefined) clearInterval(interval);
        held.dropAll();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
