import type { z } from "zod";
import type { DeploymentAction } from "./action-effect.js";
import type { ActionOptions, CloudFoundryClient } from "./cloud-foundry-client.js";
import type { CallOptions, CloudFoundryClientOptions } from "./cloud-foundry-client-options.js";
import { clientDispatcher } from "./create-dispatcher.js";
import { CloudFoundryConfigError } from "./errors.js";
import { guidPath } from "./guid-path.js";
import { createHttpClient } from "./http-client.js";
import {
  activeDeploymentQuery,
  appListQuery,
  auditEventListQuery,
  deploymentListQuery,
  type ListQueryBuilder,
  listQuery,
} from "./list-query.js";
import { normalizeClientOptions, normalizeLateDelivery } from "./normalize-client-options.js";
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
  const transport = clientDispatcher(config);
  const { dispatcher } = transport;
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
  const throwIfClosed = (): void => {
    if (closed) {
      throw new CloudFoundryConfigError("This Cloud Foundry client was closed; create a new one.", {
        setting: "close",
      });
    }
  };
  const request: Request = async (o) => {
    throwIfClosed();
    return pipeline(o);
  };

  const budgetOf = (o: CallOptions | undefined): OperationBudget => ({
    signal: o?.signal,
    deadline: o?.deadline,
    onResponse: o?.onResponse,
  });
  const callOptionsOf = ({ signal, deadline, onResponse }: OperationBudget): CallOptions => ({
    ...(signal === undefined ? {} : { signal }),
    ...(deadline === undefined ? {} : { deadline }),
    ...(onResponse === undefined ? {} : { onResponse }),
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

  /** A lookup by exact name in the list at `path`, narrowed by the query it is given. */
  const byName =
    <T extends { name: string }>(path: string, schema: z.ZodType<T>, expected: string) =>
    (name: string, query: ListQueryBuilder, o: CallOptions | undefined) =>
      firstByName(getJson(budgetOf(o)), { path, query, schema, expected, name });
  const findOrganization = byName("/v3/organizations", OrganizationSchema, "an Organization list");
  const findSpace = byName("/v3/spaces", SpaceSchema, "a Space list");
  const findApp = byName("/v3/apps", AppSchema, "an App list");

  /** Every page of the list at `path` for a query. */
  const everyPage =
    <T>(path: string, schema: z.ZodType<T>, expected: string) =>
    (query: ListQueryBuilder, o: CallOptions | undefined) =>
      listAll(getJson(budgetOf(o)), { path, query, schema, expected });
  const listApps = everyPage("/v3/apps", AppSchema, "an App list");
  const listDeployments = everyPage("/v3/deployments", DeploymentSchema, "a Deployment list");
  const listAuditEvents = everyPage("/v3/audit_events", AuditEventSchema, "an audit event list");

  const act = async (action: DeploymentAction, guid: string, o: ActionOptions = {}) => {
    throwIfClosed();
    return performDeploymentAction({
      action,
      path: guidPath("/v3/deployments", guid, `/actions/${action}`),
      budget: budgetOf(o),
      expected: o.expected,
      request: api,
      getDeployment: (budget) =>
        o.readDeployment === undefined
          ? getDeployment(guid, budget)
          : o.readDeployment(callOptionsOf(budget)),
      clock,
      lateDelivery: normalizeLateDelivery(o.lateDelivery, config.lateDelivery),
    });
  };

  return {
    apiUrl: apiBase.href.replace(/\/$/, ""),
    credentialSourceDescription: auth.description,
    getRoot,
    findOrganizationByName: (name, o) => findOrganization(name, listQuery(), o),
    findSpaceByName: (orgGuid, name, o) =>
      findSpace(name, listQuery().list("organization_guids", [orgGuid]), o),
    findAppByName: (spaceGuid, name, o) =>
      findApp(name, listQuery().list("space_guids", [spaceGuid]), o),
    getApp: (guid, o) =>
      getJson(budgetOf(o))({
        path: guidPath("/v3/apps", guid),
        schema: AppSchema,
        expected: "an App",
      }),
    listApps: (filter = {}, o) => listApps(appListQuery(filter), o),
    getDeployment: (guid, o) => getDeployment(guid, budgetOf(o)),
    listDeployments: (filter = {}, o) => listDeployments(deploymentListQuery(filter), o),
    getActiveDeployment: async (appGuid, o) => {
      const page = await getJson(budgetOf(o))({
        path: "/v3/deployments",
        query: activeDeploymentQuery(appGuid).params,
        schema: paginatedSchema(DeploymentSchema),
        expected: "a Deployment list",
      });
      return page.resources[0];
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
    listAuditEvents: (filter = {}, o) => listAuditEvents(auditEventListQuery(filter), o),
    actorGuid: (o) =>
      auth.actorGuid({ method: "GET", base: apiBase, path: "/v3/audit_events" }, budgetOf(o)),
    async close() {
      if (closed) return;
      closed = true;
      await transport.close();
    },
  };
}
