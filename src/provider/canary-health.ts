/** One instance of a process as `GET /v3/processes/{guid}/stats` reports it (CC JSON names). */
export interface InstanceStat {
  index: number;
  state: string;
  /** Seconds since the instance entered its state (CC reports it for RUNNING instances). */
  uptime?: number | null | undefined;
  details?: string | null | undefined;
}

/** The health gate's verdict on the canary instances. */
export interface CanaryHealth {
  healthy: boolean;
  /** Every instance and its state, e.g. "#0 RUNNING for 12s, #1 CRASHED (app exited)". */
  instances: string;
  /**
   * When every instance is RUNNING but some not for `forSeconds` yet: how many seconds until the
   * youngest one has been; 0 otherwise.
   */
  settlesInSeconds: number;
}

/**
 * Judges the canary before a continue (pure): healthy only when it has instances and every one of
 * them is RUNNING, for at least `forSeconds` by its `uptime`. STARTING, CRASHED and DOWN all count
 * against it, because CC itself continues a PAUSED deployment whatever its instances do (the
 * updater never looks at PAUSED deployments: cloud_controller_ng
 * lib/cloud_controller/deployment_updater/dispatcher.rb), so this gate is the only thing between
 * a crashing canary and the whole app.
 */
export function assessCanaryHealth(stats: readonly InstanceStat[], forSeconds = 0): CanaryHealth {
  const sorted = [...stats].sort((a, b) => a.index - b.index);
  const uptimeOf = (s: InstanceStat) => s.uptime ?? 0;
  const describe = (s: InstanceStat) =>
    `#${s.index} ${s.state}${forSeconds > 0 && s.state === "RUNNING" ? ` for ${uptimeOf(s)}s` : ""}${s.details ? ` (${s.details})` : ""}`;
  const instances = sorted.length === 0 ? "no instances reported" : sorted.map(describe).join(", ");
  const running = sorted.length > 0 && sorted.every((s) => s.state === "RUNNING");
  const youngest = Math.min(...sorted.map(uptimeOf));
  const settlesInSeconds = running && youngest < forSeconds ? forSeconds - youngest : 0;
  return { healthy: running && settlesInSeconds === 0, instances, settlesInSeconds };
}
