import type { TimestampFilter } from "./cloud-foundry-client.js";

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
