import { cfErrors } from "./cf-error.js";
import { matchesLabels, parseLabelSelector } from "./label-selector.js";
import type { BaseRecord, Metadata } from "./model.js";

/** What a list endpoint accepts beyond the common keys. */
export interface ListSpec {
  /** Resource-specific filter keys, e.g. `["app_guids", "states"]`. */
  filters: readonly string[];
  /** Fields `order_by` accepts. @default ["created_at", "updated_at"] */
  orderBy?: readonly string[];
}

/** A validated list query. */
export interface ListQuery {
  /** Comma-separated filters split into values (`guids` included). */
  filters: Map<string, string[]>;
  /** `created_ats`/`updated_ats` conditions: field, operator, epoch seconds. */
  timeFilters: Array<{ field: "createdAt" | "updatedAt"; op: string; seconds: number[] }>;
  page: number;
  perPage: number;
  orderBy: { field: string; descending: boolean } | undefined;
  /** `label_selector` requirements (empty when absent). */
  labels: ReturnType<typeof parseLabelSelector>;
  /** The raw parameters, in request order, for the pagination links. */
  raw: Array<[string, string]>;
}

/** Keys every V3 list accepts (CC `list_message.rb`, `metadata_list_message.rb`). */
const COMMON_KEYS = [
  "page",
  "per_page",
  "order_by",
  "created_ats",
  "updated_ats",
  "guids",
  "label_selector",
];
const TIME_OPERATORS = ["lt", "lte", "gt", "gte"];

/**
 * Parses a V3 list query the way CC's list messages validate it: unknown keys give
 * `Unknown query parameter(s): 'x'. Valid parameters are: '…'`; `page`, `per_page` and `order_by`
 * errors use the CC validator texts; every message is joined with `, ` into one 400 10005.
 */
export function parseListQuery(query: URLSearchParams, spec: ListSpec): ListQuery {
  const allowed = [...COMMON_KEYS, ...spec.filters];
  const keys = [...new Set(query.keys())];
  const baseKey = (key: string) => key.replace(/\[[a-z]+\]$/, "");
  const unknown = keys.filter((key) => {
    const base = baseKey(key);
    if (!allowed.includes(base)) return true;
    if (base !== key) {
      const op = key.slice(base.length + 1, -1);
      return !(base === "created_ats" || base === "updated_ats") || !TIME_OPERATORS.includes(op);
    }
    return false;
  });
  const errors: string[] = [];
  const page = positiveInteger(query.get("page"), "Page", errors) ?? 1;
  const perPage = positiveInteger(query.get("per_page"), "Per page", errors) ?? 50;
  if (perPage > 5000) errors.push("Per page must be between 1 and 5000");
  const orderFields = spec.orderBy ?? ["created_at", "updated_at"];
  let orderBy: ListQuery["orderBy"];
  const order = query.get("order_by");
  if (order !== null) {
    const match = /^([+-])?(.*)$/.exec(order);
    const field = match?.[2] ?? "";
    if (orderFields.includes(field)) {
      orderBy = { field, descending: match?.[1] === "-" };
    } else {
      errors.push(`Order by can only be: ${orderFields.map((f) => `'${f}'`).join(", ")}`);
    }
  }
  const filters = new Map<string, string[]>();
  const timeFilters: ListQuery["timeFilters"] = [];
  for (const key of keys) {
    const value = query.get(key) ?? "";
    const base = baseKey(key);
    if (base === "created_ats" || base === "updated_ats") {
      const seconds = value.split(",").map((v) => Date.parse(v) / 1000);
      if (seconds.some((s) => Number.isNaN(s))) {
        errors.push(
          `${base === "created_ats" ? "Created ats" : "Updated ats"} has an invalid timestamp format. Timestamps should be formatted as 'YYYY-MM-DDThh:mm:ssZ'`,
        );
        continue;
      }
      const op = base === key ? "eq" : key.slice(base.length + 1, -1);
      timeFilters.push({ field: base === "created_ats" ? "createdAt" : "updatedAt", op, seconds });
    } else if (allowed.includes(key) && !COMMON_KEYS.slice(0, 3).includes(key)) {
      filters.set(key, splitFilterValues(value));
    }
  }
  // ListMessage's own validators (page, per_page, order_by, timestamps) are declared in the parent
  // class and run first; the resource message's NoAdditionalParamsValidator comes after them.
  if (unknown.length > 0) {
    errors.push(
      `Unknown query parameter(s): '${unknown.join("', '")}'. Valid parameters are: '${allowed.join("', '")}'`,
    );
  }
  if (errors.length > 0) throw cfErrors.badQueryParameter(errors.join(", "));
  const selector = query.get("label_selector");
  const labels = selector === null ? [] : parseLabelSelector(selector);
  return { filters, timeFilters, page, perPage, orderBy, labels, raw: [...query.entries()] };
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
