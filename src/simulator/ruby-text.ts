/**
 * How Ruby 3.3 turns a JSON value into text, for the places CC interpolates or stores a value it
 * did not require to be a string (`to_s`, and `inspect` for arrays and hashes, whose keys
 * `deep_symbolize_keys` has made symbols). JSON has lost the integer/float distinction, so a
 * float like `1.0` reads as `1`.
 */
export function rubyToS(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return rubyInspect(value);
  return String(value);
}

function rubyInspect(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(rubyInspect).join(", ")}]`;
  if (typeof value === "object") {
    const pairs = Object.entries(value).map(([key, item]) => {
      const symbol = /^[A-Za-z_][A-Za-z0-9_]*[?!]?$/.test(key) ? key : JSON.stringify(key);
      return `:${symbol}=>${rubyInspect(item)}`;
    });
    return `{${pairs.join(", ")}}`;
  }
  return String(value);
}
