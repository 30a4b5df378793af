import type { TimestampFilter } from "./cloud-foundry-client.js";

/**
 * Query parameters for V3 list endpoints. CC splits list filters on `,` and then URL-unescapes
 * each value (reference §4), so each value is escaped once before joining: a name containing a
 * comma, `+` or `%` stays one exact value.
 */
export class ListQuery {
  readonly params = new URLSearchParams();

  /** Adds `name=<v1>,<v2>` when `values` is given and not empty. */
  list(name: string, values: readonly string[] | undefined): this {
    if (values !== undefined && values.length > 0) {
      this.params.set(name, values.map((v) => encodeURIComponent(v)).join(","));
    }
    return this;
  }

  /** Adds `name=value` when `value` is given. */
  set(name: string, value: string | number | undefined): this {
    if (value !== undefined) this.params.set(name, String(value));
    return this;
  }

  /** Adds a timestamp filter: `name=a,b` or `name[gt]=…` per operator. */
  timestamps(name: string, filter: TimestampFilter | undefined): this {
    if (filter === undefined) return this;
    if (Array.isArray(filter)) return this.list(name, filter as readonly string[]);
    for (const [operator, value] of Object.entries(filter)) {
      if (typeof value === "string") this.params.set(`${name}[${operator}]`, value);
    }
    return this;
  }
}
