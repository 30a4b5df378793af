import type { DeploymentAction } from "./action-effect.js";
import type { ActionOptions, CloudFoundryClient } from "./cloud-foundry-client.js";
import type { CallOptions, CloudFoundryClientOptions } from "./cloud-foundry-client-options.js";
import { createDispatcher } from "./create-dispatcher.js";
import { CloudFoundryConfigError } from "./errors.js";
import { guidPath } from "./guid-path.js";
import { createHttpClient } from "./http-client.js";
import { listQuery } from "./list-query.js";
import { normalizeClientOptions } from "./normalize-client-options.js";
import { firstByName, type GetJson, listAll } from "./paginate.js";
import { type ApiRequest, performDeploymentAction } from "./perform-deployment-action.js";
import { createRedactor } from "./redactor.js";
import { createRequest, jsonBody, type Request } from "./request.js";
import { credentialSecrets } from "./resolved-credentials.js";
import {
  AppSchema,
  AuditEventSchema,
  DeploymentSchema,
  OrganizationSchema,
  ProcessStatsSchema,
  paginatedSchema,
  RootDocumentSchema,
  SpaceSchema,
} from "./schemas.js";
import { createUaaAuth } from "./uaa-auth.js";
import { USER_AGENT } from "./user-agent.js";
import type { OperationBudget } from "./with-retry.js";

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
  const { logger, apiBase } = config;
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
      `TLS certificate verification is off for ${apiBase.origin} (skipSslValidation); anyone on the network path can read the credentials. Prefer caCertificates.`,
    );
  }
  const http = createHttpClient({
    dispatcher,
    apiOrigin: apiBase.origin,
    userAgent: USER_AGENT,
    requestTimeoutMs: config.requestTimeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    clock,
    logger,
    redactor,
  });
  const pipeline = createRequest({
    http,
    retry: config.retry,
    clock,
    random: config.random,
    logger,
    redact: redactor.redact,
  });
  let closed = false;
  const request: Request = async (o) => {
    if (closed) {
      throw new CloudFoundryConfigError("This Cloud Foundry client was closed; create a new one.", {
        setting: "close",
      });
    }
    return pipeline(o);
  };

  const budgetOf = (o: CallOptions | undefined): OperationBudget => ({
    signal: o?.signal,
    deadline: o?.deadline,
  });

  const getRoot = (o?: CallOptions) =>
    request({
      method: "GET",
      base: apiBase,
      path: "/",
      budget: budgetOf(o),
      decide: jsonBody(RootDocumentSchema, "the root document"),
    });

  const auth = createUaaAuth({
    credentials: config.credentials,
    tokenBase: config.tokenBase,
    allowInsecureHttp: config.allowInsecureHttp,
    getRoot: () => getRoot(),
    request,
    http,
    now: config.now,
    redactor,
    logger,
  });

  const api: ApiRequest = (o) => request({ ...o, base: apiBase, authorize: auth.authorize });

  /** Authorized GETs of JSON within `budget`. */
  const getJson =
    (budget: OperationBudget): GetJson =>
    ({ path, query, schema, expected }) =>
      api({ method: "GET", path, query, budget, decide: jsonBody(schema, expected) });

  const getDeployment = (guid: string, budget: OperationBudget) =>
    getJson(budget)({
      path: guidPath("/v3/deployments", guid),
      schema: DeploymentSchema,
      expected: "a Deployment",
    });

  const act = async (action: DeploymentAction, guid: string, o: ActionOptions = {}) =>
    performDeploymentAction({
      action,
      path: guidPath("/v3/deployments", guid, `/actions/${action}`),
      budget: budgetOf(o),
      expected: o.expected,
      request: api,
      getDeployment: (budget) => getDeployment(guid, budget),
      redact: redactor.redact,
    });

  return {
    apiUrl: apiBase.href.replace(/\/$/, ""),
    credentialSourceDescription: auth.description,
    getRoot,
    findOrganizationByName: (name, o) =>
      firstByName(getJson(budgetOf(o)), {
        path: "/v3/organizations",
        query: listQuery(),
        schema: OrganizationSchema,
        expected: "an Organization list",
        name,
      }),
    findSpaceByName: (orgGuid, name, o) =>
      firstByName(getJson(budgetOf(o)), {
        path: "/v3/spaces",
        query: listQuery().list("organization_guids", [orgGuid]),
        schema: SpaceSchema,
        expected: "a Space list",
        name,
      }),
    findAppByName: (spaceGuid, name, o) =>
      firstByName(getJson(budgetOf(o)), {
        path: "/v3/apps",
        query: listQuery().list("space_guids", [spaceGuid]),
        schema: AppSchema,
        expected: "an App list",
        name,
      }),
    getApp: (guid, o) =>
      getJson(budgetOf(o))({
        path: guidPath("/v3/apps", guid),
        schema: AppSchema,
        expected: "an App",
      }),
    getDeployment: (guid, o) => getDeployment(guid, budgetOf(o)),
    listDeployments: (filter = {}, o) =>
      listAll(getJson(budgetOf(o)), {
        path: "/v3/deployments",
        query: listQuery()
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
        schema: DeploymentSchema,
        expected: "a Deployment list",
      }),
    getActiveDeployment: async (appGuid, o) => {
      // Exactly the cf CLI's query (`actor/v7action/deployment.go`
      // `GetLatestActiveDeploymentForApp`): one page.
      const query = listQuery()
        .list("app_guids", [appGuid])
        .list("status_values", ["ACTIVE"])
        .set("order_by", "-created_at")
        .set("per_page", 1)
        .set("page", 1);
      const body = await getJson(budgetOf(o))({
        path: "/v3/deployments",
        query: query.params,
        schema: paginatedSchema(DeploymentSchema),
        expected: "a Deployment list",
      });
      return body.resources[0];
    },
    continueDeployment: (guid, o) => act("continue", guid, o),
    cancelDeployment: (guid, o) => act("cancel", guid, o),
    getProcessStats: async (processGuid, o) => {
      const stats = await getJson(budgetOf(o))({
        path: guidPath("/v3/processes", processGuid, "/stats"),
        schema: ProcessStatsSchema,
        expected: "process stats",
      });
      return stats.resources;
    },
    listAuditEvents: (filter = {}, o) =>
      listAll(getJson(budgetOf(o)), {
        path: "/v3/audit_events",
        query: listQuery().list("types", filter.types).list("target_guids", filter.targetGuids),
        schema: AuditEventSchema,
        expected: "an audit event list",
      }),
    async close() {
      if (closed) return;
      closed = true;
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}
