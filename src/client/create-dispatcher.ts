import { rootCertificates } from "node:tls";
import { Agent, type Dispatcher } from "undici";

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
  /** How long an idle keep-alive socket stays open. @default 4000 */
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
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    headersTimeout: requestTimeoutMs,
    bodyTimeout: requestTimeoutMs,
    connect,
  });
}
