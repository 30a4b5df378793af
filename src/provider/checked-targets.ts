import type { PromotionClient } from "./promotion-client.js";
import type { PromotionTarget } from "./promotion-inputs.js";
import type { ResolvedTarget } from "./resolve-target.js";
import { underlyingClient } from "./signalled-client.js";

/**
 * How old a target that `check` found may be when the `create` that follows it starts from it
 * instead of looking it up again. The same bound as a continue's "before"
 * (`FRESH_BEFORE_CONTINUE_MS` in converge-promotion.ts): in that time someone else's continue can
 * at most have started the next step, and a continue on top of it is refused with a 422 that the
 * client reads back as theirs; a create that starts later looks the target up again. The engine
 * calls a new resource's Check and then, when nothing holds it back, its Create at once (pulumi
 * pkg/resource/deploy/step_generator.go), so a fleet saves one request per resource.
 */
const CHECKED_TARGET_FRESH_MS = 1_000;
/** Bounds the targets kept for a client when many Checks are not followed by their Creates. */
const MAX_KEPT = 1_024;

interface CheckedTarget {
  resolved: ResolvedTarget;
  /** When the deployment was read, at the latest: its request went out after this. */
  lookedUpAtMs: number;
}

const byClient = new WeakMap<object, Map<string, CheckedTarget>>();

function keptFor(client: PromotionClient): Map<string, CheckedTarget> {
  const key = underlyingClient(client);
  let kept = byClient.get(key);
  if (kept === undefined) {
    kept = new Map();
    byClient.set(key, kept);
  }
  return kept;
}

/** Keeps what `check` found for `target` (looked up from `lookedUpAtMs` on) for the `create` after it. */
export function keepCheckedTarget(
  client: PromotionClient,
  target: PromotionTarget,
  resolved: ResolvedTarget,
  lookedUpAtMs: number,
): void {
  const kept = keptFor(client);
  for (const [key, entry] of kept) {
    if (kept.size < MAX_KEPT && lookedUpAtMs - entry.lookedUpAtMs <= CHECKED_TARGET_FRESH_MS) break;
    kept.delete(key);
  }
  const key = JSON.stringify(target);
  kept.delete(key);
  kept.set(key, { resolved, lookedUpAtMs });
}

/**
 * What `check` found for `target` in this host, once, if it is fresh enough at `nowMs` to
 * continue from; with when its lookup started.
 */
export function takeCheckedTarget(
  client: PromotionClient,
  target: PromotionTarget,
  nowMs: number,
): CheckedTarget | undefined {
  const kept = keptFor(client);
  const key = JSON.stringify(target);
  const entry = kept.get(key);
  kept.delete(key);
  if (entry === undefined || nowMs - entry.lookedUpAtMs > CHECKED_TARGET_FRESH_MS) return undefined;
  return entry;
}
