import { setTimeout as delay } from "node:timers/promises";
import type { Dispatcher } from "undici";
import { parseBaseUrl } from "./base-url.js";
import { readCfCliConfig } from "./cf-cli-config.js";
import type { CloudFoundryClientOptions } from "./cloud-foundry-client-options.js";
import { CF_CLI_CLIENT_ID, type CredentialSource } from "./credential-source.js";
import { CloudFoundryConfigError, isCloudFoundryError } from "./errors.js";
import { stripBearer } from "./jwt.js";
import { DEFAULT_LATE_DELIVERY, type LateDeliveryOptions } from "./late-delivery.js";
import { type Logger, processWarningLogger } from "./logger.js";
import { DEFAULT_MAX_RESPONSE_BYTES } from "./read-bounded-body.js";
import type { ResolvedCredentials } from "./resolved-credentials.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-delay.js";

/** Waits `ms`; on abort rejects with the signal's reason (timers/promises would wrap it). */
async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal === undefined ? {} : { signal });
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    throw error;
  }
}

/** Client options with every default filled in and every value checked. */
export interface NormalizedClientOptions {
  apiBase: URL;
  /** UAA token endpoint base when known up front (cf CLI config); else discovered from `GET /`. */
  tokenBase: URL | undefined;
  credentials: ResolvedCredentials;
  skipSslValidation: boolean;
  caCertificates: string | undefined;
  allowInsecureHttp: boolean;
  dispatcher: Dispatcher | undefined;
  logger: Logger;
  retry: RetryPolicy;
  lateDelivery: LateDeliveryOptions;
  requestTimeoutMs: number;
  maxResponseBytes: number;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
}

function configError(setting: string, message: string): CloudFoundryConfigError {
  return new CloudFoundryConfigError(message, { setting });
}

function requireString(value: unknown, setting: string, what: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw configError(setting, `${setting} is missing or empty; give ${what}.`);
  }
  return value;
}

function optionalString(value: unknown, setting: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw configError(setting, `${setting} must be a non-empty string when given.`);
  }
  return value;
}

function positiveInteger(value: unknown, setting: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw configError(setting, `${setting} must be an integer of at least ${min}.`);
  }
  return value;
}

/** `lateDelivery` checked, with defaults filled in (also for a call's own `lateDelivery`). */
export function normalizeLateDelivery(
  value: Partial<LateDeliveryOptions> | undefined,
  fallback: LateDeliveryOptions = DEFAULT_LATE_DELIVERY,
): LateDeliveryOptions {
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw configError("lateDelivery", "lateDelivery must be an object when given.");
  }
  return {
    windowMs: positiveInteger(value?.windowMs, "lateDelivery.windowMs", fallback.windowMs, 0),
    pollIntervalMs: positiveInteger(
      value?.pollIntervalMs,
      "lateDelivery.pollIntervalMs",
      fallback.pollIntervalMs,
      100,
    ),
  };
}

function uaaClient(
  source: { clientId?: unknown; clientSecret?: unknown },
  prefix: string,
): { clientId: string; clientSecret: string } {
  const clientId = optionalString(source.clientId, `${prefix}.clientId`) ?? CF_CLI_CLIENT_ID;
  if (source.clientSecret !== undefined && typeof source.clientSecret !== "string") {
    throw configError(`${prefix}.clientSecret`, `${prefix}.clientSecret must be a string.`);
  }
  return { clientId, clientSecret: source.clientSecret ?? "" };
}

function resolveCredentials(source: CredentialSource): ResolvedCredentials {
  const p = "credentials";
  if (typeof source !== "object" || source === null) {
    throw configError(
      p,
      `${p} is required: one of accessToken, refreshToken, password, clientCredentials or cfCliConfig.`,
    );
  }
  switch (source.kind) {
    case "accessToken":
      return {
        kind: "accessToken",
        accessToken: stripBearer(
          requireString(source.accessToken, `${p}.accessToken`, "the access token"),
        ),
      };
    case "refreshToken":
      return {
        kind: "refreshToken",
        refreshToken: requireString(source.refreshToken, `${p}.refreshToken`, "the refresh token"),
        client: uaaClient(source, p),
      };
    case "password": {
      const resolved: ResolvedCredentials = {
        kind: "password",
        username: requireString(source.username, `${p}.username`, "the user name"),
        password: requireString(source.password, `${p}.password`, "the password"),
        client: uaaClient(source, p),
      };
      const origin = optionalString(source.origin, `${p}.origin`);
      if (origin !== undefined) resolved.origin = origin;
      return resolved;
    }
    case "clientCredentials":
      return {
        kind: "clientCredentials",
        client: {
          clientId: requireString(source.clientId, `${p}.clientId`, "the UAA client id"),
          clientSecret: requireString(
            source.clientSecret,
            `${p}.clientSecret`,
            "the client secret",
          ),
        },
      };
    case "cfCliConfig":
      return {
        kind: "cfCliConfig",
        config: readCfCliConfig(optionalString(source.cfHome, `${p}.cfHome`)),
      };
    default:
      throw configError(
        `${p}.kind`,
        `${p}.kind must be one of accessToken, refreshToken, password, clientCredentials or cfCliConfig.`,
      );
  }
}

/**
 * A base URL taken from the cf CLI's config.json, checked like a configured one. The error
 * names the file as well as the key: the user never typed that URL into this program.
 */
function cliConfigUrl(
  path: string,
  raw: string,
  key: "Target" | "AuthorizationEndpoint" | "UaaEndpoint",
  allowInsecureHttp: boolean,
): URL {
  try {
    return parseBaseUrl(raw, { setting: key, allowInsecureHttp });
  } catch (error) {
    if (!isCloudFoundryError(error, "CF_CONFIG_ERROR")) throw error;
    throw new CloudFoundryConfigError(
      `The cf CLI config ${path} has an unusable ${key}: ${error.summary}`,
      {
        setting: key,
        hint: [
          ...(error.hint === undefined ? [] : [error.hint]),
          "run `cf api` and `cf login` again, or pass the option instead",
        ],
      },
    );
  }
}

/**
 * Fills defaults and validates eagerly, so a mistake fails at construction
 * with a message that says what to change, before any request is sent.
 */
export function normalizeClientOptions(
  options: CloudFoundryClientOptions,
): NormalizedClientOptions {
  if (typeof options !== "object" || options === null) {
    throw configError(
      "options",
      "createCloudFoundryClient needs an options object with credentials.",
    );
  }
  const credentials = resolveCredentials(options.credentials);
  const allowInsecureHttp = options.allowInsecureHttp === true;
  const cliConfig = credentials.kind === "cfCliConfig" ? credentials.config : undefined;

  const apiUrl = options.apiUrl ?? cliConfig?.target;
  if (apiUrl === undefined) {
    throw configError(
      "apiUrl",
      cliConfig === undefined
        ? "apiUrl is required; give the Cloud Controller API URL, e.g. https://api.sys.example.com."
        : `apiUrl is not set and the cf CLI config ${cliConfig.path} has no Target; run \`cf api <url>\` or pass apiUrl.`,
    );
  }
  const apiBase =
    options.apiUrl === undefined && cliConfig !== undefined
      ? cliConfigUrl(cliConfig.path, apiUrl, "Target", allowInsecureHttp)
      : parseBaseUrl(apiUrl, { setting: "apiUrl", allowInsecureHttp });
  if (cliConfig?.target !== undefined && options.apiUrl !== undefined) {
    // The cf CLI's tokens were issued for the foundation of `cf api`; sending them to another API
    // would hand one foundation's credentials to another.
    const target = cliConfigUrl(cliConfig.path, cliConfig.target, "Target", allowInsecureHttp);
    if (target.origin !== apiBase.origin) {
      throw configError(
        "apiUrl",
        `apiUrl ${apiBase.origin} is not the API the cf CLI is logged in to (Target ${target.origin} in ${cliConfig.path}), so its tokens are not sent there; run \`cf api ${apiBase.origin}\` and \`cf login\`, or leave apiUrl unset to use the cf CLI's target.`,
      );
    }
  }

  // The cf CLI sends token requests to AuthorizationEndpoint (cf CLI `api/uaa/internal/routes.go`).
  const tokenUrl = cliConfig?.authorizationEndpoint ?? cliConfig?.uaaEndpoint;
  const tokenBase =
    tokenUrl === undefined || cliConfig === undefined
      ? undefined
      : cliConfigUrl(
          cliConfig.path,
          tokenUrl,
          cliConfig.authorizationEndpoint === undefined ? "UaaEndpoint" : "AuthorizationEndpoint",
          allowInsecureHttp,
        );

  if (options.skipSslValidation !== undefined && typeof options.skipSslValidation !== "boolean") {
    throw configError("skipSslValidation", "skipSslValidation must be true or false.");
  }
  const skipSslValidation = options.skipSslValidation ?? cliConfig?.sslDisabled ?? false;
  const caCertificates = optionalString(options.caCertificates, "caCertificates");
  if (caCertificates !== undefined && !caCertificates.includes("-----BEGIN CERTIFICATE-----")) {
    throw configError(
      "caCertificates",
      "caCertificates must be a PEM bundle (-----BEGIN CERTIFICATE----- …).",
    );
  }
  if (
    options.dispatcher !== undefined &&
    (options.skipSslValidation === true || caCertificates !== undefined)
  ) {
    throw configError(
      "dispatcher",
      "skipSslValidation and caCertificates cannot be applied to an injected dispatcher; set the TLS options on that dispatcher instead.",
    );
  }

  const retryOptions = options.retry ?? {};
  const retry: RetryPolicy = {
    maxAttempts: positiveInteger(
      retryOptions.maxAttempts,
      "retry.maxAttempts",
      DEFAULT_RETRY_POLICY.maxAttempts,
    ),
    baseDelayMs: positiveInteger(
      retryOptions.baseDelayMs,
      "retry.baseDelayMs",
      DEFAULT_RETRY_POLICY.baseDelayMs,
      0,
    ),
    maxDelayMs: positiveInteger(
      retryOptions.maxDelayMs,
      "retry.maxDelayMs",
      DEFAULT_RETRY_POLICY.maxDelayMs,
      0,
    ),
    maxRetryAfterMs: positiveInteger(
      retryOptions.maxRetryAfterMs,
      "retry.maxRetryAfterMs",
      DEFAULT_RETRY_POLICY.maxRetryAfterMs,
      0,
    ),
  };

  return {
    apiBase,
    tokenBase,
    credentials,
    skipSslValidation,
    caCertificates,
    allowInsecureHttp,
    dispatcher: options.dispatcher,
    logger: options.logger ?? processWarningLogger,
    retry,
    lateDelivery: normalizeLateDelivery(options.lateDelivery),
    requestTimeoutMs: positiveInteger(options.requestTimeoutMs, "requestTimeoutMs", 30_000),
    maxResponseBytes: positiveInteger(
      options.maxResponseBytes,
      "maxResponseBytes",
      DEFAULT_MAX_RESPONSE_BYTES,
    ),
    now: options.now ?? Date.now,
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
  };
}
