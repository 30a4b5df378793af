import type { DeploymentAction } from "./action-effect.js";
import { isCloudControllerError } from "./response-errors.js";
import { isSuccess, neverSent, type SendResult } from "./send-request.js";

/**
 * What one POST of a continue or cancel came to, as far as sending it again is concerned:
 * - `applied`: a 2xx.
 * - `unprocessable`: a 422 ("Cannot continue …"), settled by a read-back.
 * - `rateLimited`: a 429: CC's rate limiter refuses before the action runs
 *   (`cloud_controller_ng middleware/base_rate_limiter.rb`), so it may be sent again.
 * - `refused`: a 401, 403 or 404: refused by authentication or permission checks before the
 *   action ran (`app/controllers/application_controller.rb`, `v3/deployments_controller.rb`).
 * - `notSent`: a network failure before the request was written to a socket (refused, DNS,
 *   connect timeout, TLS): it never reached the server.
 * - `serverError`: a 5xx carrying CC's error envelope: CC itself answered, and it commits its
 *   transaction before it answers, so a read-back tells whether it took effect.
 * - `inDoubt`: a timeout, a reset after the request was written, a 5xx from a router or proxy,
 *   an unreadable response: the request may still be queued somewhere and land later.
 * - `failed`: any other status, a definite answer.
 */
export type ActionResultKind =
  | "applied"
  | "unprocessable"
  | "rateLimited"
  | "refused"
  | "notSent"
  | "serverError"
  | "inDoubt"
  | "failed";

/** Classifies the result of one POST of an action (pure). */
export function classifyActionResult(result: SendResult): ActionResultKind {
  if (isSuccess(result)) return "applied";
  if (result.kind === "network") return neverSent(result) ? "notSent" : "inDoubt";
  if (result.kind === "tooLarge") return "inDoubt";
  const { status } = result.response;
  if (status === 422) return "unprocessable";
  if (status === 429) return "rateLimited";
  if (status === 401 || status === 403 || status === 404) return "refused";
  if (status >= 500) return isCloudControllerError(result.response) ? "serverError" : "inDoubt";
  return "failed";
}

/** CC's `CF-NotAuthorized` code, sent for a token without `cloud_controller.write`. */
const NOT_AUTHORIZED = 10003;

/**
 * What a refusal of `action` means and what to do, as the last clause of its message. The
 * caller has just read the deployment, so a 404 means a role that may read but not manage apps
 * (`cloud_controller_ng app/controllers/v3/deployments_controller.rb` answers 404 to every role
 * but admin, Space Developer and Space Supporter); a 403 `CF-NotAuthorized` means the token
 * lacks `cloud_controller.write` (`application_controller.rb#check_write_permissions!`).
 */
export function refusalAdvice(
  action: DeploymentAction,
  status: number,
  cfCode: number | undefined,
): string {
  const refused = `the ${action} was refused and did not take effect`;
  const role =
    "the user or client needs the Space Developer or Space Supporter role in the app's space (or admin)";
  const scope = "its token needs the cloud_controller.write scope";
  if (status === 404) return `${refused}: the deployment could be read, so ${role}`;
  if (status === 403 && cfCode === NOT_AUTHORIZED) return `${refused}: ${scope}`;
  if (status === 403) return refused;
  return `${refused}: ${role}, and ${scope}`;
}
