import { parseBaseUrl } from "./base-url.js";
import { CloudFoundryResponseError, CloudFoundryTimeoutError } from "./errors.js";
import type { HttpClient, RequestSpec } from "./http-client.js";
import { actorGuidOf } from "./jwt.js";
import type { Logger } from "./logger.js";
import type { Redactor } from "./redactor.js";
import type { AuthorizeHook, Request } from "./request.js";
import { jsonBody } from "./request.js";
import type { ResolvedCredentials } from "./resolved-credentials.js";
import { describeResult } from "./response-errors.js";
import { type RootDocument, UaaTokenResponseSchema } from "./schemas.js";
import { isUnauthorized, type SendResult } from "./send-request.js";
import { createTokenSource } from "./token-source.js";
import { basicAuthorization, type UaaGrant } from "./uaa-grant.js";
import type { OperationBudget } from "./with-retry.js";

/** What the auth hook needs from the client. */
export interface UaaAuthDeps {
  credentials: ResolvedCredentials;
  /** The UAA token endpoint base when known up front (cf CLI config); else from `GET /`. */
  tokenBase: URL | undefined;
  allowInsecureHttp: boolean;
  /** `GET /`, unauthenticated; its `login` (or `uaa`) link names the token endpoint. */
  getRoot(): Promise<RootDocument>;
  request: Request;
  http: HttpClient;
  now(): number;
  redactor: Redactor;
  logger: Logger;
}

/** The client's UAA authentication: the token source plus the hook that authorizes requests. */
export interface UaaAuth {
  /** Which credential source is in use (no secrets). */
  readonly description: string;
  /** Sends one attempt with a token; a 401 gets one new token and one re-send. */
  readonly authorize: AuthorizeHook;
  /**
   * The actor guid in the token `spec` would be sent with (getting one if needed), or
   * `undefined` when the token is no JWT.
   */
  actorGuid(spec: RequestSpec, budget: OperationBudget): Promise<string | undefined>;
}

/** Creates the auth hook for `deps.credentials`. */
export function createUaaAuth(deps: UaaAuthDeps): UaaAuth {
  const { http, redactor, logger } = deps;

  // The token endpoint: from the cf CLI config, or the root document's login link (the cf CLI
  // posts to `<login>/oauth/token`, cf CLI `api/uaa/internal/routes.go`), checked like a
  // configured URL.
  let tokenBase: Promise<URL> | undefined;
  const tokenEndpointBase = (): Promise<URL> => {
    if (deps.tokenBase !== undefined) return Promise.resolve(deps.tokenBase);
    tokenBase ??= deps.getRoot().then((root) => {
      const href = root.links.login?.href ?? root.links.uaa?.href;
      if (href === undefined) {
        throw new CloudFoundryResponseError(
          `GET / → 200 with a root document that names no login or uaa link, so there is no UAA to get a token from`,
          { method: "GET", path: "/", status: 200, fieldPath: "links.login", hint: "check apiUrl" },
        );
      }
      return parseBaseUrl(href, {
        setting: "links.login.href of GET /",
        allowInsecureHttp: deps.allowInsecureHttp,
      });
    });
    tokenBase.catch(() => {
      tokenBase = undefined;
    });
    return tokenBase;
  };

  const requestToken = async (grant: UaaGrant) => {
    const headers: Record<string, string> = {
      "content-type": "application/x-www-form-urlencoded",
    };
    if (grant.basicAuth !== undefined) {
      const authorization = basicAuthorization(grant.basicAuth);
      // The base64 of `client:secret` carries the secret; UAA or a proxy may echo it bare.
      if (grant.basicAuth.clientSecret !== "") redactor.add(authorization.replace(/^Basic /, ""));
      headers["authorization"] = authorization;
    }
    // Token grants are repeatable at UAA (a lost response only costs a token), so they are
    // retried like GETs. No caller budget: one refresh serves every waiting caller.
    return deps.request({
      method: "POST",
      base: await tokenEndpointBase(),
      path: "/oauth/token",
      query: grant.query === undefined ? undefined : new URLSearchParams(grant.query),
      headers,
      body: new URLSearchParams(grant.form).toString(),
      budget: {},
      decide: jsonBody(UaaTokenResponseSchema, "a UAA token response"),
    });
  };

  const tokens = createTokenSource(deps.credentials, {
    now: deps.now,
    requestToken,
    redactor,
    logger,
  });

  /**
   * A token, waited for no longer than the operation's deadline. A refresh is shared by every
   * waiting caller, so one caller's deadline (or signal) ends only its own wait.
   */
  async function tokenWithin(spec: RequestSpec, budget: OperationBudget): Promise<string> {
    if (budget.deadline === undefined) return tokens.getToken(budget.signal);
    const { method, path } = http.label(spec);
    const remaining = budget.deadline - deps.now();
    const timer = AbortSignal.timeout(Math.max(0, remaining));
    const signal = budget.signal === undefined ? timer : AbortSignal.any([budget.signal, timer]);
    try {
      if (remaining <= 0) timer.throwIfAborted();
      return await tokens.getToken(signal);
    } catch (error) {
      if (budget.signal?.aborted !== true && timer.aborted) {
        throw new CloudFoundryTimeoutError(
          `${method} ${path} was not sent because no token arrived from UAA before the deadline (${tokens.description})`,
          { method, path, hint: "allow more time or check that UAA is reachable" },
        );
      }
      throw error;
    }
  }

  function rejected(spec: RequestSpec, result: SendResult) {
    const { method, path } = http.label(spec);
    return tokens.rejected({
      method,
      path,
      status: 401,
      // e.g. "401 CF-InvalidAuthToken (1000): Invalid Auth Token"
      outcome: describeResult(result, redactor.redact),
      requestId: result.kind === "response" ? result.response.requestId : undefined,
    });
  }

  /**
   * A 401 (CF-InvalidAuthToken: expired or revoked) is answered once with a new token and one
   * re-send, which is safe even for a POST: CC authenticates before it handles anything
   * (`cloud_controller_ng middleware/security_context_setter.rb`). A second 401 fails with the
   * credential source.
   */
  const authorize: AuthorizeHook = async (spec, budget, send) => {
    const token = await tokenWithin(spec, budget);
    const result = await send(token);
    if (!isUnauthorized(result)) return { result, sent: 1 };
    if (!tokens.refreshable) throw rejected(spec, result);
    tokens.invalidate(token);
    const { method, path } = http.label(spec);
    logger.debug?.(`${method} ${path} → 401; getting a new token.`);
    const again = await send(await tokenWithin(spec, budget));
    if (isUnauthorized(again)) throw rejected(spec, again);
    return { result: again, sent: 2 };
  };

  const actorGuid = async (spec: RequestSpec, budget: OperationBudget) =>
    actorGuidOf(await tokenWithin(spec, budget));

  return { description: tokens.description, authorize, actorGuid };
}
