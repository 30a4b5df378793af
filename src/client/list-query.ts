import type {
  AppListFilter,
  AuditEventFilter,
  DeploymentListFilter,
  TimestampFilter,
} from "./cloud-foundry-client.js";

/**
 * Escapes one value of a V3 list filter. CC splits a filter on `/,\s*\/` and then runs
 * `Addressable::URI.unescape` on each value (`cloud_controller_ng app/messages/base_message.rb`
 * `to_array!`), so a literal `,` or `%` inside a value must be escaped once more; nothing else
 * needs it.
 */
export function escapeListValue(value: string): string {
  return value.replace(/%/g, "%25").replace(/,/g, "%2C");
}

/** Query parameters of a V3 list endpoint, built up filter by filter. */
export interface ListQueryBuilder {
  /** The parameters so far. */
  readonly params: URLSearchParams;
  /** Adds `name=<v1>,<v2>` (escaped values) when `values` is given and not empty. */
  list(name: string, values: readonly string[] | undefined): ListQueryBuilder;
  /** Adds `name=value` when `value` is given. */
  set(name: string, value: string | number | undefined): ListQueryBuilder;
  /** Adds a timestamp filter: `name=a,b` or `name[gt]=…` per operator. */
  timestamps(name: string, filter: TimestampFilter | undefined): ListQueryBuilder;
}

const isExactTimestamps = (filter: TimestampFilter): filter is readonly string[] =>
  Array.isArray(filter);

/** Starts a list query; absent and empty filters are left out. */
export function listQuery(): ListQueryBuilder {
  const params = new URLSearchParams();
  const builder: ListQueryBuilder = {
    params,
    list(name, values) {
      if (values !== undefined && values.length > 0) {
        params.set(name, values.map(escapeListValue).join(","));
      }
      return builder;
    },
    set(name, value) {
      if (value !== undefined) params.set(name, String(value));
      return builder;
    },
    timestamps(name, filter) {
      if (filter === undefined) return builder;
      if (isExactTimestamps(filter)) return builder.list(name, filter);
      for (const [operator, value] of Object.entries(filter)) {
        if (typeof value === "string") params.set(`${name}[${operator}]`, value);
      }
      return builder;
    },
  };
  return builder;
}

/** The query of `listDeployments`. */
export function deploymentListQuery(filter: DeploymentListFilter): ListQueryBuilder {
  return listQuery()
    .list("app_guids", filter.appGuids)
    .list("states", filter.states)
    .list("status_values", filter.statusValues)
    .list("status_reasons", filter.statusReasons)
    .list("guids", filter.guids)
    .set("label_selector", filter.labelSelector)
    .timestamps("created_ats", filter.createdAts)
    .timestamps("updated_ats", filter.updatedAts)
    .set("order_by", filter.orderBy)
    .set("per_page", filter.perPage);
}

/**
 * The app's latest ACTIVE deployment, exactly the cf CLI's query (`actor/v7action/deployment.go`
 * `GetLatestActiveDeploymentForApp`): one page of one.
 */
export function activeDeploymentQuery(appGuid: string): ListQueryBuilder {
  return listQuery()
    .list("app_guids", [appGuid])
    .list("status_values", ["ACTIVE"])
    .set("order_by", "-created_at")
    .set("per_page", 1)
    .set("page", 1);
}

/** The query of `listApps`. */
export function appListQuery(filter: AppListFilter): ListQueryBuilder {
  return listQuery()
    .list("names", filter.names)
    .list("space_guids", filter.spaceGuids)
    .list("guids", filter.guids);
}

/** The query of `listAuditEvents`. */
export function auditEventListQuery(filter: AuditEventFilter): ListQueryBuilder {
  return listQuery().list("types", filter.types).list("target_guids", filter.targetGuids);
}
