import { z } from "zod";
import type { DeploymentSnapshot } from "./deployment-snapshot.js";
import type { PromotionInputs, PromotionTarget } from "./promotion-inputs.js";

/** One continue this resource sent: the audit trail a reviewer wants. */
export interface PromotionContinue {
  /** The canary step the deployment was paused at. */
  fromStep: number;
  /** The step it moved on to, or "deployed" for the continue on the last step. */
  toStep: number | "deployed";
  /** When the Cloud Controller accepted it (ISO 8601, UTC). */
  at: string;
}

/**
 * What the resource records in state. Plain JSON only: the host turns `undefined` into an
 * "Unexpected struct type" error and a `Date` into `{}` (reference/pulumi-dynamic.md §3.2), so
 * absent values are `null` and times are ISO strings.
 */
// A type alias rather than an interface, so that it is assignable to `Record<string, unknown>`.
export type PromotionOutputs = {
  /** The promoted deployment (also the resource id). */
  deploymentGuid: string;
  /** The deployment's app. */
  appGuid: string;
  /** The app's name. */
  appName: string;
} & Omit<DeploymentSnapshot, "guid" | "appGuid" | "newProcessGuid"> & {
    /** Every continue this resource sent, across all updates. */
    continues: PromotionContinue[];
    /** The target exactly as the inputs named it, so `diff` can tell a new target from a new id. */
    target: PromotionTarget;
  };

/** The stored outputs: the checked inputs (without `__provider`) overlaid with {@link PromotionOutputs}. */
export type PromotionState = Omit<PromotionInputs, "deploymentGuid" | "appGuid" | "appName"> &
  PromotionOutputs;

/** Builds the outputs for `create`/`update`/`read` from the inputs and the observed deployment. */
export function promotionStateOf(
  inputs: PromotionInputs,
  deployment: DeploymentSnapshot,
  facts: {
    appGuid: string;
    appName: string;
    target: PromotionTarget;
    continues: readonly PromotionContinue[];
  },
): PromotionState {
  return {
    ...inputs,
    deploymentGuid: deployment.guid,
    appGuid: deployment.appGuid ?? facts.appGuid,
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
    target: { ...facts.target },
  };
}

const nullableString = z.string().nullable().catch(null);
const recordedStateSchema = z.looseObject({
  deploymentGuid: z.string(),
  appGuid: z.string(),
  appName: z.string().catch("(unknown app)"),
  strategy: z.string().catch("canary"),
  statusValue: z.string(),
  statusReason: z.string().catch(""),
  canaryStep: z.object({ current: z.number(), total: z.number() }).nullable().catch(null),
  dropletGuid: nullableString,
  previousDropletGuid: nullableString,
  revision: z.object({ guid: z.string(), version: z.number() }).nullable().catch(null),
  lastStatusChange: nullableString,
  lastSuccessfulHealthcheck: nullableString,
  continues: z
    .array(
      z.object({
        fromStep: z.number(),
        toStep: z.union([z.number(), z.literal("deployed")]),
        at: z.string(),
      }),
    )
    .catch([]),
  target: z
    .union([
      z.object({ deploymentGuid: z.string() }),
      z.object({ appGuid: z.string() }),
      z.object({ appName: z.string(), spaceGuid: z.string() }),
      z.object({ appName: z.string(), spaceName: z.string(), orgName: z.string() }),
    ])
    .optional()
    .catch(undefined),
});

/** What an earlier `create`/`update` recorded, read back from state. */
export type RecordedPromotion = z.infer<typeof recordedStateSchema>;

/**
 * Reads the recorded outputs (`olds` in diff/update, `props` in read) leniently: state may have
 * been written by an older version of this provider, and every version must cope with it
 * (the host never replaces a resource because its provider code changed, pulumi/pulumi#1935).
 * Returns `undefined` when not even the deployment and its status are there.
 */
export function readRecordedPromotion(
  olds: Record<string, unknown>,
): RecordedPromotion | undefined {
  const parsed = recordedStateSchema.safeParse(olds);
  return parsed.success ? parsed.data : undefined;
}

/** The recorded outputs as a deployment snapshot (for planning against the last known state). */
export function snapshotOfRecord(record: RecordedPromotion): DeploymentSnapshot {
  return {
    guid: record.deploymentGuid,
    appGuid: record.appGuid,
    strategy: record.strategy,
    statusValue: record.statusValue,
    statusReason: record.statusReason,
    canaryStep: record.canaryStep,
    dropletGuid: record.dropletGuid,
    previousDropletGuid: record.previousDropletGuid,
    revision: record.revision,
    lastStatusChange: record.lastStatusChange,
    lastSuccessfulHealthcheck: record.lastSuccessfulHealthcheck,
    newProcessGuid: null,
  };
}
