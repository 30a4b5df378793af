import { rootCertificates } from "node:tls";
import { Agent, type Dispatcher } from "undici";
import type { Logger } from "./logger.js";

/** Options of {@link createDispatcher}. */
export interface DispatcherOptions {
  /** Accept any server certificate. @default false */
  skipSslValidation?: boolean | undefined;
  /** Extra trusted CAs (PEM bundle), added to Node's defaults. */
  caCertificates?: string | undefined;
  /** Per-attempt headers and body timeout. @default 30000 */
  requestTimeoutMs?: number | undefined;
  /** TCP connect timeout. @default 10000 */
  connectTimeoutMs?: number | undefined;
  /** Most sockets per origin (keep-alive pool size). @default 8 */
  connections?: number | undefined;
  /**
   * How long an idle keep-alive socket stays open when the server gives no `Keep-Alive: timeout`
   * (a hint, less 2 s, wins). Longer than a poll interval, so waits reuse one connection.
   * @default 15000
   */
  keepAliveTimeoutMs?: number | undefined;
}

/**
 * The client's own undici `Agent`: a keep-alive pool per origin with bounded connections and
 * connect/headers/body timeouts, and the TLS settings. Library code never touches undici's
 * global dispatcher, which belongs to the application.
 */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const connect: { rejectUnauthorized: boolean; ca?: string[] } = {
    rejectUnauthorized: options.skipSslValidation !== true,
  };
  if (options.caCertificates !== undefined) {
    // `ca` replaces Node's trust store; keep the public roots so a custom bundle only adds.
    connect.ca = [...rootCertificates, options.caCertificates];
  }
  return new Agent({
    connections: options.connections ?? 8,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 15_000,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    headersTimeout: requestTimeoutMs,
    bodyTimeout: requestTimeoutMs,
    connect,
  });
}

/**
 * The dispatcher a client sends through: the injected one (left open on close, since the caller
 * owns it), or an own one with the TLS options, warned about when certificates go unchecked.
 */
export function clientDispatcher(config: {
  dispatcher: Dispatcher | undefined;
  skipSslValidation: boolean;
  caCertificates: string | undefined;
  requestTimeoutMs: number;
  apiBase: URL;
  logger: Logger;
}): { dispatcher: Dispatcher; close(): Promise<void> } {
  const injected = config.dispatcher;
  if (injected !== undefined) return { dispatcher: injected, close: async () => {} };
  const dispatcher = createDispatcher({
    skipSslValidation: config.skipSslValidation,
    caCertificates: config.caCertificates,
    requestTimeoutMs: config.requestTimeoutMs,
  });
  if (config.skipSslValidation) {
    config.logger.warn(
      `TLS certificate verification is off for ${config.apiBase.origin} (skipSslValidation); anyone on the network path can read the credentials. Prefer caCertificates.`,
    );
  }
  return { dispatcher, close: () => dispatcher.close() };
}
