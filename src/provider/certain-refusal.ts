import type { Deployment } from "../client/index.js";
import { isCloudFoundryError } from "../client/index.js";
import { isPromotionError, PromotionError } from "./promotion-error.js";
import type { PromotionSettings } from "./promotion-inputs.js";
import type { PlanContext } from "./promotion-plan.js";
import { planPromotion } from "./promotion-plan.js";
import { snapshotOf } from "./promotion-record.js";

/**
 * The refusal a promotion of `deployment` as it is now would raise before sending anything: a
 * droplet other than `expectedDropletGuid`, or a deployment the goal cannot be reached on
 * (canceled, superseded, `toStep` beyond the last step…). `converge` raises it before its first
 * continue, and `check`/`diff` raise it in `pulumi preview`, so a reviewer never approves a plan
 * that `up` would refuse. An unhealthy canary is not here: it may recover before `up`.
 */
export function refusalBeforeSending(
  deployment: Deployment,
  settings: Pick<PromotionSettings, "expectedDropletGuid" | "goal">,
  context: PlanContext,
): PromotionError | undefined {
  const snapshot = snapshotOf(deployment);
  const subject = `deployment ${deployment.guid} of app ${context.appName}`;
  const expected = settings.expectedDropletGuid;
  if (expected !== null && snapshot.dropletGuid !== expected) {
    return new PromotionError(
      "PROMOTION_WRONG_DROPLET",
      `${subject} deploys droplet ${snapshot.dropletGuid ?? "(none)"}, but expectedDropletGuid is ${expected}: refusing to promote another release; nothing was sent`,
    );
  }
  const plan = planPromotion(snapshot, settings.goal, context);
  if (plan.action === "fail") return new PromotionError("PROMOTION_NOT_PROMOTABLE", plan.summary);
  return undefined;
}

/**
 * Whether an error met while planning (in `check` or `diff`) means the `up` will certainly fail
 * the same way: the target does not exist, the credentials are rejected or missing, the API
 * cannot be reached, or a refusal. A timeout, a 429 or a server error (5xx) may pass by the time
 * `up` runs, so those only make the plan unknown.
 */
export function isCertainFailure(error: unknown): boolean {
  if (isPromotionError(error)) return !isPromotionError(error, "PROMOTION_TIMEOUT");
  if (!isCloudFoundryError(error)) return false;
  switch (error.code) {
    case "CF_AUTH_ERROR":
    case "CF_CONFIG_ERROR":
    case "CF_NETWORK_ERROR":
      return true;
    case "CF_API_ERROR": {
      const status = (error as { status?: unknown }).status;
      return typeof status === "number" && status < 500 && status !== 429;
    }
    default:
      return false;
  }
}
