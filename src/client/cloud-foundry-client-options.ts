import type { Dispatcher } from "undici";
import type { CredentialSource } from "./credential-source.js";
import type { LateDeliveryOptions } from "./late-delivery.js";
import type { Logger } from "./logger.js";
import type { ResponseMeta } from "./response-meta.js";
import type { RetryPolicy } from "./retry-delay.js";

/** Options of `createCloudFoundryClient`. Everything but `credentials` has a default. */
export interface CloudFoundryClientOptions {
  /**
   * The Cloud Controller API URL, e.g. `https://api.sys.example.com`. Every request URL is built
   * from it (never from `links` in responses). Required unless `credentials` is `cfCliConfig`,
   * whose `Target` is then used.
   */
  apiUrl?: string;
  /** Where the access token comes from; see {@link CredentialSource}. */
  credentials: CredentialSource;
  /**
   * Accept any TLS certificate. Only when asked for; warned about once through `logger`. A cf CLI
   * login made with `cf api --skip-ssl-validation` (`SSLDisabled`) turns it on unless this is
   * set explicitly. @default false
   */
  skipSslValidation?: boolean;
  /** Extra trusted certificate authorities, a PEM bundle (added to Node's defaults). */
  caCertificates?: string;
  /** Allow `http://` to a host that is not loopback (credentials would travel unencrypted). @default false */
  allowInsecureHttp?: boolean;
  /**
   * The undici dispatcher to send through; the caller keeps ownership (`close()` leaves it
   * open). TLS options cannot be applied to it. @default an own keep-alive `Agent` (8 connections
   * per origin, 10 s connect timeout), closed by `close()`
   */
  dispatcher?: Dispatcher;
  /** Receives `X-Cf-Warnings`, the TLS warning, and debug lines (all redacted). @default process warnings */
  logger?: Logger;
  /** Retry policy for idempotent requests and verified re-sends. @default see `DEFAULT_RETRY_POLICY` */
  retry?: Partial<RetryPolicy>;
  /**
   * How long a continue or cancel whose outcome is unknown (a timeout, a reset after it was
   * written, a proxy's 5xx) is watched for it to land; it is never sent again. @default see
   * `DEFAULT_LATE_DELIVERY` (60 s, a read every 5 s)
   */
  lateDelivery?: Partial<LateDeliveryOptions>;
  /** Per-attempt timeout for response headers and between body chunks. @default 30000 */
  requestTimeoutMs?: number;
  /** Largest response body read; a larger one fails with `CF_RESPONSE_ERROR`. @default 8388608 (8 MiB) */
  maxResponseBytes?: number;
  /** Clock, epoch milliseconds. @default Date.now */
  now?: () => number;
  /** Waits between retries; must reject with `signal.reason` on abort. @default timers/promises setTimeout */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
}

/** Per-operation options. */
export interface CallOptions {
  /** Cancels the operation; it rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Epoch milliseconds (by the client's clock) after which the operation fails with `CF_TIMEOUT`. */
  deadline?: number;
  /**
   * Told of every HTTP answer the call gets (retries and read-backs included): its times on the
   * client's clock, the server's `Date` and the rate-limit headers, for callers that pace
   * themselves.
   */
  onResponse?: (meta: ResponseMeta) => void;
}
