import { isCloudFoundryError } from "../client/index.js";
import { bounded } from "../shared/bounded-text.js";
import { PromotionError } from "./promotion-error.js";

/**
 * What continuing or canceling needs: CC answers 404 to a user who may read the deployment but
 * not manage its app (`can_manage_apps_in_active_space?`: Space Developer or Space Supporter,
 * cloud_controller_ng app/controllers/v3/deployments_controller.rb, lib/cloud_controller/
 * permissions.rb), and 403 to a token without the write scope (`check_write_permissions!`,
 * app/controllers/v3/application_controller.rb).
 */
const NEEDS =
  "continuing or canceling a deployment needs the Space Developer or Space Supporter role in the app's space and a token with the cloud_controller.write scope";

/**
 * The refusal `error` is when the Cloud Controller answered an action with 401, 403 or 404 right
 * after the deployment was read: it did not apply it, so it is not a continue of unknown outcome.
 * `undefined` for any other error.
 */
export function definiteRefusal(
  error: unknown,
  action: "continue" | "cancel",
  subject: string,
): PromotionError | undefined {
  if (!isCloudFoundryError(error)) return undefined;
  const status = (error as { status?: unknown }).status;
  if (status !== 401 && status !== 403 && status !== 404) return undefined;
  const answer = bounded(error.message.split("\n")[0] ?? "");
  return new PromotionError(
    "PROMOTION_REFUSED",
    `the Cloud Controller refused to ${action} ${subject} (${answer}); it did not ${action} it. ${cap(NEEDS)}: check the roles of the user the provider connects as (cf space-users) and the scopes of its token.`,
    { cause: error },
  );
}

function cap(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
