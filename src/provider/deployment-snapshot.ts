import type { Deployment } from "../client/index.js";

/** A Cloud Controller V3 deployment as the client parses it (CC JSON field names). */
export type CloudControllerDeployment = Deployment;

/** A canary deployment's position: step `current` of `total` (CC `status.canary.steps`). */
export interface CanaryStep {
  current: number;
  total: number;
}

/** A deployment reduced to plain, always-present values (`null` where CC has none). */
export interface DeploymentSnapshot {
  guid: string;
  appGuid: string | null;
  /** `"canary"` or `"rolling"`. */
  strategy: string;
  /** `ACTIVE` or `FINALIZED` (CC `status.value`). */
  statusValue: string;
  /** `DEPLOYING`, `PAUSED`, `CANCELING`, `DEPLOYED`, `CANCELED` or `SUPERSEDED` (CC `status.reason`). */
  statusReason: string;
  /** The canary step `{ current, total }`, or null for a rolling deployment. */
  canaryStep: CanaryStep | null;
  /** The droplet being deployed. */
  dropletGuid: string | null;
  /** The app's droplet before the deployment: what a cancel rolls back to. */
  previousDropletGuid: string | null;
  /** The deployment's revision, or null when the app has no revisions. */
  revision: { guid: string; version: number } | null;
  /** When the status last changed (ISO 8601, CC `status.details.last_status_change`). */
  lastStatusChange: string | null;
  /** When the new instances were last seen healthy (CC `status.details.last_successful_healthcheck`). */
  lastSuccessfulHealthcheck: string | null;
  /** The deployment's new web process, whose instances are the canary (CC `new_processes[0]`). */
  newProcessGuid: string | null;
}

/** Reduces a Cloud Controller deployment to a {@link DeploymentSnapshot}. */
export function snapshotOf(deployment: CloudControllerDeployment): DeploymentSnapshot {
  const strategy = deployment.strategy ?? "rolling";
  const steps = deployment.status.canary?.steps;
  // CC always presents `status.canary` for canary deployments, with total 1 when no steps were
  // given (`deployment_presenter.rb`); default to that rather than lose the position.
  const canaryStep =
    strategy === "canary"
      ? steps
        ? { current: steps.current, total: steps.total }
        : { current: 1, total: 1 }
      : null;
  const web =
    deployment.new_processes?.find((p) => p.type === "web") ?? deployment.new_processes?.[0];
  return {
    guid: deployment.guid,
    appGuid: deployment.relationships?.app?.data?.guid ?? null,
    strategy,
    statusValue: deployment.status.value,
    statusReason: deployment.status.reason ?? "",
    canaryStep,
    dropletGuid: deployment.droplet?.guid ?? null,
    previousDropletGuid: deployment.previous_droplet?.guid ?? null,
    revision: deployment.revision
      ? { guid: deployment.revision.guid, version: deployment.revision.version }
      : null,
    lastStatusChange: deployment.status.details?.last_status_change ?? null,
    lastSuccessfulHealthcheck: deployment.status.details?.last_successful_healthcheck ?? null,
    newProcessGuid: web?.guid ?? null,
  };
}
