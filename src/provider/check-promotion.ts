import { snapshotOf } from "./deployment-snapshot.js";
import type { InputFailure } from "./promotion-inputs.js";
import {
  checkPromotionInputs,
  parsePromotionInputs,
  promotionSettingsOf,
  promotionTargetOf,
} from "./promotion-inputs.js";
import { planPromotion } from "./promotion-plan.js";
import type { ProviderRuntime } from "./provider-runtime.js";
import { withClient } from "./provider-runtime.js";
import { resolveTarget } from "./resolve-target.js";
import { isUnknownValue } from "./unknown-value.js";

/** How long the read-only look at a new promotion's target may take in `check`. */
const PLAN_BUDGET_MS = 30_000;

/**
 * `check`: validates the new inputs and returns them unchanged, with one failure per mistake,
 * each naming the property; it never throws for bad inputs. Values of other resources arrive as
 * the unknown sentinel in `pulumi preview` and are let through.
 *
 * For a new resource (no old inputs) with valid, known inputs it also prints the plan, because
 * `diff` is not called for creates and `pulumi preview` should still show what `up` will do. That
 * look at the Cloud Controller is read-only and best effort: if it fails, `check` says so in one
 * line and still succeeds (`create` will report the problem properly). When some inputs are not
 * known yet it only says so: there is nothing to look up.
 */
export async function checkPromotion(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  runtime?: () => Promise<ProviderRuntime>,
): Promise<{ inputs: Record<string, unknown>; failures: InputFailure[] }> {
  const failures = checkPromotionInputs(news);
  const isCreate = Object.keys(olds).length === 0;
  if (failures.length === 0 && isCreate && runtime !== undefined) {
    const unknown = Object.keys(news).filter((key) => isUnknownValue(news[key]));
    if (unknown.length === 0) {
      await printCreatePlan(runtime, news);
    } else {
      // Nothing to look up yet: the plan depends on values other resources produce.
      await printLine(
        runtime,
        `plan: not known until apply (${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not known yet)`,
      );
    }
  }
  return { inputs: news, failures };
}

/** Prints through the provider's runtime, or stdout when the runtime cannot be built. */
async function printLine(runtime: () => Promise<ProviderRuntime>, line: string): Promise<void> {
  try {
    (await runtime()).print(line);
  } catch {
    console.log(line);
  }
}

async function printCreatePlan(
  runtime: () => Promise<ProviderRuntime>,
  news: Record<string, unknown>,
): Promise<void> {
  let print = (line: string) => console.log(line);
  try {
    const resolved = await runtime();
    print = resolved.print;
    const inputs = parsePromotionInputs(news);
    const { goal } = promotionSettingsOf(inputs);
    await withClient(resolved, async (client) => {
      const deadline = resolved.now() + PLAN_BUDGET_MS;
      const { deployment, app } = await resolveTarget(client, promotionTargetOf(inputs), {
        deadline,
      });
      print(`plan: ${planPromotion(snapshotOf(deployment), goal, { appName: app.name }).summary}`);
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    print(`plan: not known until the promotion runs (${message.split("\n")[0]})`);
  }
}
