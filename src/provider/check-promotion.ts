import { activeDeploymentForPlan, listedAtMs } from "./active-listing.js";
import { canaryHealthWarning } from "./canary-health-warning.js";
import { isCertainFailure, refusalBeforeSending } from "./certain-refusal.js";
import { keepCheckedTarget } from "./checked-targets.js";
import { gatesPreviewLine } from "./gates/gate-preview.js";
import type { InputFailure } from "./promotion-inputs.js";
import {
  checkPromotionInputs,
  parsePromotionInputs,
  promotionSettingsOf,
  promotionTargetOf,
} from "./promotion-inputs.js";
import { planPromotion } from "./promotion-plan.js";
import { snapshotOf } from "./promotion-record.js";
import type { ProviderRuntime } from "./provider-runtime.js";
import { PLAN_BUDGET_MS, withClient } from "./provider-runtime.js";
import { resolveTarget } from "./resolve-target.js";
import { holdsUnknownValue } from "./unknown-value.js";

/**
 * `check`: validates the new inputs and returns them unchanged, with one failure per mistake,
 * each naming the property; it never throws for bad inputs. Values of other resources arrive as
 * the unknown sentinel in `pulumi preview` and are let through.
 *
 * For a new resource (no old inputs) with valid, known inputs it also looks at the target
 * (read-only) and prints the plan, because `diff` is not called for creates and `pulumi preview`
 * should show what `up` will do. When `up` would certainly refuse (an unknown org, space or app,
 * no active deployment, the wrong droplet, `toStep` past the last step, rejected credentials, an
 * unreachable API) it throws that error, so the preview fails before anything is written. What
 * may change by the time `up` runs (a timeout, a 5xx) only makes the plan unknown. When some
 * inputs are not known yet it only says so: there is nothing to look up.
 */
export async function checkPromotion(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  runtime?: () => Promise<ProviderRuntime>,
): Promise<{ inputs: Record<string, unknown>; failures: InputFailure[] }> {
  const failures = checkPromotionInputs(news);
  const isCreate = Object.keys(olds).length === 0;
  if (failures.length === 0 && isCreate && runtime !== undefined) {
    const unknown = Object.keys(news).filter((key) => holdsUnknownValue(news[key]));
    if (unknown.length === 0) {
      await planCreate(await runtime(), news);
    } else {
      // Nothing to look up yet: the plan depends on values other resources produce.
      (await runtime()).print(
        `plan: not known until apply (${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not known yet)`,
      );
    }
  }
  return { inputs: news, failures };
}

/** Prints what `create` will do, or throws what it will certainly fail with. */
async function planCreate(runtime: ProviderRuntime, news: Record<string, unknown>): Promise<void> {
  const inputs = parsePromotionInputs(news);
  const settings = promotionSettingsOf(inputs);
  try {
    await withClient(runtime, async (client) => {
      const lookedUpAtMs = runtime.now();
      const deadline = lookedUpAtMs + PLAN_BUDGET_MS;
      const target = promotionTargetOf(inputs);
      const { deployment, app } = await resolveTarget(client, target, { deadline }, (guid, o) =>
        activeDeploymentForPlan(client, guid, runtime.now(), o ?? {}),
      );
      const context = { appName: app.name };
      const refusal = refusalBeforeSending(deployment, settings, context);
      if (refusal !== undefined) throw refusal;
      // A deployment from the host's list is as old as the list.
      const readAtMs = Math.min(lookedUpAtMs, listedAtMs(deployment) ?? lookedUpAtMs);
      keepCheckedTarget(client, target, { deployment, app }, readAtMs);
      const plan = planPromotion(snapshotOf(deployment), settings.goal, context);
      const warning = await canaryHealthWarning(client, deployment, plan, settings, deadline);
      runtime.print(`plan: ${plan.summary}${warning}`);
      const gates = gatesPreviewLine(settings, plan);
      if (gates !== undefined) runtime.print(gates);
    });
  } catch (error) {
    if (isCertainFailure(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    runtime.print(`plan: not known until the promotion runs (${message.split("\n")[0]})`);
  }
}
