import { cfErrors } from "./cf-error.js";
import { matchesLabels, parseLabelSelector, type Requirement } from "./label-selector.js";
import type { BaseRecord, Metadata } from "./model.js";

/** What a list endpoint accepts beyond the common keys. */
export interface ListSpec {
  /** The message's own keys in its `register_allowed_keys` order, e.g. `["app_guids", "states"]`. */
  filters: readonly string[];
  /** Fields `order_by` accepts. @default ["created_at", "updated_at"] */
  orderBy?: readonly string[];
  /** Whether it is a `MetadataListMessage` (accepts `label_selector`). @default true */
  labelSelector?: boolean;
  /** Keys refused when present, in this order, after the unknown ones (a nested list's own). */
  refused?: readonly string[];
  /** Keys the message's `to_param_hash` leaves out of the pagination links. */
  unlinked?: readonly string[];
  /** An `order_by` field the message renames before paging, which the links then carry. */
  orderByColumns?: Readonly<Record<string, string>>;
}

/** A validated list query. */
export interface ListQuery {
  /** Comma-separated filters split into values (`guids` included). */
  filters: Map<string, string[]>;
  /** `created_ats`/`updated_ats` conditions: field, operator, epoch seconds. */
  timeFilters: Array<{ field: "createdAt" | "updatedAt"; op: string; seconds: number[] }>;
  page: number;
  perPage: number;
  /** `field` sorts; `column` is what the pagination links name. */
  orderBy: { field: string; column: string; descending: boolean } | undefined;
  /** `label_selector` requirements (empty when absent). */
  labels: Requirement[];
  /** The raw parameters, in request order, for the pagination links (unlinked ones left out). */
  raw: Array<[string, string]>;
}

/** `ListMessage`'s keys, which every V3 list accepts first (CC `app/messages/list_message.rb`). */
const LIST_KEYS = ["page", "per_page", "order_by", "created_ats", "updated_ats", "guids"];
const PAGINATION_KEYS = ["page", "per_page", "order_by"];
const TIME_OPERATORS = ["lt", "lte", "gt", "gte"];
const TIME_FIELDS = { created_ats: "createdAt", updated_ats: "updatedAt" } as const;

/** Rack's name for a parameter: `a[b]=1` arrives as `a`. */
const rackName = (key: string) => key.replace(/(.)\[.*$/, "$1");

/**
 * The message's `ALLOWED_KEYS` in the order CC's `register_allowed_keys` builds them: the
 * `ListMessage` keys, the message's own, and `label_selector` last for a `MetadataListMessage`
 * (`app/messages/metadata_list_message.rb` appends it to the subclass's keys).
 */
function allowedKeys(spec: ListSpec): string[] {
  return [
    ...LIST_KEYS,
    ...spec.filters,
    ...(spec.labelSelector === false ? [] : ["label_selector"]),
  ];
}

/**
 * Parses a V3 list query the way CC's list messages validate it, every message joined with `, `
 * into one 400 10005, in the validators' order: `ListMessage`'s (page, per_page, order_by, then
 * the timestamps), `MetadataListMessage`'s `label_selector`, then the resource message's
 * `NoAdditionalParamsValidator` (`Unknown query parameter(s): 'x'. Valid parameters are: '…'`).
 */
export function parseListQuery(query: URLSearchParams, spec: ListSpec): ListQuery {
  const allowed = allowedKeys(spec);
  const keys = [...new Set(query.keys())];
  const unknown = [...new Set(keys.filter((key) => !isAllowed(key, allowed)).map(rackName))];
  const errors: string[] = [];
  const page = positiveInteger(query.get("page"), "Page", errors) ?? 1;
  const perPage = positiveInteger(query.get("per_page"), "Per page", errors) ?? 50;
  if (perPage > 5000) errors.push("Per page must be between 1 and 5000");
  const orderBy = parseOrderBy(query.get("order_by"), spec, errors);
  const filters = new Map<string, string[]>();
  for (const key of keys) {
    if (allowed.includes(key) && !PAGINATION_KEYS.includes(key) && !(key in TIME_FIELDS)) {
      filters.set(key, splitFilterValues(query.get(key) ?? ""));
    }
  }
  const timeFilters = parseTimeFilters(query, keys, errors);
  const selector = query.get("label_selector");
  const labels =
    selector === null || !allowed.includes("label_selector")
      ? []
      : parseLabelSelector(selector, errors);
  if (unknown.length > 0) {
    errors.push(
      `Unknown query parameter(s): '${unknown.join("', '")}'. Valid parameters are: '${allowed.join("', '")}'`,
    );
  }
  const refused = (spec.refused ?? []).filter((key) => query.has(key));
  if (refused.length > 0) errors.push(`Unknown query parameter(s): '${refused.join("', '")}'`);
  if (errors.length > 0) throw cfErrors.badQueryParameter(errors.join(", "));
  const raw = [...query.entries()].filter(([key]) => !spec.unlinked?.includes(key));
  return { filters, timeFilters, page, perPage, orderBy, labels, raw };
}

function isAllowed(key: string, allowed: string[]): boolean {
  if (allowed.includes(key)) return true;
  // Rack makes `created_ats[op]` a hash under `created_ats`, which TimestampValidator judges.
  return /^(created_ats|updated_ats)\[[^\]]*\]$/.test(key);
}

/**
 * `PaginationOrderValidator`, which runs only for a present `order_by` (an empty one is no
 * ordering at all): `[+|-]field`, the field among the message's `valid_order_by_values`.
 */
function parseOrderBy(
  order: string | null,
  spec: ListSpec,
  errors: string[],
): ListQuery["orderBy"] {
  if (order === null || order.trim() === "") return undefined;
  const fields = spec.orderBy ?? ["created_at", "updated_at"];
  const match = /^([+-])?(.*)$/.exec(order);
  const field = match?.[2] ?? "";
  if (!fields.includes(field)) {
    errors.push(`Order by can only be: ${fields.map((f) => `'${f}'`).join(", ")}`);
    return undefined;
  }
  const column = spec.orderByColumns?.[field] ?? field;
  return { field, column, descending: match?.[1] === "-" };
}

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\n?$/;

/**
 * `created_ats`/`updated_ats` (`[lt]` etc.) with CC's `TimestampValidator` messages: one per
 * timestamp not written `YYYY-MM-DDThh:mm:ssZ`, one for an operator other than `lt`, `lte`,
 * `gt`, `gte`, and a list after an operator refused.
 */
function parseTimeFilters(
  query: URLSearchParams,
  keys: string[],
  errors: string[],
): ListQuery["timeFilters"] {
  const timeFilters: ListQuery["timeFilters"] = [];
  for (const [base, field] of Object.entries(TIME_FIELDS)) {
    const label = base === "created_ats" ? "Created ats" : "Updated ats";
    for (const key of keys.filter((k) => k === base || k.startsWith(`${base}[`))) {
      const op = base === key ? "eq" : key.slice(base.length + 1, -1);
      if (op !== "eq" && !TIME_OPERATORS.includes(op)) {
        errors.push(`${label} Invalid relational operator: '${op}'`);
      }
      const values = (query.get(key) ?? "").split(",");
      if (op !== "eq" && values.length > 1) {
        errors.push(`${label} only accepts one value when using a relational operator`);
        continue;
      }
      const bad = values.filter((v) => !ISO_SECONDS.test(v));
      for (const _ of bad) {
        errors.push(
          `${label} has an invalid timestamp format. Timestamps should be formatted as 'YYYY-MM-DDThh:mm:ssZ'`,
        );
      }
      if (bad.length === 0)
        timeFilters.push({ field, op, seconds: values.map((v) => Date.parse(v) / 1000) });
    }
  }
  return timeFilters;
}

/**
 * CC splits a filter at each comma (and the spaces after it), then URL-unescapes each value
 * (`app/messages/base_message.rb#to_array!`, `Addressable::URI.unescape`), after Rack has already
 * decoded the query once: a name containing a comma arrives as `a%252Cb` and matches `a,b`.
 */
export function splitFilterValues(value: string): string[] {
  return value.split(/,\s*/).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part; // Addressable leaves malformed escapes as they are.
    }
  });
}

function positiveInteger(value: string | null, name: string, errors: string[]): number | undefined {
  if (value === null) return undefined;
  // Ruby's String#to_i: leading digits, else 0.
  const parsed = Number.parseInt(value, 10);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    errors.push(`${name} must be a positive integer`);
    return undefined;
  }
  return parsed;
}

/**
 * Whether a record passes the `guids`, `created_ats`, `updated_ats` and (for records with
 * metadata) `label_selector` filters.
 */
export function matchesCommonFilters(
  record: BaseRecord & { metadata?: Metadata },
  query: ListQuery,
): boolean {
  const guids = query.filters.get("guids");
  if (guids !== undefined && !guids.includes(record.guid)) return false;
  if (!matchesLabels(record.metadata?.labels ?? {}, query.labels)) return false;
  return query.timeFilters.every(({ field, op, seconds }) => {
    const at = Math.floor(record[field] / 1000);
    const bound = seconds[0] ?? 0;
    switch (op) {
      case "lt":
        return at < bound;
      case "lte":
        return at <= bound;
      case "gt":
        return at > bound;
      case "gte":
        return at >= bound;
      default:
        return seconds.includes(at);
    }
  });
}

/** Whether `value` is among the filter's values (absent filter: everything matches). */
export function inFilter(query: ListQuery, key: string, value: string | null): boolean {
  const values = query.filters.get(key);
  if (values === undefined) return true;
  // CC's NullFilterQueryGenerator: an empty element also matches NULL.
  return value === null ? values.includes("") : values.includes(value);
}
