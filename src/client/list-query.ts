import type { TimestampFilter } from "./cloud-foundry-client.js";

/**
 * Escapes one value of a V3 list filter. CC splits a filter on `/,\s*\/` and then runs
 * `Addressable::URI.unescape` on each value (`app/messages/base_message.rb#to_array!`, reference
 * §4), so a literal `,` or `%` inside a value must be escaped once more; nothing else needs it.
 */
export function escapeListValue(value: string): string {
  return value.replace(/%/g, "%25").replace(/,/g, "%2C");
}

/** Query parameters for V3 list endpoints; list filters are comma-joined escaped values. */
export class ListQuery {
  readonly params = new URLSearchParams();

  /** Adds `name=<v1>,<v2>` when `values` is given and not empty. */
  list(name: string, values: readonly string[] | undefined): this {
    if (values !== undefined && values.length > 0) {
      this.params.set(name, values.map(escapeListValue).join(","));
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
