import type { DeploymentAction } from "./action-effect.js";
import { refusalAdvice } from "./action-result.js";
import { CloudFoundryOutcomeUnknownError, isCloudFoundryError } from "./errors.js";
import type { AttemptContext } from "./request.js";
import { errorFromResponse } from "./response-errors.js";
import type { Deployment } from "./schemas.js";
import type { SendResult } from "./send-request.js";

/** The error of a 401, 403 or 404 on an action: the Cloud Controller's, with what is needed. */
export function refusal(
  action: DeploymentAction,
  result: SendResult,
  context: AttemptContext,
): Error {
  if (result.kind !== "response") return context.fail(result);
  const error = errorFromResponse(result.response, context.label, context.redact);
  const cfCode = isCloudFoundryError(error, "CF_API_ERROR") ? error.cfCode : undefined;
  const advice = refusalAdvice(action, result.response.status, cfCode);
  return errorFromResponse(result.response, context.label, context.redact, advice);
}

/** What {@link outcomeUnknown} reports. */
export interface UnknownOutcome {
  action: DeploymentAction;
  /** The POST's result, which left its outcome unknown. */
  result: SendResult;
  context: AttemptContext;
  attempts: number;
  /** The deployment as last read, unchanged. */
  deployment: Deployment;
  watchedMs: number;
}

/** The error of a POST in doubt that did not land while it was watched. */
export function outcomeUnknown(unknown: UnknownOutcome): CloudFoundryOutcomeUnknownError {
  const { action, context, watchedMs } = unknown;
  const { method, path } = context.label;
  const seconds = Math.round(watchedMs / 1000);
  return new CloudFoundryOutcomeUnknownError(
    `${method} ${path}: outcome unknown after ${context.describe(unknown.result)}, and not sent again, since it may still arrive; the deployment did not move in the ${seconds} s it was watched`,
    {
      method,
      path,
      action,
      watchedMs,
      attempts: unknown.attempts,
      lastSeen: unknown.deployment,
      hint: `the next run decides from what the deployment then shows (check it with \`cf app\`); do not send the ${action} by hand before looking`,
    },
  );
}
