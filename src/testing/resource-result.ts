import { nameOf } from "./resource-urn.js";
import { type PropertyMap, revealSecrets, secretPropertyNames } from "./secrets.js";
import type { StateResource } from "./state-file.js";

/** What happened to a resource (or, in preview, what would). */
export type ResourceOperation =
  /** Created (Create). */
  | "create"
  /** Updated in place (Update). */
  | "update"
  /** Replaced: the new one created and the old one deleted (order per `deleteBeforeReplace`). */
  | "replace"
  /** Unchanged: no Create/Update call. */
  | "same"
  /** Deleted (Delete), or dropped by a refresh that found it gone. */
  | "delete"
  /** Read by a refresh (see `drift`). */
  | "refresh";

/** The provider's diff, as the engine interpreted it. */
export interface DiffSummary {
  /** The provider's answer; `"unknown"` when its `diff` left `changes` unset (or it has no `diff`). */
  changes: "none" | "some" | "unknown";
  /** Properties the provider said force a replacement. */
  replaces: string[];
  deleteBeforeReplace: boolean;
  /**
   * For an `"unknown"` answer, the top-level inputs that differ from the previous inputs (the
   * engine's own comparison, which includes `__provider`).
   */
  changedKeys?: string[];
}

/** One resource's part in a run. Values are plaintext; `__provider` is left out. */
export interface ResourceResult {
  urn: string;
  name: string;
  type: string;
  operation: ResourceOperation;
  /** The resource's id; `undefined` for a create (or replace) in preview. */
  id: string | undefined;
  /** Checked inputs (for a delete: the last recorded inputs). */
  inputs: Record<string, unknown>;
  /**
   * Outputs. In preview, a create, update or replace shows its checked inputs instead (the engine
   * does the same, because the dynamic provider does not support preview); a delete shows the last
   * recorded outputs.
   */
  outputs: Record<string, unknown>;
  /** Top-level output names that are (or contain) secrets. */
  secretOutputNames: string[];
  /** The provider's diff, for a resource that already existed (`up` and `preview`). */
  diff?: DiffSummary;
  /** The resource as recorded before this run (update, replace, same, refresh). */
  previous?: { id: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> };
  /** For a refresh: whether the read changed the id or the outputs. */
  drift?: boolean;
}

/** The report of `resource` (as recorded after the step) for `operation`. */
export function resourceResult(
  resource: StateResource,
  operation: ResourceOperation,
  previous?: StateResource,
): ResourceResult {
  const { __provider: _, ...outputs } = resource.outputs;
  return {
    urn: resource.urn,
    name: nameOf(resource.urn),
    type: resource.type,
    operation,
    id: resource.id,
    inputs: plain(resource.inputs),
    outputs: plain(resource.outputs),
    secretOutputNames: secretPropertyNames(outputs),
    ...(previous === undefined
      ? {}
      : {
          previous: {
            id: previous.id,
            inputs: plain(previous.inputs),
            outputs: plain(previous.outputs),
          },
        }),
  };
}

/** Plaintext values without `__provider`, as every report shows properties. */
export function plain(properties: PropertyMap): Record<string, unknown> {
  const { __provider: _, ...rest } = revealSecrets(properties) as PropertyMap;
  return rest;
}

/**
 * `results` with the registered resources first, in the order they were registered (steps
 * running side by side finish in any order), then the rest (deletes) as they came.
 */
export function inRegistrationOrder(
  results: readonly ResourceResult[],
  registered: Iterable<string>,
): ResourceResult[] {
  const order = new Map([...registered].map((urn, index) => [urn, index]));
  const rank = (result: ResourceResult) => order.get(result.urn) ?? order.size;
  return [...results].sort((a, b) => rank(a) - rank(b));
}
