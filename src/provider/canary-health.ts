/** One instance of a process as `GET /v3/processes/{guid}/stats` reports it (CC JSON names). */
export interface InstanceStat {
  index: number;
  state: string;
  details?: string | null | undefined;
}

/** The health gate's verdict on the canary instances. */
export interface CanaryHealth {
  healthy: boolean;
  /** Every instance and its state, e.g. "#0 RUNNING, #1 CRASHED (app exited)". */
  instances: string;
}

/**
 * Judges the canary before a continue (pure): healthy only when it has instances and every one of
 * them is RUNNING. STARTING, CRASHED and DOWN all count against it, because CC itself continues
 * a PAUSED deployment whatever its instances do (the updater never looks at PAUSED deployments:
 * cloud_controller_ng lib/cloud_controller/deployment_updater/dispatcher.rb), so this gate is the
 * only thing between a crashing canary and the whole app.
 */
export function assessCanaryHealth(stats: readonly InstanceStat[]): CanaryHealth {
  const sorted = [...stats].sort((a, b) => a.index - b.index);
  const instances =
    sorted.length === 0
      ? "no instances reported"
      : sorted.map((s) => `#${s.index} ${s.state}${s.details ? ` (${s.details})` : ""}`).join(", ");
  return { healthy: sorted.length > 0 && sorted.every((s) => s.state === "RUNNING"), instances };
}
