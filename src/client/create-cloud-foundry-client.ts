import type { z } from "zod";
import type { DeploymentAction } from "./action-effect.js";
import { parseBaseUrl } from "./base-url.js";
import type {
  ActionOptions,
  AuditEventFilter,
  CloudFoundryClient,
  DeploymentListFilter,
} from "./cloud-foundry-client.js";
import type { CallOptions, CloudFoundryClientOptions } from "./cloud-foundry-client-options.js";
import { createDispatcher } from "./create-dispatcher.js";
import {
  CloudFoundryConfigError,
  CloudFoundryResponseError,
  CloudFoundryTimeoutError,
} from "./errors.js";
import { createHttpClient, isSuccess, type RequestSpec } from "./http-client.js";
import { ListQuery } from "./list-query.js";
import { normalizeClientOptions } from "./normalize-client-options.js";
import { performDeploymentAction } from "./perform-deployment-action.js";
import { createRedactor } from "./redactor.js";
import { credentialSecrets } from "./resolved-credentials.js";
import { describeResult } from "./response-errors.js";
import {
  AppSchema,
  AuditEventSchema,
  DeploymentSchema,
  OrganizationSchema,
  ProcessStatsSchema,
  paginatedSchema,
  RootDocumentSchema,
  SpaceSchema,
  UaaTokenResponseSchema,
} from "./schemas.js";
import type { SendResult } from "./send-request.js";
import { createTokenSource } from "./token-source.js";
import { basicAuthorization, type UaaGrant } from "./uaa-grant.js";
import { USER_AGENT } from "./user-agent.js";
import type { OperationBudget } from "./with-retry.js";

/** Page size used when following pages, unless the filter says otherwise. */
const DEFAULT_PER_PAGE = 100;
/** A server that keeps reporting more pages than this is not trusted further. */
const MAX_PAGES = 1_000;

/**
 * Creates a Cloud Foundry V3 client. Validates the options at once (a `CF_CONFIG_ERROR` says
 * what to change); sends nothing until the first call.
 *
 * @example
 * const cf = createCloudFoundryClient({
 *   apiUrl: "https://api.sys.example.com",
 *   credentials: { kind: "password", username: "developer", password: process.env.CF_PASSWORD! },
 * });
 * const app = await cf.findAppByName(spaceGuid, "web");
 * await cf.close();
 */
export function createCloudFoundryClient(options: CloudFoundryClientOptions): CloudFoundryClient {
  const config = normalizeClientOptions(options);
  const redactor = createRedactor(credentialSecrets(config.credentials));
  const { logger } = config;
  const clock = { now: config.now, sleep: config.sleep };
  const ownsDispatcher = config.dispatcher === undefined;
  const dispatcher =
    config.dispatcher ??
    createDispatcher({
      skipSslValidation: config.skipSslValidation,
      caCertificates: config.caCertificates,
      requestTimeoutMs: config.requestTimeoutMs,
    });
  if (config.skipSslValidation && ownsDispatcher) {
    logger.warn(
      `TLS certificate verification is off for ${config.apiBase.origin} (skipSslValidation); anyone on the network path can read the credentials. Prefer caCertificates.`,
    );
  }
  const apiOrigin = config.apiBase.origin;
  const http = createHttpClient({
    dispatcher,
    apiOrigin,
    userAgent: USER_AGENT,
    requestTimeoutMs: config.requestTimeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    retry: config.retry,
    clock,
    random: config.random,
    logger,
    redactor,
  });
  let closed = false;

  const budgetOf = (o: CallOptions | undefined): OperationBudget => ({
    signal: o?.signal,
    deadline: o?.deadline,
  });

  const ensureOpen = (): void => {
    if (closed) {
      throw new CloudFoundryConfigError("This Cloud Foundry client was closed; create a new one.", {
        setting: "close",
      });
    }
  };

  /** Runs an idempotent request with retries and returns its parsed 2xx body. */
  async function idempotent<S extends z.ZodType>(
    spec: RequestSpec,
    budget: OperationBudget,
    send: () => Promise<SendResult>,
    schema: S,
    expected: string,
  ): Promise<z.infer<S>> {
    ensureOpen();
    const run = await http.retrying(spec, budget, send);
    if (isSuccess(run.result) && run.deadlineBlockedDelayMs === undefined) {
      return http.parse(spec, run.result, schema, expected);
    }
    throw http.fail(spec, run);
  }

  const getRoot = (o?: CallOptions) => {
    const spec: RequestSpec = { method: "GET", base: config.apiBase, path: "/" };
    const budget = budgetOf(o);
    return idempotent(
      spec,
      budget,
      () => http.attempt(spec, budget),
      RootDocumentSchema,
      "the root document",
    );
  };

  // The UAA token endpoint: from the cf CLI config, or the root document's login link (the
  // cf CLI posts to `<login>/oauth/token`, reference §9.2), checked like a configured URL.
  let tokenBase: Promise<URL> | undefined;
  const tokenEndpointBase = (): Promise<URL> => {
    if (config.tokenBase !== undefined) return Promise.resolve(config.tokenBase);
    tokenBase ??= getRoot().then((root) => {
      const href = root.links.login?.href ?? root.links.uaa?.href;
      if (href === undefined) {
        throw new CloudFoundryResponseError(
          `GET / → 200 with a root document that names no login or uaa link, so there is no UAA to get a token from; check apiUrl.`,
          { method: "GET", path: "/", status: 200, fieldPath: "links.login" },
        );
      }
      return parseBaseUrl(href, {
        setting: "links.login.href of GET /",
        allowInsecureHttp: config.allowInsecureHttp,
      });
    });
    tokenBase.catch(() => {
      tokenBase = undefined;
    });
    return tokenBase;
  };

  const requestToken = async (grant: UaaGrant) => {
    const base = await tokenEndpointBase();
    const headers: Record<string, string> = {
      "content-type": "application/x-www-form-urlencoded",
    };
    if (grant.basicAuth !== undefined) {
      const authorization = basicAuthorization(grant.basicAuth);
      // The base64 of `client:secret` carries the secret; UAA or a proxy may echo it bare.
      if (grant.basicAuth.clientSecret !== "") redactor.add(authorization.replace(/^Basic /, ""));
      headers["authorization"] = authorization;
    }
    const spec: RequestSpec = {
      method: "POST",
      base,
      path: "/oauth/token",
      query: grant.query === undefined ? undefined : new URLSearchParams(grant.query),
      headers,
      body: new URLSearchParams(grant.form).toString(),
    };
    // Token grants are repeatable at UAA (a lost response only costs a token), so they are
    // retried like GETs. No caller budget: one refresh serves every waiting caller.
    return idempotent(
      spec,
      {},
      () => http.attempt(spec, {}),
      UaaTokenResponseSchema,
      "a UAA token response",
    );
  };

  const tokens = createTokenSource(config.credentials, {
    now: config.now,
    requestToken,
    redactor,
    logger,
  });

  /**
   * One authorized attempt. A 401 (CF-InvalidAuthToken: expired or revoked, reference §3.1)
   * is answered once with a new token and one re-send, which is safe even for a POST: CC
   * authenticates before it handles anything. A second 401 fails with the credential source.
   */
  async function authorized(
    spec: RequestSpec,
    budget: OperationBudget,
  ): Promise<{ result: SendResult; sent: number }> {
    const token = await tokenWithin(spec, budget);
    const result = await http.attempt({ ...spec, bearer: token }, budget);
    if (!isUnauthorized(result)) return { result, sent: 1 };
    if (!tokens.refreshable) throw rejected(spec, result);
    tokens.invalidate(token);
    const { method, path } = http.label(spec);
    logger.debug?.(`${method} ${path} → 401; getting a new token.`);
    const fresh = await tokenWithin(spec, budget);
    const again = await http.attempt({ ...spec, bearer: fresh }, budget);
    if (isUnauthorized(again)) throw rejected(spec, again);
    return { result: again, sent: 2 };
  }

  /**
   * A token, waited for no longer than the operation's deadline. A refresh is shared by every
   * waiting caller, so one caller's deadline (or signal) ends only its own wait.
   */
  async function tokenWithin(spec: RequestSpec, budget: OperationBudget): Promise<string> {
    if (budget.deadline === undefined) return tokens.getToken(budget.signal);
    const { method, path } = http.label(spec);
    const remaining = budget.deadline - config.now();
    const timer = AbortSignal.timeout(Math.max(0, remaining));
    const signal = budget.signal === undefined ? timer : AbortSignal.any([budget.signal, timer]);
    try {
      if (remaining <= 0) timer.throwIfAborted();
      return await tokens.getToken(signal);
    } catch (error) {
      if (budget.signal?.aborted !== true && timer.aborted) {
        throw new CloudFoundryTimeoutError(
          `${method} ${path} was not sent because no token arrived from UAA before the deadline (${tokens.description}); allow more time or check that UAA is reachable.`,
          { method, path },
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

  const getJson = <S extends z.ZodType>(
    path: string,
    query: URLSearchParams | undefined,
    schema: S,
    expected: string,
    budget: OperationBudget,
  ): Promise<z.infer<S>> => {
    const spec: RequestSpec = { method: "GET", base: config.apiBase, path, query };
    return idempotent(
      spec,
      budget,
      async () => (await authorized(spec, budget)).result,
      schema,
      expected,
    );
  };

  /** GETs every page of a list (page numbers computed here; `pagination.next` is never followed). */
  const listAll = async <S extends z.ZodType>(
    path: string,
    query: ListQuery,
    schema: S,
    expected: string,
    o: CallOptions | undefined,
  ): Promise<z.infer<S>[]> => {
    const all: z.infer<S>[] = [];
    const pageSchema = paginatedSchema(schema);
    if (!query.params.has("per_page")) query.set("per_page", DEFAULT_PER_PAGE);
    for (let page = 1; ; page++) {
      query.set("page", page);
      const body = await getJson(
        path,
        new URLSearchParams(query.params),
        pageSchema,
        expected,
        budgetOf(o),
      );
      all.push(...(body.resources as z.infer<S>[]));
      if (page >= body.pagination.total_pages || body.resources.length === 0) return all;
      if (page >= MAX_PAGES) {
        throw new CloudFoundryResponseError(
          `GET ${path} reports more than ${MAX_PAGES} pages; narrow the filter.`,
          { method: "GET", path, fieldPath: "pagination.total_pages" },
        );
      }
    }
  };

  const firstByName = async <S extends z.ZodType>(
    path: string,
    query: ListQuery,
    schema: S,
    expected: string,
    name: string,
    o: CallOptions | undefined,
  ): Promise<z.infer<S> | undefined> => {
    const items = await listAll(path, query.list("names", [name]), schema, expected, o);
    return items.find((item) => (item as { name: string }).name === name);
  };

  const guidPath = (prefix: string, guid: string, suffix = ""): string => {
    if (typeof guid !== "string" || guid.trim() === "") {
      throw new CloudFoundryConfigError(
        `A non-empty guid is required for ${prefix}/:guid${suffix}.`,
        {
          setting: "guid",
        },
      );
    }
    return `${prefix}/${encodeURIComponent(guid)}${suffix}`;
  };

  const getDeployment = (guid: string, budget: OperationBudget) =>
    getJson(guidPath("/v3/deployments", guid), undefined, DeploymentSchema, "a Deployment", budget);

  const act = (action: DeploymentAction, guid: string, o: ActionOptions = {}) => {
    ensureOpen();
    const spec: RequestSpec = {
      method: "POST",
      base: config.apiBase,
      path: guidPath("/v3/deployments", guid, `/actions/${action}`),
    };
    return performDeploymentAction(
      action,
      {
        http,
        spec,
        post: (budget) => authorized(spec, budget),
        getDeployment: (budget) => getDeployment(guid, budget),
        retry: config.retry,
        clock,
        random: config.random,
        logger,
        redactor,
      },
      budgetOf(o),
      o.expected,
    );
  };

  return {
    apiUrl: config.apiBase.href.replace(/\/$/, ""),
    credentialSourceDescription: tokens.description,
    getRoot,
    findOrganizationByName: (name, o) =>
      firstByName(
        "/v3/organizations",
        new ListQuery(),
        OrganizationSchema,
        "an Organization list",
        name,
        o,
      ),
    findSpaceByName: (orgGuid, name, o) =>
      firstByName(
        "/v3/spaces",
        new ListQuery().list("organization_guids", [orgGuid]),
        SpaceSchema,
        "a Space list",
        name,
        o,
      ),
    findAppByName: (spaceGuid, name, o) =>
      firstByName(
        "/v3/apps",
        new ListQuery().list("space_guids", [spaceGuid]),
        AppSchema,
        "an App list",
        name,
        o,
      ),
    getApp: (guid, o) =>
      getJson(guidPath("/v3/apps", guid), undefined, AppSchema, "an App", budgetOf(o)),
    getDeployment: (guid, o) => getDeployment(guid, budgetOf(o)),
    listDeployments: (filter: DeploymentListFilter = {}, o) =>
      listAll(
        "/v3/deployments",
        new ListQuery()
          .list("app_guids", filter.appGuids)
          .list("states", filter.states)
          .list("status_values", filter.statusValues)
          .list("status_reasons", filter.statusReasons)
          .list("guids", filter.guids)
          .set("label_selector", filter.labelSelector)
          .timestamps("created_ats", filter.createdAts)
          .timestamps("updated_ats", filter.updatedAts)
          .set("order_by", filter.orderBy)
          .set("per_page", filter.perPage),
        DeploymentSchema,
        "a Deployment list",
        o,
      ),
    getActiveDeployment: async (appGuid, o) => {
      // Exactly the cf CLI's query (`GetLatestActiveDeploymentForApp`, reference §4): one page.
      const query = new ListQuery()
        .list("app_guids", [appGuid])
        .list("status_values", ["ACTIVE"])
        .set("order_by", "-created_at")
        .set("per_page", 1)
        .set("page", 1);
      const body = await getJson(
        "/v3/deployments",
        query.params,
        paginatedSchema(DeploymentSchema),
        "a Deployment list",
        budgetOf(o),
      );
      return body.resources[0];
    },
    continueDeployment: (guid, o) => act("continue", guid, o),
    cancelDeployment: (guid, o) => act("cancel", guid, o),
    getProcessStats: async (processGuid, o) =>
      (
        await getJson(
          guidPath("/v3/processes", processGuid, "/stats"),
          undefined,
          ProcessStatsSchema,
          "process stats",
          budgetOf(o),
        )
      ).resources,
    listAuditEvents: (filter: AuditEventFilter = {}, o) =>
      listAll(
        "/v3/audit_events",
        new ListQuery().list("types", filter.types).list("target_guids", filter.targetGuids),
        AuditEventSchema,
        "an audit event list",
        o,
      ),
    async close() {
      if (closed) return;
      closed = true;
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

function isUnauthorized(result: SendResult): boolean {
  return result.kind === "response" && result.response.status === 401;
}
