import type { GateVerdict } from "./gate-verdict.js";

/** The resolution of `last_status_change` and of `Date`. */
const TIMESTAMP_RESOLUTION_MS = 1000;

/**
 * The soak gate (pure): the deployment has been PAUSED at this step for `soakSeconds`, measured
 * entirely on the Cloud Controller's clock, from `status.details.last_status_change` (set when the
 * updater paused it: cloud_controller_ng app/models/runtime/deployment_model.rb) to the `Date` of
 * the same answer. The client's clock is never used, so a skewed one cannot shorten a bake.
 */
export function checkSoak(
  soakSeconds: number,
  seen: { lastStatusChange: string | null; serverDateMs: number | undefined },
): GateVerdict {
  const pausedAt = Date.parse(seen.lastStatusChange ?? "");
  if (Number.isNaN(pausedAt) || seen.serverDateMs === undefined) {
    const missing = Number.isNaN(pausedAt) ? "status.details.last_status_change" : "Date header";
    return {
      gate: "soak",
      passed: false,
      detail: `cannot tell how long it has been paused: the Cloud Controller's answer has no ${missing}`,
    };
  }
  const pausedMs = Math.max(0, seen.serverDateMs - pausedAt);
  // Both times are whole seconds, cut down (CC's presenters and the HTTP Date): the pause may
  // have begun up to a second after its stamp, so a second more is asked for than given.
  const neededMs = soakSeconds * 1000 + TIMESTAMP_RESOLUTION_MS;
  const paused = `paused for ${Math.floor(pausedMs / 1000)}s of ${soakSeconds}s on the Cloud Controller's clock`;
  if (pausedMs >= neededMs) return { gate: "soak", passed: true, detail: paused };
  return { gate: "soak", passed: false, detail: paused, retryInMs: neededMs - pausedMs };
}
