import { actionEffect, alreadyCanceled, type DeploymentAction } from "./action-effect.js";
import { outcomeUnknown, refusal } from "./action-errors.js";
import { classifyActionResult } from "./action-result.js";
import type { ActionOutcome } from "./cloud-foundry-client.js";
import {
  asClause,
  CloudFoundryNetworkError,
  CloudFoundryOutcomeUnknownError,
  CloudFoundryTimeoutError,
  isCloudFoundryError,
  sanitizeCause,
} from "./errors.js";
import { awaitEvidence, type LateDeliveryOptions } from "./late-delivery.js";
import type { AttemptContext, Decision, RequestOptions } from "./request.js";
import { type Deployment, DeploymentSchema } from "./schemas.js";
import { isAmbiguous, isSuccess, type SendResult } from "./send-request.js";
import type { Clock, OperationBudget } from "./with-retry.js";

/** A Cloud Controller request through the client's pipeline (API base and auth bound). */
export type ApiRequest = <T>(options: Omit<RequestOptions<T>, "base" | "authorize">) => Promise<T>;

/** What a safe continue or cancel needs. */
export interface DeploymentActionOptions {
  action: DeploymentAction;
  /** `POST` path of the action, e.g. `/v3/deployments/<guid>/actions/continue`. */
  path: string;
  budget: OperationBudget;
  /** The deployment as the caller just read it; saves the GET before the POST. */
  expected?: Deployment | undefined;
  request: ApiRequest;
  /** `GET /v3/deployments/:guid` with retries. */
  getDeployment(budget: OperationBudget): Promise<Deployment>;
  clock: Clock;
  /** How long a POST in doubt is watched before the call gives up on it. */
  lateDelivery: LateDeliveryOptions;
}

/** The deployment in a 2xx body, if the Cloud Controller sent one (the docs say so; CC does not). */
function deploymentInBody(result: SendResult): Deployment | undefined {
  if (result.kind !== "response" || result.response.text.trim() === "") return undefined;
  try {
    const parsed = DeploymentSchema.safeParse(JSON.parse(result.response.text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const READ_BACK_UNCHANGED = "the deployment was read back unchanged, so it did not take effect";
const NEVER_SENT = "it never reached the server, so it did not take effect";

/**
 * Continue or cancel, sent again only when it provably did not take effect and cannot still
 * land (the cf CLI's `api/cloudcontroller/wrapper/retry_request.go` never retries a POST at all):
 *
 * 1. `before` is `expected` or a fresh GET. A cancel of a deployment already canceling or
 *    canceled sends nothing.
 * 2. POST. A 2xx is done (the deployment is read back: CC's 200 has no body,
 *    `app/controllers/v3/deployments_controller.rb`).
 * 3. A 401, 403 or 404 is a refusal: it fails at once, saying which role or scope is needed.
 * 4. Sent again, under the retry policy: a 429 (refused by the rate limiter before the action
 *    ran), a failure before the request was written (it never reached the server), and a 5xx
 *    that CC answered itself with its error envelope and that the read-back shows had no effect
 *    (CC commits before it answers).
 * 5. In doubt (a timeout, a reset after writing, a router's or proxy's 5xx): never sent again,
 *    since the request may still be queued and land late. The deployment is read back, then
 *    watched for the late-delivery window; if it moves as the action moves it, the POST took
 *    effect; if it does not, the call fails with `CF_OUTCOME_UNKNOWN` and the next run decides
 *    from what really happened.
 * 6. A 422 ("Cannot continue …") is read back too: a moved deployment was moved by someone else
 *    (not applied), since every earlier POST of this call was settled before it was sent again;
 *    unchanged, the 422 stands.
 * 7. A read-back that fails after a POST in doubt ends as `CF_OUTCOME_UNKNOWN` (or the
 *    deadline's `CF_TIMEOUT`), never as a failure that could invite a re-send.
 *
 * The waits, the deadline and the final error are the request pipeline's one retry loop.
 */
export async function performDeploymentAction(
  options: DeploymentActionOptions,
): Promise<ActionOutcome> {
  const { action, budget } = options;
  const before = options.expected ?? (await options.getDeployment(budget));
  if (action === "cancel" && alreadyCanceled(before)) {
    return { deployment: before, applied: false, attempts: 0 };
  }
  let lastSeen = before;
  let sent = 0;
  // Whether an earlier POST of this call is in doubt (it may still land).
  let ambiguous = false;
  let watchStartedAt: number | undefined;

  /**
   * Reads the deployment back after `after`. When that fails, the error says what is known
   * about the POST: it took effect (2xx), or its outcome is unknown (ambiguous, or a 422 right
   * after an ambiguous attempt). A 422 without earlier ambiguity keeps the 422.
   */
  const readBack = async (after: SendResult, context: AttemptContext): Promise<Deployment> => {
    try {
      lastSeen = await options.getDeployment(budget);
      return lastSeen;
    } catch (error) {
      if (
        budget.signal?.aborted === true ||
        isCloudFoundryError(error, "CF_CONFIG_ERROR") ||
        isCloudFoundryError(error, "CF_AUTH_ERROR")
      ) {
        throw error;
      }
      const applied = isSuccess(after);
      if (!applied && !ambiguous && !isAmbiguous(after)) throw context.fail(after);
      const { method, path } = context.label;
      const known = applied
        ? `took effect (${context.describe(after)})`
        : `outcome unknown after ${context.describe(after)}`;
      const summary = `${method} ${path}: ${known}, but reading the deployment back failed (${asClause(context.redact(error instanceof Error ? error.message : String(error)))})`;
      const fields = {
        method,
        path,
        cause: sanitizeCause(error, context.redact),
        hint: "check the deployment (e.g. `cf app`) before trying again",
      };
      if (isCloudFoundryError(error, "CF_TIMEOUT")) {
        throw new CloudFoundryTimeoutError(summary, { ...fields, lastSeen });
      }
      if (applied) throw new CloudFoundryNetworkError(summary, { ...fields, attempts: sent });
      // Not sent again, whatever the read's failure: it may still land.
      const watchedMs = watchStartedAt === undefined ? 0 : options.clock.now() - watchStartedAt;
      throw new CloudFoundryOutcomeUnknownError(summary, {
        ...fields,
        action,
        watchedMs,
        attempts: sent,
        lastSeen,
      });
    }
  };

  /** An unchanged read-back after a POST in doubt: watch for it to land, never re-send. */
  const awaitLateDelivery = async (
    result: SendResult,
    unchanged: Deployment,
    context: AttemptContext,
  ): Promise<Decision<ActionOutcome>> => {
    watchStartedAt = options.clock.now();
    const evidence = await awaitEvidence({
      action,
      before,
      unchanged,
      clock: options.clock,
      budget,
      window: options.lateDelivery,
      read: () => readBack(result, context),
    });
    if (evidence.moved) {
      const applied = evidence.effect === "applied";
      return { done: { deployment: evidence.deployment, applied, attempts: sent } };
    }
    throw outcomeUnknown({ action, result, context, attempts: sent, ...evidence });
  };

  const decide = async (
    posted: { result: SendResult; sent: number },
    context: AttemptContext,
  ): Promise<Decision<ActionOutcome>> => {
    sent += posted.sent;
    const { result } = posted;
    switch (classifyActionResult(result)) {
      case "applied": {
        const deployment = deploymentInBody(result) ?? (await readBack(result, context));
        return { done: { deployment, applied: true, attempts: sent } };
      }
      case "unprocessable": {
        // Every earlier POST of this call was settled (refused, never written, or read back
        // unchanged after CC's own 5xx), so a deployment that moved was moved by someone else.
        const after = await readBack(result, context);
        if (actionEffect(action, before, after) === "applied") {
          return { done: { deployment: after, applied: false, attempts: sent } };
        }
        throw context.fail(result);
      }
      case "rateLimited":
        return { retryInMs: context.retryDelay(result), lastSeen };
      case "notSent":
        return { retryInMs: context.retryDelay(result), note: NEVER_SENT, lastSeen };
      case "refused":
        throw refusal(action, result, context);
      case "failed":
        throw context.fail(result);
      case "serverError":
      case "inDoubt":
        break;
    }
    const inDoubt = classifyActionResult(result) === "inDoubt";
    ambiguous = inDoubt;
    const after = await readBack(result, context);
    const effect = actionEffect(action, before, after);
    if (effect !== "unchanged") {
      return { done: { deployment: after, applied: effect === "applied", attempts: sent } };
    }
    if (inDoubt) return awaitLateDelivery(result, after, context);
    return {
      retryInMs: context.retryDelay(result, "verified"),
      note: READ_BACK_UNCHANGED,
      lastSeen,
    };
  };

  return options.request({ method: "POST", path: options.path, budget, decide });
}
