import type { App, Deployment, DeploymentOptions, Metadata } from "../model.js";
import type { Store } from "../store.js";
import { canaryStepPlan } from "./canary-plan.js";
import { initialStatus, supersede } from "./deployment-state-machine.js";

/** What a validated `POST /v3/deployments` (or a seed) asks for. */
export interface DeploymentRequest extends DeploymentOptions {
  app: App;
  dropletGuid: string;
  metadata?: Metadata;
}

/**
 * Creates a deployment the way CC `app/actions/deployment_create.rb` does:
 * - the app's current droplet becomes the target droplet at once (`previous_droplet` keeps the old);
 * - a **stopped** app is started and the deployment is FINALIZED/DEPLOYED immediately, with no new
 *   process, even for canary;
 * - otherwise the app's ACTIVE deployment is superseded, the new deployment starts DEPLOYING
 *   (rolling) or PREPAUSED at step 1 (canary), and a new web process starts with
 *   `min(max_in_flight, N)` instances, N being the step-1 canary count, `web_instances` or the
 *   original count (`#starting_process_instances`). The original count carries over from a
 *   superseded deployment (`#desired_instances`).
 */
export function createDeployment(store: Store, request: DeploymentRequest): Deployment {
  const { app } = request;
  const now = store.now();
  const previousDroplet = app.dropletGuid;
  const previous = store.activeDeployment(app.guid);
  const webProcesses = store.webProcesses(app.guid);
  const oldest = webProcesses[0];
  const originalInstances = previous?.originalInstances ?? oldest?.instances.length ?? 0;
  app.dropletGuid = request.dropletGuid;
  app.updatedAt = now;

  const stopped = app.state === "STOPPED";
  const state = stopped ? "DEPLOYED" : request.strategy === "canary" ? "PREPAUSED" : "DEPLOYING";
  const status = initialStatus(state);
  const deployment = store.addDeployment({
    appGuid: app.guid,
    state,
    statusValue: status.value,
    statusReason: status.reason,
    strategy: request.strategy,
    maxInFlight: request.maxInFlight,
    webInstances: request.webInstances,
    memoryInMb: request.memoryInMb,
    diskInMb: request.diskInMb,
    logRateLimitInBytesPerSecond: request.logRateLimitInBytesPerSecond,
    canarySteps: request.canarySteps,
    canaryCurrentStep: 1,
    dropletGuid: request.dropletGuid,
    previousDropletGuid: previousDroplet,
    deployingProcessGuid: null,
    originalInstances,
    lastHealthyAt: now,
    statusUpdatedAt: now,
    error: null,
    metadata: request.metadata ?? { labels: {}, annotations: {} },
  });

  if (stopped) {
    startStoppedApp(store, request, now);
    return deployment;
  }

  if (previous !== undefined) supersede(previous, now);
  const target =
    request.strategy === "canary"
      ? (canaryStepPlan(originalInstances, request.webInstances, request.canarySteps)[0]?.canary ??
        1)
      : (request.webInstances ?? originalInstances);
  const process = store.addProcess({
    appGuid: app.guid,
    type: "web",
    instances: [],
    memoryInMb: request.memoryInMb ?? oldest?.memoryInMb ?? 1024,
    diskInMb: request.diskInMb ?? oldest?.diskInMb ?? 1024,
    logRateLimitInBytesPerSecond:
      request.logRateLimitInBytesPerSecond ?? oldest?.logRateLimitInBytesPerSecond ?? -1,
  });
  store.scaleProcess(process, Math.min(request.maxInFlight, target));
  deployment.deployingProcessGuid = process.guid;
  return deployment;
}

function startStoppedApp(store: Store, request: DeploymentRequest, now: number): void {
  const { app } = request;
  app.state = "STARTED";
  const web = store.webProcesses(app.guid)[0];
  if (web === undefined) return;
  if (request.webInstances !== undefined) store.scaleProcess(web, request.webInstances);
  if (request.memoryInMb !== undefined) web.memoryInMb = request.memoryInMb;
  if (request.diskInMb !== undefined) web.diskInMb = request.diskInMb;
  if (request.logRateLimitInBytesPerSecond !== undefined) {
    web.logRateLimitInBytesPerSecond = request.logRateLimitInBytesPerSecond;
  }
  for (const instance of web.instances) {
    instance.state = "STARTING";
    instance.since = now;
  }
  web.updatedAt = now;
}
