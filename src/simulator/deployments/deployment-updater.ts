import type { Deployment, Process } from "../model.js";
import type { Store } from "../store.js";
import { scalingTargets, setDeploymentState } from "./deployment-state-machine.js";

/**
 * One tick of the deployment updater (CC `lib/cloud_controller/deployment_updater/*`), made
 * deterministic so tests can count ticks:
 *
 * 1. **Diego catches up.** Every instance of a started app that was STARTING becomes RUNNING
 *    (routable). An instance created during tick *k* is therefore RUNNING at tick *k + 1*.
 *    CRASHED and DOWN instances stay so until `POST /_sim/processes/:guid/instances/:index`.
 * 2. **Dispatch** (`dispatcher.rb`), in creation order: DEPLOYING and PREPAUSED deployments scale,
 *    CANCELING ones cancel. PAUSED and FINALIZED deployments are never touched.
 *
 * Scaling one deployment (`actions/scale.rb`, `up_scaler.rb`, `down_scaler.rb`), only when it
 * can grow or shrink:
 * - the process of every canary a newer deployment superseded goes to 0 instances;
 * - old web processes (oldest first) shrink so that old + routable-new = the total target, an
 *   interim one that reaches 0 being destroyed;
 * - if the new process has reached its target and that many instances are routable, the step is
 *   done: PREPAUSED → PAUSED (`last_healthy_at` = now), DEPLOYING → DEPLOYED (finalize);
 * - otherwise, when fewer than `max_in_flight` new instances are starting and none is unhealthy
 *   (CRASHED/DOWN), the new process grows to `min(routable + max_in_flight, target)`, stamping
 *   `last_healthy_at` and `updated_at` (not `status_updated_at`: the status stays DEPLOYING).
 *
 * So a step whose new-instance target is T, starting from R routable instances, takes
 * `ceil((T - R) / max_in_flight) + 1` ticks, and a CRASHED/DOWN new instance stops all progress.
 */
export function runUpdaterTick(store: Store): void {
  const now = store.now();
  for (const process of store.processes.values()) startInstances(store, process, now);
  const due = [...store.deployments.values()].filter(
    (d) => d.state === "DEPLOYING" || d.state === "PREPAUSED" || d.state === "CANCELING",
  );
  for (const deployment of due) {
    if (deployment.state === "CANCELING") cancelStep(store, deployment, now);
    else scaleStep(store, deployment, now);
  }
}

/**
 * Runs one canary's updater steps at once until it is PAUSED (for seeds that start with paused
 * canaries); other deployments are untouched.
 */
export function runDeploymentUntilSettled(store: Store, deployment: Deployment): void {
  for (let i = 0; i < 10_000 && deployment.state === "PREPAUSED"; i += 1) {
    const now = store.now();
    const process =
      deployment.deployingProcessGuid === null
        ? undefined
        : store.processes.get(deployment.deployingProcessGuid);
    if (process === undefined) return;
    startInstances(store, process, now);
    scaleStep(store, deployment, now);
  }
}

/** Diego's side: STARTING instances of a started app become RUNNING. */
function startInstances(store: Store, process: Process, now: number): void {
  if (store.apps.get(process.appGuid)?.state !== "STARTED") return;
  for (const instance of process.instances) {
    if (instance.state === "STARTING") {
      instance.state = "RUNNING";
      instance.since = now;
    }
  }
}

function countStates(process: Process): { routable: number; starting: number; unhealthy: number } {
  let routable = 0;
  let starting = 0;
  let unhealthy = 0;
  for (const instance of process.instances) {
    if (instance.state === "RUNNING") routable += 1;
    else if (instance.state === "STARTING") starting += 1;
    else unhealthy += 1;
  }
  return { routable, starting, unhealthy };
}

function scaleStep(store: Store, deployment: Deployment, now: number): void {
  const process =
    deployment.deployingProcessGuid === null
      ? undefined
      : store.processes.get(deployment.deployingProcessGuid);
  if (process === undefined) {
    // CC records the failure text in `error` and retries next tick (`updater.rb#with_error_logging`).
    deployment.error = "Deploying web process not found";
    deployment.updatedAt = now;
    return;
  }
  const { newTarget, totalTarget } = scalingTargets(deployment);
  const { routable, starting, unhealthy } = countStates(process);
  // `down_scaler.rb`: the other web processes, oldest first, and the instances they may keep.
  const old = store.webProcesses(deployment.appGuid).filter((p) => p.guid !== process.guid);
  const desiredOld = Math.max(totalTarget - routable, 0);
  const canDownscale = old.reduce((sum, p) => sum + p.instances.length, 0) > desiredOld;
  // `up_scaler.rb#can_scale?`: fewer than max_in_flight starting, none unhealthy, and Diego in
  // step with the process's instance count.
  const canScale =
    starting < deployment.maxInFlight &&
    unhealthy === 0 &&
    routable >= process.instances.length - deployment.maxInFlight;
  // `scale.rb#call` leaves a deployment that can neither grow nor shrink untouched.
  if (!canScale && !canDownscale) return;
  if (deployment.error !== null) {
    deployment.error = null;
    deployment.updatedAt = now;
  }
  // CC's down-scaler works on the instance counts it read before `ScaleDownCanceledProcesses`
  // zeroed a canceled, superseded deployment's process (`app.web_processes` is cached).
  const counts = new Map(old.map((p) => [p.guid, p.instances.length]));
  scaleDownCanceledProcesses(store, deployment.appGuid);
  if (canDownscale) scaleDownOldProcesses(store, deployment.appGuid, old, counts, desiredOld);
  if (process.instances.length >= newTarget && routable >= newTarget) {
    if (deployment.state === "PREPAUSED") {
      deployment.lastHealthyAt = now;
      setDeploymentState(deployment, "PAUSED", now);
    } else {
      finalize(store, deployment, process, now);
    }
    return;
  }
  if (canScale) {
    store.scaleProcess(process, Math.min(routable + deployment.maxInFlight, newTarget));
    // CC `up_scaler.rb#scale_up` writes `last_healthy_at`, and Sequel's timestamps plugin
    // (`lib/cloud_controller/db.rb`) stamps `updated_at` with it: a reader sees the tick.
    deployment.lastHealthyAt = now;
    deployment.updatedAt = now;
  }
}

/**
 * `scale_down_canceled_processes.rb`: the web process of every deployment of the app that a newer
 * one superseded while it was a canary (CANCELED/SUPERSEDED) goes to 0 instances, and stays.
 */
function scaleDownCanceledProcesses(store: Store, appGuid: string): void {
  for (const other of store.deployments.values()) {
    if (other.appGuid !== appGuid || other.state !== "CANCELED") continue;
    if (other.statusReason !== "SUPERSEDED" || other.deployingProcessGuid === null) continue;
    const process = store.processes.get(other.deployingProcessGuid);
    if (process !== undefined && process.instances.length > 0) store.scaleProcess(process, 0);
  }
}

/**
 * `down_scaler.rb#scale_down` with `scale_down_old_process.rb`, from the counts read before:
 * oldest first, each process gives up what is still to cut; one left with 0 instances is
 * destroyed unless it is the app's original (oldest) web process.
 */
function scaleDownOldProcesses(
  store: Store,
  appGuid: string,
  old: Process[],
  counts: Map<string, number>,
  desiredOld: number,
): void {
  let toReduce = [...counts.values()].reduce((sum, n) => sum + n, 0) - desiredOld;
  const original = store.webProcesses(appGuid)[0];
  for (const process of old) {
    if (toReduce <= 0) break;
    const count = counts.get(process.guid) ?? 0;
    if (toReduce < count) {
      store.scaleProcess(process, count - toReduce);
      break;
    }
    toReduce -= count;
    if (process.guid === original?.guid) store.scaleProcess(process, 0);
    else store.processes.delete(process.guid);
  }
}

/** `actions/finalize.rb`: the new process is the app's only web process from now on. */
function finalize(store: Store, deployment: Deployment, deploying: Process, now: number): void {
  for (const process of store.webProcesses(deployment.appGuid)) {
    if (process.guid !== deploying.guid) store.processes.delete(process.guid);
  }
  setDeploymentState(deployment, "DEPLOYED", now);
}

/**
 * `actions/cancel.rb`: the web process kept is the newest one of a deployment superseded while
 * rolling (DEPLOYED/SUPERSEDED) that has a RUNNING instance, else the app's oldest web process;
 * it goes back to the original instance count, every other web process is destroyed, and the
 * deployment is CANCELED with `error` cleared.
 */
function cancelStep(store: Store, deployment: Deployment, now: number): void {
  const web = store.webProcesses(deployment.appGuid);
  const interim = new Set(
    [...store.deployments.values()]
      .filter(
        (d) =>
          d.appGuid === deployment.appGuid &&
          d.state === "DEPLOYED" &&
          d.statusReason === "SUPERSEDED",
      )
      .map((d) => d.deployingProcessGuid),
  );
  const prior =
    [...web]
      .reverse()
      .find((p) => interim.has(p.guid) && p.instances.some((i) => i.state === "RUNNING")) ?? web[0];
  if (prior !== undefined) {
    for (const process of web) {
      if (process.guid !== prior.guid) store.processes.delete(process.guid);
    }
    store.scaleProcess(prior, deployment.originalInstances);
  }
  deployment.error = null;
  setDeploymentState(deployment, "CANCELED", now);
}
