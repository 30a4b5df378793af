import { abortable } from "../shared/abortable.js";
import {
  type CloudFoundryApiError,
  CloudFoundryAuthError,
  isCloudFoundryError,
  type RequestContext,
} from "./errors.js";
import { jwtExpiresAt } from "./jwt.js";
import type { Logger } from "./logger.js";
import type { Redactor } from "./redactor.js";
import {
  credentialAdvice,
  describeCredentials,
  type ResolvedCredentials,
} from "./resolved-credentials.js";
import type { UaaTokenResponse } from "./schemas.js";
import {
  clientCredentialsGrant,
  passwordGrant,
  refreshTokenGrant,
  type UaaGrant,
} from "./uaa-grant.js";

/**
 * Refresh when the token expires within this margin, as the cf CLI does before every request
 * (cf CLI `api/cloudcontroller/wrapper/uaa_authentication.go`).
 */
const REFRESH_MARGIN_MS = 60_000;

/** What a token source needs from the rest of the client. */
export interface TokenSourceDeps {
  /** Injected clock, epoch milliseconds. */
  now(): number;
  /** Sends one grant to UAA's token endpoint (with retries); rejects with the family's errors. */
  requestToken(grant: UaaGrant): Promise<UaaTokenResponse>;
  /** Every token obtained is registered here before it is used. */
  redactor: Redactor;
  /** Debug lines about refreshes (never with a token). */
  logger: Logger;
}

/** Caches an access token and renews it: before expiry, single-flight, once after a 401. */
export interface TokenSource {
  /** Which credential source is in use (no secrets). */
  readonly description: string;
  /** Whether a new token can be obtained (not for a static access token). */
  readonly refreshable: boolean;
  /**
   * A token that is not within {@link REFRESH_MARGIN_MS} of expiry. When a refresh is needed,
   * concurrent callers share one UAA request. `signal` only stops this caller's wait.
   */
  getToken(signal?: AbortSignal): Promise<string>;
  /** Forgets `token` after the Cloud Controller refused it, so the next call gets a new one. */
  invalidate(token: string): void;
  /**
   * The error for a Cloud Controller 401 that a refresh cannot (or did not) cure; `outcome` is
   * the response in short, e.g. `401 CF-InvalidAuthToken (1000): Invalid Auth Token`.
   */
  rejected(context: RequestContext & { status: number; outcome: string }): CloudFoundryAuthError;
}

interface CachedToken {
  accessToken: string;
  /** Epoch ms, from the JWT's `exp` or else the response's `expires_in`; undefined if unknown. */
  expiresAt: number | undefined;
}

/**
 * The grants to try, in order, to get a new token. A password login first tries its refresh
 * token and falls back to the password; a cf CLI login refreshes like the CLI (refresh token
 * with its client, or client credentials after `cf auth --client-credentials`).
 */
function grantsFor(credentials: ResolvedCredentials, refreshToken: string | undefined): UaaGrant[] {
  switch (credentials.kind) {
    case "accessToken":
      return [];
    case "refreshToken":
      return [refreshTokenGrant(refreshToken ?? credentials.refreshToken, credentials.client)];
    case "password": {
      const password = passwordGrant(
        credentials.username,
        credentials.password,
        credentials.client,
        credentials.origin,
      );
      return refreshToken === undefined
        ? [password]
        : [refreshTokenGrant(refreshToken, credentials.client), password];
    }
    case "clientCredentials":
      return [clientCredentialsGrant(credentials.client.clientId, credentials.client.clientSecret)];
    case "cfCliConfig": {
      const { config } = credentials;
      if (config.grantType === "client_credentials") {
        return [clientCredentialsGrant(config.clientId, config.clientSecret)];
      }
      const client = { clientId: config.clientId, clientSecret: config.clientSecret };
      return refreshToken === undefined ? [] : [refreshTokenGrant(refreshToken, client)];
    }
  }
}

/** Whether UAA refused the grant itself (as opposed to being unreachable or broken). */
function isGrantRefused(error: unknown): error is CloudFoundryApiError {
  return isCloudFoundryError(error, "CF_API_ERROR") && [400, 401].includes(error.status);
}

/** Creates the token source for `credentials`. */
export function createTokenSource(
  credentials: ResolvedCredentials,
  deps: TokenSourceDeps,
): TokenSource {
  const description = describeCredentials(credentials);
  const advice = credentialAdvice(credentials);
  const source = { credentialSource: description, credentialKind: credentials.kind };
  let refreshToken: string | undefined =
    credentials.kind === "refreshToken"
      ? credentials.refreshToken
      : credentials.kind === "cfCliConfig"
        ? credentials.config.refreshToken
        : undefined;
  const initial =
    credentials.kind === "accessToken"
      ? credentials.accessToken
      : credentials.kind === "cfCliConfig"
        ? credentials.config.accessToken
        : undefined;
  let current: CachedToken | undefined =
    initial === undefined ? undefined : { accessToken: initial, expiresAt: jwtExpiresAt(initial) };
  let inflight: Promise<string> | undefined;
  const refreshable = grantsFor(credentials, refreshToken).length > 0;

  const fresh = (token: CachedToken): boolean =>
    token.expiresAt === undefined || token.expiresAt - deps.now() > REFRESH_MARGIN_MS;

  async function obtain(): Promise<string> {
    const grants = grantsFor(credentials, refreshToken);
    for (const [index, grant] of grants.entries()) {
      try {
        deps.logger.debug?.(
          `Requesting a token from UAA (${grant.grantType}) for the ${description}.`,
        );
        const response = await deps.requestToken(grant);
        deps.redactor.add(response.access_token);
        deps.redactor.add(response.refresh_token);
        if (response.refresh_token !== undefined) refreshToken = response.refresh_token;
        const expiresAt =
          jwtExpiresAt(response.access_token) ??
          (response.expires_in === undefined ? undefined : deps.now() + response.expires_in * 1000);
        current = { accessToken: response.access_token, expiresAt };
        return response.access_token;
      } catch (error) {
        if (!isGrantRefused(error)) throw error;
        if (grant.grantType === "refresh_token") refreshToken = undefined;
        if (index < grants.length - 1) continue;
        const { status, method, path, requestId, detail, title } = error;
        const why = [title, detail].filter((part) => part !== undefined).join(": ");
        throw new CloudFoundryAuthError(
          `UAA refused the ${description}: ${method ?? "POST"} ${path ?? "/oauth/token"} (${grant.grantType} grant) → ${status}${why === "" ? "" : ` ${why}`}`,
          { ...source, hint: advice, status, method, path, requestId, cause: error },
        );
      }
    }
    throw new CloudFoundryAuthError(
      `The ${description} has no usable token and nothing to refresh it with`,
      { ...source, hint: advice },
    );
  }

  return {
    description,
    refreshable,
    async getToken(signal?: AbortSignal): Promise<string> {
      if (current !== undefined && (fresh(current) || !refreshable)) {
        if (!refreshable && current.expiresAt !== undefined && current.expiresAt <= deps.now()) {
          throw new CloudFoundryAuthError(
            `The ${description} expired at ${new Date(current.expiresAt).toISOString()}`,
            { ...source, hint: advice },
          );
        }
        return current.accessToken;
      }
      if (inflight === undefined) {
        inflight = obtain().finally(() => {
          inflight = undefined;
        });
      }
      return abortable(inflight, signal);
    },
    invalidate(token: string): void {
      if (current?.accessToken === token && refreshable) current = undefined;
    },
    rejected(context): CloudFoundryAuthError {
      const what = refreshable
        ? `even with a new token from the ${description}`
        : `and the ${description} cannot be refreshed`;
      return new CloudFoundryAuthError(
        `${context.method} ${context.path} → ${context.outcome}, ${what}`,
        {
          ...source,
          hint: advice,
          method: context.method,
          path: context.path,
          requestId: context.requestId,
          status: context.status,
        },
      );
    },
  };
}
