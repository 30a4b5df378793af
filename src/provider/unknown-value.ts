/**
 * The string the Pulumi engine puts in place of a value that is not known yet (a computed output
 * of another resource during `pulumi preview`). `check` and `diff` see it instead of the value.
 * Source: `unknownValue` in @pulumi/pulumi runtime/rpc.ts.
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether `value` is the engine's "not known until apply" sentinel. */
export function isUnknownValue(value: unknown): boolean {
  return value === UNKNOWN_VALUE;
}

/**
 * Whether `value` is the sentinel or holds it anywhere: an object input such as `gates` whose
 * nested values come from other resources arrives with the sentinel in their places.
 */
export function holdsUnknownValue(value: unknown): boolean {
  if (isUnknownValue(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  return Object.values(value).some(holdsUnknownValue);
}
