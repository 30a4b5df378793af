import { z } from "zod";
import type { Deployment } from "../client/index.js";
import { DeploymentStatusReasonSchema, DeploymentStatusValueSchema } from "../client/index.js";
import { gateResultsSchema } from "./gates/gate-results.js";
import type { PromotionInputs } from "./promotion-inputs.js";
import { promotionInputsSchema, promotionTargetSchema } from "./promotion-inputs.js";

// The stored state is read back with this schema, and state written by any earlier version of
// this provider must still read (the engine never replaces a resource because its provider code
// changed, pulumi/pulumi#1935): so every field that may be missing or odd in old state has a
// `.catch`, and only the deployment, its app and its status are required.

const nullableString = z.string().nullable().catch(null);

const canaryStepSchema = z.object({ current: z.number(), total: z.number() });

/** A canary deployment's position: step `current` of `total` (CC `status.canary.steps`). */
export type CanaryStep = z.infer<typeof canaryStepSchema>;

const stepSchema = z.union([z.number(), z.literal("deployed")]);

const sentContinueSchema = z.object({
  /** The canary step the deployment was paused at. */
  fromStep: z.number(),
  /** The step it moved on to, or "deployed" for the continue on the last step. */
  toStep: stepSchema,
  /** When the Cloud Controller accepted it (ISO 8601, UTC). */
  at: z.string(),
});

/** One continue a run sent and saw applied. */
export type SentContinue = z.infer<typeof sentContinueSchema>;

const promotionContinueSchema = sentContinueSchema.extend({
  /** Who sent it: the audit event's actor name, `null` when the audit trail could not be read. */
  by: z.string().nullable().catch(null),
  /** Whether this provider sent it (state written before this field listed only its own). */
  ours: z.boolean().catch(true),
});

/** One continue on the deployment, ours or someone else's: the audit trail a reviewer wants. */
export type PromotionContinue = z.infer<typeof promotionContinueSchema>;

const overshootSchema = z.object({
  /** The actors whose continues moved the deployment past the goal. */
  by: z.array(z.string()),
  /** Where the deployment went: a canary step, or "deployed". */
  toStep: stepSchema,
});

/** The deployment went past `toStep` because someone else continued it. */
export type Overshoot = z.infer<typeof overshootSchema>;

/** The deployment as the resource records it: plain, always-present values (`null` where CC has none). */
const recordedDeploymentSchema = z.object({
  /** The promoted deployment (also the resource id). */
  deploymentGuid: z.string(),
  appGuid: z.string(),
  /** `"canary"` or `"rolling"`. */
  strategy: z.string().catch("canary"),
  statusValue: DeploymentStatusValueSchema,
  statusReason: DeploymentStatusReasonSchema,
  /** The canary step, or null for a rolling deployment. */
  canaryStep: canaryStepSchema.nullable().catch(null),
  /** The droplet being deployed. */
  dropletGuid: nullableString,
  /** The app's droplet before the deployment: what a cancel rolls back to. */
  previousDropletGuid: nullableString,
  /** The deployment's revision, or null when the app has no revisions. */
  revision: z.object({ guid: z.string(), version: z.number() }).nullable().catch(null),
  /** When the status last changed (ISO 8601, CC `status.details.last_status_change`). */
  lastStatusChange: nullableString,
  /** When the new instances were last seen healthy (CC `status.details.last_successful_healthcheck`). */
  lastSuccessfulHealthcheck: nullableString,
});

/** A deployment as recorded in state. */
export type RecordedDeployment = z.infer<typeof recordedDeploymentSchema>;

/**
 * A deployment as the provider plans with it: what it records, plus the new web process whose
 * instances are the canary (CC `new_processes`), which is looked at but never recorded.
 */
export interface DeploymentSnapshot extends RecordedDeployment {
  newProcessGuid: string | null;
}

/**
 * What the resource records in state. Plain JSON only: the host hands outputs to google-protobuf's
 * `Struct.fromJavaScript` (@pulumi/pulumi cmd/dynamic-provider/index.ts), which turns `undefined`
 * into an "Unexpected struct type" error and a `Date` into `{}`, so absent values are `null` and
 * times are ISO strings.
 */
const promotionOutputsSchema = recordedDeploymentSchema.extend({
  appName: z.string().catch("(unknown app)"),
  /** Every continue on the deployment, across all updates, from its audit trail where readable. */
  continues: z.array(promotionContinueSchema).catch([]),
  /** Set when someone else continued the deployment past the goal; `null` otherwise. */
  overshoot: overshootSchema.nullable().catch(null),
  /** The target exactly as the inputs named it, so `diff` can tell a new target from a new id. */
  target: promotionTargetSchema,
  /** The gates checked before each continue, across all updates (the latest 50). */
  gateResults: gateResultsSchema,
});

/** The computed outputs of the resource. */
export type PromotionOutputs = z.infer<typeof promotionOutputsSchema>;

/** The stored outputs: the checked inputs (without `__provider`) overlaid with {@link PromotionOutputs}. */
export type PromotionState = z.infer<typeof promotionStateSchema>;
const promotionStateSchema = promotionInputsSchema.extend(promotionOutputsSchema.shape);

// State written before the target was recorded has none; its target was the deployment.
const storedStateSchema = promotionOutputsSchema
  .extend({ target: promotionTargetSchema.optional().catch(undefined) })
  .transform(
    (record): PromotionOutputs => ({
      ...record,
      target: record.target ?? { deploymentGuid: record.deploymentGuid },
    }),
  );

/**
 * Reads the recorded outputs (`olds` in diff/update, `props` in read) leniently, see the note at
 * the top. Returns `undefined` when not even the deployment and its status are there.
 */
export function readRecordedPromotion(olds: Record<string, unknown>): PromotionOutputs | undefined {
  const parsed = storedStateSchema.safeParse(olds);
  return parsed.success ? parsed.data : undefined;
}

/** Reduces a Cloud Controller deployment (as the client's schema guarantees it) to a snapshot. */
export function snapshotOf(deployment: Deployment): DeploymentSnapshot {
  const steps = deployment.status.canary?.steps;
  // CC always presents `status.canary` for canary deployments, with total 1 when no steps were
  // given (cloud_controller_ng app/presenters/v3/deployment_presenter.rb); default to that rather
  // than lose the position.
  const canaryStep =
    deployment.strategy === "canary"
      ? steps
        ? { current: steps.current, total: steps.total }
        : { current: 1, total: 1 }
      : null;
  const processes = deployment.new_processes;
  const web = processes.find((p) => p.type === "web") ?? processes[0];
  return {
    deploymentGuid: deployment.guid,
    appGuid: deployment.relationships.app.data.guid,
    strategy: deployment.strategy,
    statusValue: deployment.status.value,
    statusReason: deployment.status.reason,
    canaryStep,
    dropletGuid: deployment.droplet.guid,
    previousDropletGuid: deployment.previous_droplet?.guid ?? null,
    revision: deployment.revision
      ? { guid: deployment.revision.guid, version: deployment.revision.version }
      : null,
    lastStatusChange: deployment.status.details.last_status_change,
    lastSuccessfulHealthcheck: deployment.status.details.last_successful_healthcheck ?? null,
    newProcessGuid: web?.guid ?? null,
  };
}

/** The outputs for `create`/`update`/`read`: the observed deployment and what the resource knows. */
export function promotionOutputsOf(
  deployment: RecordedDeployment,
  facts: Pick<PromotionOutputs, "appName" | "target" | "continues" | "overshoot" | "gateResults">,
): PromotionOutputs {
  return {
    deploymentGuid: deployment.deploymentGuid,
    appGuid: deployment.appGuid,
    appName: facts.appName,
    strategy: deployment.strategy,
    statusValue: deployment.statusValue,
    statusReason: deployment.statusReason,
    canaryStep: deployment.canaryStep ? { ...deployment.canaryStep } : null,
    dropletGuid: deployment.dropletGuid,
    previousDropletGuid: deployment.previousDropletGuid,
    revision: deployment.revision ? { ...deployment.revision } : null,
    lastStatusChange: deployment.lastStatusChange,
    lastSuccessfulHealthcheck: deployment.lastSuccessfulHealthcheck,
    continues: facts.continues.map((c) => ({ ...c })),
    overshoot:
      facts.overshoot === null ? null : { ...facts.overshoot, by: [...facts.overshoot.by] },
    target: { ...facts.target },
    gateResults: structuredClone(facts.gateResults),
  };
}

/** The stored state: the checked inputs overlaid with {@link promotionOutputsOf}. */
export function promotionStateOf(
  inputs: PromotionInputs,
  deployment: RecordedDeployment,
  facts: Pick<PromotionOutputs, "appName" | "target" | "continues" | "overshoot" | "gateResults">,
): PromotionState {
  return { ...inputs, ...promotionOutputsOf(deployment, facts) };
}

/** Whether the recorded deployment finished deploying. */
export function isDeployed(deployment: Pick<RecordedDeployment, "statusValue" | "statusReason">) {
  return deployment.statusValue === "FINALIZED" && deployment.statusReason === "DEPLOYED";
}

/** Whether one of these continues was the one on the last step, which finalizes the deployment. */
export function finalContinueSent(continues: readonly SentContinue[]): boolean {
  return continues.some((c) => c.toStep === "deployed");
}
