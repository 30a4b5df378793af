import type { Deployment } from "../client/index.js";
import { assessCanaryHealth } from "./canary-health.js";
import type { PromotionClient } from "./promotion-client.js";
import type { PromotionSettings } from "./promotion-inputs.js";
import type { PromotionPlan } from "./promotion-plan.js";
import { snapshotOf } from "./promotion-record.js";

/**
 * For a plan that continues now: the canary's health as it is at plan time, as a warning to add
 * to the plan line, or "" when it is healthy (or the gate is off, or nothing is continued now).
 * It is only a warning because the canary may recover by the time `up` runs; `up` re-checks it
 * before each continue and refuses then.
 */
export async function canaryHealthWarning(
  client: PromotionClient,
  deployment: Deployment,
  plan: PromotionPlan,
  settings: Pick<PromotionSettings, "gates">,
  deadline: number,
): Promise<string> {
  const healthy = settings.gates.healthy;
  if (plan.action !== "continue" || healthy === null) return "";
  const processGuid = snapshotOf(deployment).newProcessGuid;
  if (processGuid === null) {
    return " (warning: it has no new web process whose health could be checked; up will refuse to continue)";
  }
  let stats: Awaited<ReturnType<PromotionClient["getProcessStats"]>>;
  try {
    stats = await client.getProcessStats(processGuid, { deadline });
  } catch (error) {
    // Only a warning either way: a failed look must not fail the plan.
    const message = error instanceof Error ? error.message : String(error);
    return ` (warning: the canary's health could not be read now: ${message.split("\n")[0]})`;
  }
  const health = assessCanaryHealth(stats, healthy.forSeconds);
  if (health.healthy) return "";
  return ` (warning: the canary is not healthy now: ${health.instances}; up waits for it to recover until timeoutSeconds)`;
}
