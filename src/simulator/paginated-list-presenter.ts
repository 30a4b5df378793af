import type { SimResponse } from "./context.js";
import type { ListQuery } from "./list-query.js";
import type { BaseRecord } from "./model.js";

/**
 * Orders, pages and wraps records in the V3 pagination envelope
 * (CC `paginated_list_presenter.rb`): links repeat every filter, `total_pages` is at least 1.
 */
function paginate<T extends BaseRecord>(
  records: T[],
  query: ListQuery,
  baseUrl: string,
  present: (record: T) => unknown,
): { pagination: Record<string, unknown>; resources: unknown[] } {
  const sorted = [...records].sort((a, b) => {
    if (query.orderBy === undefined) return a.seq - b.seq;
    const key = query.orderBy.field;
    const av = sortValue(a, key);
    const bv = sortValue(b, key);
    const cmp = av < bv ? -1 : av > bv ? 1 : a.seq - b.seq;
    return query.orderBy.descending ? -cmp : cmp;
  });
  const totalPages = Math.max(1, Math.ceil(sorted.length / query.perPage));
  const start = (query.page - 1) * query.perPage;
  const repeated = linkParams(query);
  const link = (page: number) => {
    const pairs = [...repeated, cgiPair("page", String(page))].sort();
    return { href: `${baseUrl}?${pairs.join("&")}` };
  };
  return {
    pagination: {
      total_results: sorted.length,
      total_pages: totalPages,
      first: link(1),
      last: link(totalPages),
      next: query.page < totalPages ? link(query.page + 1) : null,
      previous: query.page > 1 ? link(query.page - 1) : null,
    },
    resources: sorted.slice(start, start + query.perPage).map(present),
  };
}

/** Ruby's `CGI.escape`: only `a-zA-Z0-9_.-~` stay, a space becomes `+`. */
function cgiEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

function cgiPair(key: string, value: string): string {
  return `${cgiEscape(key)}=${cgiEscape(value)}`;
}

/**
 * The `key=value` pairs every pagination link repeats, as CC builds them
 * (`paginated_list_presenter.rb#present_pagination_hash`): `per_page`, `order_by` when given,
 * written by `OrderByMapper.to_param_hash` with its direction always spelled out (`+created_at`
 * for `created_at` or `+created_at`, `-created_at`), and each requested filter from
 * `to_param_hash` (list values re-joined with `,`, a comma inside a value as `%2C`); Rails'
 * `Hash#to_query` then CGI-escapes every pair and sorts them, so
 * `?status_values=A,B&app_guids=x` links as `app_guids=x&page=1&per_page=50&status_values=A%2CB`.
 */
function linkParams(query: ListQuery): string[] {
  const pairs = [cgiPair("per_page", String(query.perPage))];
  if (query.orderBy !== undefined) {
    const { descending, column } = query.orderBy;
    pairs.push(cgiPair("order_by", `${descending ? "-" : "+"}${column}`));
  }
  const seen = new Set<string>();
  for (const [key, value] of query.raw) {
    if (key === "page" || key === "per_page" || key === "order_by" || seen.has(key)) continue;
    seen.add(key);
    const list = query.filters.get(key);
    const text = list === undefined ? value : list.map((v) => v.replaceAll(",", "%2C")).join(",");
    pairs.push(cgiPair(key, text));
  }
  return pairs;
}

/** A 200 answer with one page of `records`. */
export function listResponse<T extends BaseRecord>(
  records: T[],
  query: ListQuery,
  baseUrl: string,
  present: (record: T) => unknown,
): SimResponse {
  return { status: 200, body: paginate(records, query, baseUrl, present) };
}

function sortValue(record: BaseRecord, field: string): number | string {
  if (field === "created_at") return record.createdAt;
  if (field === "updated_at") return record.updatedAt;
  const value = (record as unknown as Record<string, unknown>)[field];
  return typeof value === "string" || typeof value === "number" ? value : "";
}
