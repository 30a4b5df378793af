import type { CloudControllerDeployment } from "./deployment-snapshot.js";
import { snapshotOf } from "./deployment-snapshot.js";
import type { PromotionClient } from "./promotion-client.js";
import { isNotFoundError } from "./promotion-client.js";
import { isPromotionError } from "./promotion-error.js";
import type { PromotionInputs, PromotionTarget } from "./promotion-inputs.js";
import {
  parsePromotionInputs,
  promotionSettingsOf,
  promotionTargetOf,
  SETTING_PROPERTIES,
  TARGET_PROPERTIES,
} from "./promotion-inputs.js";
import type { RecordedPromotion } from "./promotion-outputs.js";
import { readRecordedPromotion } from "./promotion-outputs.js";
import type { PromotionGoal } from "./promotion-plan.js";
import { planPromotion } from "./promotion-plan.js";
import type { ProviderRuntime } from "./provider-runtime.js";
import { withClient } from "./provider-runtime.js";
import type { TargetApp } from "./resolve-target.js";
import { appOfDeployment, resolveTargetApp } from "./resolve-target.js";
import { isUnknownValue } from "./unknown-value.js";

/** `diff`'s answer in the shape of `pulumi.dynamic.DiffResult`. */
export interface PromotionDiff {
  changes: boolean;
  replaces: string[];
}

/**
 * `diff`: decides update, replace or nothing, from the recorded outputs, the new inputs and a
 * read-only look at the Cloud Controller, and prints the exact action it plans (diff runs in
 * `pulumi preview`, and the host's stdout reaches the user).
 *
 * - A different target deployment → replace. With an app target, a newer active deployment of
 *   that app (a new `cf push --strategy canary`) is a different target too.
 * - The recorded deployment below the goal → update (a promotion).
 * - Only settings changed, or `toStep` lowered below where the deployment already is → update
 *   that records them; it sends nothing.
 * - A deployment that was canceled, superseded or is gone → nothing to promote; an update only
 *   when inputs changed (it fails if a higher goal was asked for, and records settings otherwise).
 *
 * `__provider` is never compared: provider code changes must not promote anything
 * (pulumi/pulumi#12401).
 */
export async function diffPromotion(
  runtime: ProviderRuntime,
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<PromotionDiff> {
  const record = readRecordedPromotion(olds);
  if (record === undefined) {
    runtime.print("plan: the recorded state is not readable; update it from the Cloud Controller");
    return { changes: true, replaces: [] };
  }

  const unknownTargets = TARGET_PROPERTIES.filter((key) => isUnknownValue(news[key]));
  if (unknownTargets.length > 0) {
    runtime.print(
      `plan: the target (${unknownTargets.join(", ")}) is not known until apply; the promotion of deployment ${record.deploymentGuid} is replaced if it changes`,
    );
    return { changes: true, replaces: unknownTargets };
  }

  const known = Object.fromEntries(Object.entries(news).filter(([, v]) => !isUnknownValue(v)));
  const inputs = parsePromotionInputs(known);
  const target = promotionTargetOf(inputs);
  const settingsChanged = SETTING_PROPERTIES.some(
    (key) => isUnknownValue(news[key]) || (news[key] ?? null) !== (olds[key] ?? null),
  );
  const { toStep: newToStep } = news;
  const { toStep: oldToStep } = olds;
  const goalUnknown = isUnknownValue(newToStep);
  const goalChanged = goalUnknown || (newToStep ?? null) !== (oldToStep ?? null);
  const goal = promotionSettingsOf(inputs).goal;

  return withClient(runtime, async (client) => {
    const replaced = await replacement(client, record, target, inputs, goal);
    if (replaced !== undefined) {
      runtime.print(`plan: ${replaced.summary}`);
      return { changes: true, replaces: [replaced.property] };
    }

    let live: CloudControllerDeployment | undefined;
    try {
      live = await client.getDeployment(record.deploymentGuid);
    } catch (error) {
      if (!isNotFoundError(error)) throw error;
    }
    /** What the update that only records inputs will do; it fails when asked for a new goal. */
    const recordNote = (goalReachable: boolean) =>
      !settingsChanged
        ? ""
        : goalChanged && !goalReachable
          ? " (the update will fail: a new goal cannot be reached)"
          : " (record the new settings)";
    if (live === undefined) {
      // A deployed record keeps any goal; anything else cannot be promoted any more (update
      // answers PROMOTION_NOT_FOUND), and the plan must say so rather than promise a record.
      const deployed = record.statusValue === "FINALIZED" && record.statusReason === "DEPLOYED";
      runtime.print(
        `plan: deployment ${record.deploymentGuid} of app ${record.appName} is no longer in the Cloud Controller; nothing to promote${recordNote(deployed)}`,
      );
      return { changes: settingsChanged, replaces: [] };
    }
    if (goalUnknown) {
      runtime.print(
        `plan: toStep is not known until apply; deployment ${record.deploymentGuid} of app ${record.appName} may be promoted`,
      );
      return { changes: true, replaces: [] };
    }

    const plan = planPromotion(snapshotOf(live), goal, {
      appName: record.appName,
      finalContinueSent: record.continues.some((c) => c.toStep === "deployed"),
    });
    switch (plan.action) {
      case "continue":
      case "wait":
        runtime.print(`plan: ${plan.summary}`);
        return { changes: true, replaces: [] };
      case "done":
        if (settingsChanged) runtime.print(`plan: ${plan.summary} (record the new settings)`);
        return { changes: settingsChanged, replaces: [] };
      case "fail":
        if (plan.problem === "beyond-last-step") {
          runtime.print(`plan: ${plan.summary}`);
          return { changes: true, replaces: [] };
        }
        runtime.print(`plan: ${plan.summary}${recordNote(false)}`);
        return { changes: settingsChanged, replaces: [] };
    }
  });
}

/**
 * Whether the new inputs point at another deployment than the recorded one, and if so which
 * property to report and what the replacement will do.
 */
async function replacement(
  client: PromotionClient,
  record: RecordedPromotion,
  target: PromotionTarget,
  inputs: PromotionInputs,
  goal: PromotionGoal,
): Promise<{ property: string; summary: string } | undefined> {
  const property = TARGET_PROPERTIES.find((key) => inputs[key] !== undefined) ?? "deploymentGuid";
  const then = async (guid: string) => {
    try {
      const next = await client.getDeployment(guid);
      const app = await appOfDeployment(client, next, {});
      return `; then ${planPromotion(snapshotOf(next), goal, { appName: app.name }).summary}`;
    } catch (error) {
      if (isNotFoundError(error))
        return `; deployment ${guid} was not found, so the replacement will fail`;
      throw error;
    }
  };

  if ("deploymentGuid" in target) {
    if (target.deploymentGuid === record.deploymentGuid) return undefined;
    return {
      property,
      summary: `the target changes from deployment ${record.deploymentGuid} to ${target.deploymentGuid}: replace${await then(target.deploymentGuid)}`,
    };
  }

  let app: TargetApp | undefined;
  try {
    app = await resolveTargetApp(client, target, {});
  } catch (error) {
    if (!isPromotionError(error, "PROMOTION_NOT_FOUND")) throw error;
  }
  if (app === undefined) {
    if (sameTarget(record.target, target)) return undefined;
    return {
      property,
      summary: `the target changes to an app that was not found (${describeTarget(target)}): replace; the replacement will fail`,
    };
  }
  if (app.guid !== record.appGuid) {
    return {
      property,
      summary: `the target changes from app ${record.appName} (${record.appGuid}) to app ${app.name} (${app.guid}): replace${await activeThen(client, app, goal)}`,
    };
  }
  const active = await client.getActiveDeployment(app.guid);
  if (active !== undefined && active.guid !== record.deploymentGuid) {
    return {
      property,
      summary: `app ${app.name} has a newer active deployment ${active.guid} (was ${record.deploymentGuid}): replace; then ${planPromotion(snapshotOf(active), goal, { appName: app.name }).summary}`,
    };
  }
  return undefined;
}

async function activeThen(
  client: PromotionClient,
  app: TargetApp,
  goal: PromotionGoal,
): Promise<string> {
  const active = await client.getActiveDeployment(app.guid);
  if (active === undefined)
    return `; app ${app.name} has no active deployment, so the replacement will fail`;
  return `; then ${planPromotion(snapshotOf(active), goal, { appName: app.name }).summary}`;
}

function sameTarget(recorded: PromotionTarget | undefined, target: PromotionTarget): boolean {
  if (recorded === undefined) return false;
  const keys = new Set([...Object.keys(recorded), ...Object.keys(target)]);
  return [...keys].every(
    (key) =>
      (recorded as Record<string, unknown>)[key] === (target as Record<string, unknown>)[key],
  );
}

function describeTarget(target: PromotionTarget): string {
  return Object.entries(target)
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(", ");
}
