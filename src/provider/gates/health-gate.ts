import { assessCanaryHealth, type InstanceStat } from "../canary-health.js";
import type { GateVerdict } from "./gate-verdict.js";

/**
 * The health gate (pure): every instance of the canary's new web process RUNNING, for
 * `forSeconds` by its `uptime`; the detail names the process and every instance's state.
 */
export function checkHealth(
  forSeconds: number,
  processGuid: string | null,
  stats: readonly InstanceStat[],
): GateVerdict {
  if (processGuid === null) {
    return {
      gate: "healthy",
      passed: false,
      detail: "the deployment has no new web process whose health could be checked",
    };
  }
  const health = assessCanaryHealth(stats, forSeconds);
  const wanted = forSeconds > 0 ? `RUNNING for ${forSeconds}s` : "RUNNING";
  const detail = health.healthy
    ? `every instance of process ${processGuid} is ${wanted}: ${health.instances}`
    : `canary instances of process ${processGuid} are not all ${wanted}: ${health.instances}`;
  return {
    gate: "healthy",
    passed: health.healthy,
    detail,
    ...(health.settlesInSeconds > 0 ? { retryInMs: health.settlesInSeconds * 1000 } : {}),
  };
}
