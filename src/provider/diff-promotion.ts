import { isDeepStrictEqual } from "node:util";
import type * as pulumi from "@pulumi/pulumi";
import { canaryHealthWarning } from "./canary-health-warning.js";
import { gatesPreviewLine } from "./gates/gate-preview.js";
import type { PromotionClient } from "./promotion-client.js";
import { getDeploymentUnlessGone, isNotFoundError } from "./promotion-client.js";
import { isPromotionError } from "./promotion-error.js";
import type { PromotionInputs, PromotionTarget } from "./promotion-inputs.js";
import {
  parsePromotionInputs,
  promotionSettingsOf,
  promotionTargetOf,
  SETTING_PROPERTIES,
  TARGET_PROPERTIES,
} from "./promotion-inputs.js";
import type { PromotionGoal } from "./promotion-plan.js";
import { planPromotion } from "./promotion-plan.js";
import type { PromotionOutputs } from "./promotion-record.js";
import { readRecordedPromotion, snapshotOf } from "./promotion-record.js";
import type { ProviderRuntime } from "./provider-runtime.js";
import { PLAN_BUDGET_MS, withClient } from "./provider-runtime.js";
import { refreshChangedRecord, takeRefresh } from "./refresh-observations.js";
import type { TargetApp } from "./resolve-target.js";
import { appOfDeployment, resolveTargetApp } from "./resolve-target.js";
import { holdsUnknownValue, isUnknownValue } from "./unknown-value.js";
import { decideUpdate } from "./update-decision.js";

/** `diff`'s answer: a Pulumi `DiffResult` that always says whether and what replaces. */
export type PromotionDiff = Required<Pick<pulumi.dynamic.DiffResult, "changes" | "replaces">>;

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
 * - Right after `read` in the same host (a refresh asking whether `read` found drift) → changes
 *   exactly when the refresh changed the record; nothing is printed or looked up.
 *
 * `__provider` is never compared: provider code changes must not promote anything
 * (pulumi/pulumi#12401).
 */
export async function diffPromotion(
  runtime: ProviderRuntime,
  id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<PromotionDiff> {
  const refresh = takeRefresh(id, olds);
  if (refresh !== undefined) {
    // The engine asks whether `read` found drift (see refresh-observations.ts): it did when the
    // record changed. Nothing to plan, print or look up: read has just looked.
    return { changes: refreshChangedRecord(refresh), replaces: [] };
  }
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

  const known = Object.fromEntries(Object.entries(news).filter(([, v]) => !holdsUnknownValue(v)));
  const inputs = parsePromotionInputs(known);
  const target = promotionTargetOf(inputs);
  const settingsChanged = SETTING_PROPERTIES.some(
    // Deeply: `gates` is an object, and the engine sends a fresh one every time.
    (key) =>
      holdsUnknownValue(news[key]) || !isDeepStrictEqual(news[key] ?? null, olds[key] ?? null),
  );
  const { toStep: newToStep } = news;
  const { toStep: oldToStep } = olds;
  const goalUnknown = isUnknownValue(newToStep);
  const goalChanged = goalUnknown || (newToStep ?? null) !== (oldToStep ?? null);
  const settings = promotionSettingsOf(inputs);
  const { goal } = settings;

  return withClient(runtime, async (client) => {
    const replaced = await replacement(client, record, target, inputs, goal);
    if (replaced !== undefined) {
      runtime.print(`plan: ${replaced.summary}`);
      return { changes: true, replaces: [replaced.property] };
    }

    const live = await getDeploymentUnlessGone(client, record.deploymentGuid);
    if (goalUnknown) {
      runtime.print(
        `plan: toStep is not known until apply; deployment ${record.deploymentGuid} of app ${record.appName} may be promoted`,
      );
      return { changes: true, replaces: [] };
    }

    const decision = decideUpdate(record, live, settings, !goalChanged);
    switch (decision.kind) {
      case "refuse":
        // `up` would fail with this, sending nothing: fail the preview the same way.
        throw decision.error;
      case "record":
        runtime.print(
          `plan: ${decision.why}${settingsChanged ? " (record the new settings)" : ""}`,
        );
        return { changes: settingsChanged, replaces: [] };
      case "converge": {
        if (decision.plan.action === "done") {
          if (settingsChanged)
            runtime.print(`plan: ${decision.plan.summary} (record the new settings)`);
          return { changes: settingsChanged, replaces: [] };
        }
        runtime.print(
          `plan: ${decision.plan.summary}${await canaryHealthWarning(client, decision.deployment, decision.plan, settings, runtime.now() + PLAN_BUDGET_MS)}`,
        );
        const gates = gatesPreviewLine(settings, decision.plan);
        // The settings were parsed without the unknown values: their defaults are not the plan.
        const gatesUnknown = ["gates", "onGateFailure"].some((key) => holdsUnknownValue(news[key]));
        if (gates !== undefined) {
          runtime.print(
            gatesUnknown ? "plan: the gates before each continue are not known until apply" : gates,
          );
        }
        return { changes: true, replaces: [] };
      }
    }
  });
}

/**
 * Whether the new inputs point at another deployment than the recorded one, and if so which
 * property to report and what the replacement will do.
 */
async function replacement(
  client: PromotionClient,
  record: PromotionOutputs,
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
