import { isDeepStrictEqual } from "node:util";
import type { DiffSummary } from "./resource-result.js";
import { type PropertyMap, toProviderProperties } from "./secrets.js";

/** What the engine does with a resource that is already in state. */
export type StepKind = "replace" | "update" | "same";

/**
 * Whether a diff reports a change: the provider said so, or it did not know and the engine's own
 * comparison of the inputs found keys that differ.
 */
export function diffHasChanges(diff: DiffSummary): boolean {
  return (
    diff.changes === "some" || (diff.changes === "unknown" && (diff.changedKeys ?? []).length > 0)
  );
}

/**
 * The step for a registered resource already in state, as `continueStepsFromDiff` in the Pulumi
 * engine's `pkg/resource/deploy/step_generator.go` decides it: a change with replacement keys
 * replaces; any other change updates; so does a partially initialized resource without changes,
 * to "continue" its initialization (`hasInitErrors`); otherwise the resource is the same.
 */
export function decideStep(diff: DiffSummary, initErrors: readonly string[] = []): StepKind {
  const changed = diffHasChanges(diff);
  if (changed && diff.replaces.length > 0) return "replace";
  if (changed || initErrors.length > 0) return "update";
  return "same";
}

/**
 * For a provider diff of `"unknown"`, the top-level keys whose values differ between the old and
 * the new inputs as the provider receives them, sorted. "At this point we know that there were
 * changes to the Pulumi inputs, so if the provider returns an unknown diff result" the engine
 * compares them itself (`diffResource` in step_generator.go).
 */
export function changedInputKeys(oldInputs: PropertyMap, newInputs: PropertyMap): string[] {
  const before = toProviderProperties(oldInputs);
  const after = toProviderProperties(newInputs);
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => !isDeepStrictEqual(before[key], after[key]))
    .sort();
}
