import { connect } from "node:net";

/** Where the engine's gRPC server listens, as the host was told on its command line. */
export interface EngineAddress {
  host: string;
  port: number;
}

/**
 * The engine address among the host's arguments: the engine appends it after its flags
 * (`ExecPlugin` in pulumi sdk/go/common/resource/plugin/plugin.go) and listens on 127.0.0.1
 * (`newHostServer` in pulumi pkg/host/host_server.go). Only a loopback address counts: a connect
 * to anything else could be slow or answered by someone else.
 */
export function engineAddressOf(argv: readonly string[]): EngineAddress | undefined {
  const match = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\]):(\d{1,5})$/.exec(argv.at(-1) ?? "");
  if (match === null) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: (match[1] ?? "").replace(/^\[|\]$/g, ""), port };
}

/** What one connect attempt came to. */
type ProbeResult = "listening" | "refused" | "unknown";

export interface EngineAddressWatchOptions {
  /** How long one connect attempt may take; a slower one proves nothing. @default 500 */
  connectTimeoutMs?: number;
  /** Least time between two connect attempts. @default 1000 */
  minIntervalMs?: number;
  now?: () => number;
}

/** Tells from connects to the engine's address whether its gRPC server has closed. */
export interface EngineAddressWatch {
  /**
   * Whether the engine's server, once seen listening, now refuses connections. Starts another
   * connect attempt in the background when the last one is old enough, so the answer lags one
   * attempt behind.
   */
  refused(): boolean;
}

/**
 * Connects once now, and later at most once per `minIntervalMs`. A refusal counts only after a
 * connect succeeded: a harness may pass an address nobody listens on (the host never dials it),
 * and the engine closes its server only after its plugins (`Close` in pulumi pkg/host/host.go), so
 * a refused connect to an address that once answered means the engine is gone. A timeout or any
 * other error proves nothing either way.
 */
export function watchEngineAddress(
  address: EngineAddress,
  options: EngineAddressWatchOptions = {},
): EngineAddressWatch {
  const { connectTimeoutMs = 500, minIntervalMs = 1000, now = Date.now } = options;
  let listening = false;
  let refused = false;
  let inFlight = false;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;

  const attempt = () => {
    inFlight = true;
    lastAttemptAt = now();
    const socket = connect({ host: address.host, port: address.port });
    socket.unref();
    socket.setTimeout(connectTimeoutMs);
    const settle = (result: ProbeResult) => {
      if (!inFlight) return;
      inFlight = false;
      socket.destroy();
      if (result === "listening") listening = true;
      if (result === "refused" && listening) refused = true;
    };
    socket.once("connect", () => settle("listening"));
    socket.once("timeout", () => settle("unknown"));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      settle(error.code === "ECONNREFUSED" ? "refused" : "unknown"),
    );
  };
  attempt();
  return {
    refused() {
      if (!refused && !inFlight && now() - lastAttemptAt >= minIntervalMs) attempt();
      return refused;
    },
  };
}
