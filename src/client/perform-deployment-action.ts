import { actionEffect, alreadyCanceled, type DeploymentAction } from "./action-effect.js";
import type { ActionOutcome } from "./cloud-foundry-client.js";
import {
  asClause,
  CloudFoundryNetworkError,
  CloudFoundryTimeoutError,
  isCloudFoundryError,
  sanitizeCause,
} from "./errors.js";
import { type HttpClient, isSuccess, type RequestSpec } from "./http-client.js";
import type { Logger } from "./logger.js";
import type { Redactor } from "./redactor.js";
import { describeResult } from "./response-errors.js";
import { retryAfterMs } from "./retry-after.js";
import { type AttemptOutcome, type RetryPolicy, retryDelay } from "./retry-delay.js";
import { type Deployment, DeploymentSchema } from "./schemas.js";
import type { SendResult } from "./send-request.js";
import type { OperationBudget, RetryClock } from "./with-retry.js";

/** What the safe action needs from the client. */
export interface DeploymentActionDeps {
  http: HttpClient;
  /** The POST spec of the action (API base, path, no body). */
  spec: RequestSpec;
  /** Sends the POST once, authorized (a 401 is answered by one refresh and one re-send). */
  post(budget: OperationBudget): Promise<{ result: SendResult; sent: number }>;
  /** `GET /v3/deployments/:guid` with retries. */
  getDeployment(budget: OperationBudget): Promise<Deployment>;
  retry: RetryPolicy;
  clock: RetryClock;
  random: () => number;
  logger: Logger;
  redactor: Redactor;
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

/** Whether the outcome of a POST is unknown: no response, a 5xx, or an unreadable response. */
function isAmbiguous(result: SendResult): boolean {
  if (result.kind === "network" || result.kind === "tooLarge") return true;
  return result.response.status >= 500;
}

/**
 * An ambiguous result as the retry decision sees it once a read-back proved the POST did not
 * take effect. A 503's `Retry-After` is honoured (CC and proxies send it when overloaded); an
 * oversized body counts as a 5xx: something answered, but not with anything readable.
 */
function verifiedOutcome(result: SendResult, nowMs: number): AttemptOutcome {
  if (result.kind === "network") return { kind: "network", networkCode: result.networkCode };
  if (result.kind === "tooLarge") return { kind: "response", status: 500 };
  const { status, headers } = result.response;
  return { kind: "response", status, retryAfterMs: retryAfterMs(status, headers, nowMs) };
}

/**
 * Continue or cancel without ever replaying blindly (issue 3; CLI `retry_request.go` never
 * retries POST at all, reference §5):
 *
 * 1. `before` is `expected` or a fresh GET. A cancel of a deployment already canceling or
 *    canceled sends nothing.
 * 2. POST. A 2xx is done (the deployment is read back, CC's 200 has no body, reference §3.2).
 * 3. A 429 was refused by the rate limiter before the action ran (reference §6): wait, re-send.
 * 4. No response, a timeout, a 5xx: the outcome is unknown. Read the deployment back; if it
 *    moved as the action moves it, the POST took effect; if it is unchanged, the POST provably
 *    did not take effect and is sent again under the retry policy; otherwise stop.
 * 5. A 422 ("Cannot continue …") is read back too: right after an ambiguous attempt of ours a
 *    moved deployment means our earlier POST took effect (reported as applied); with no such
 *    attempt, someone else moved it (not applied); unchanged, the 422 stands.
 */
export async function performDeploymentAction(
  action: DeploymentAction,
  deps: DeploymentActionDeps,
  budget: OperationBudget,
  expected?: Deployment,
): Promise<ActionOutcome> {
  const { http, spec } = deps;
  const { method, path } = http.label(spec);
  const redact = deps.redactor.redact;
  const before = expected ?? (await deps.getDeployment(budget));
  if (action === "cancel" && alreadyCanceled(before)) {
    return { deployment: before, applied: false, attempts: 0 };
  }
  let lastSeen = before;
  let sent = 0;
  let ambiguous = false;

  /**
   * Reads the deployment back after `after`. When that fails, the error says what is known
   * about the POST: it took effect (2xx), or its outcome is unknown (ambiguous, or a 422 right
   * after an ambiguous attempt). A 422 without earlier ambiguity keeps the 422.
   */
  const readBack = async (after: SendResult): Promise<Deployment> => {
    try {
      lastSeen = await deps.getDeployment(budget);
      return lastSeen;
    } catch (error) {
      if (
        isCloudFoundryError(error, "CF_CONFIG_ERROR") ||
        isCloudFoundryError(error, "CF_AUTH_ERROR")
      ) {
        throw error;
      }
      const applied = isSuccess(after);
      if (!applied && !ambiguous && !isAmbiguous(after))
        throw http.fail(spec, { result: after, attempts: sent });
      const known = applied
        ? `took effect (${describeResult(after, redact)})`
        : `outcome unknown after ${describeResult(after, redact)}`;
      const message = `${method} ${path}: ${known}, but reading the deployment back failed (${asClause((error as Error).message)})`;
      const options = {
        method,
        path,
        cause: sanitizeCause(error, redact),
        hint: "check the deployment (e.g. `cf app`) before trying again",
      };
      throw isCloudFoundryError(error, "CF_TIMEOUT")
        ? new CloudFoundryTimeoutError(message, { ...options, lastSeen })
        : new CloudFoundryNetworkError(message, { ...options, attempts: sent });
    }
  };

  for (let attempt = 1; ; attempt++) {
    const posted = await deps.post(budget);
    sent += posted.sent;
    const { result } = posted;
    const run = { result, attempts: attempt };

    if (isSuccess(result)) {
      const deployment = deploymentInBody(result) ?? (await readBack(result));
      return { deployment, applied: true, attempts: sent };
    }

    let delay: number | undefined;
    let note: string | undefined;
    if (result.kind === "response" && result.response.status === 422) {
      const after = await readBack(result);
      if (actionEffect(action, before, after) === "applied") {
        return { deployment: after, applied: ambiguous, attempts: sent };
      }
      throw http.fail(spec, run);
    } else if (result.kind === "response" && result.response.status === 429) {
      const retryAfter = retryAfterMs(429, result.response.headers, deps.clock.now());
      delay = retryDelay(
        { kind: "response", status: 429, retryAfterMs: retryAfter },
        attempt,
        deps.retry,
        deps.random,
      );
    } else if (isAmbiguous(result)) {
      ambiguous = true;
      const after = await readBack(result);
      const effect = actionEffect(action, before, after);
      if (effect !== "unchanged") {
        return { deployment: after, applied: effect === "applied", attempts: sent };
      }
      delay = retryDelay(
        verifiedOutcome(result, deps.clock.now()),
        attempt,
        deps.retry,
        deps.random,
        "verified",
      );
      note = "the deployment was read back unchanged, so it did not take effect";
    } else {
      throw http.fail(spec, run);
    }

    if (delay === undefined) throw http.fail(spec, run, lastSeen, note);
    if (budget.deadline !== undefined && deps.clock.now() + delay > budget.deadline) {
      throw http.fail(spec, { ...run, deadlineBlockedDelayMs: delay }, lastSeen, note);
    }
    deps.logger.debug?.(
      `${method} ${path} → ${describeResult(result, redact)}${note === undefined ? "" : ` (${note})`}; sending it again in ${delay} ms.`,
    );
    await deps.clock.sleep(delay, budget.signal);
  }
}
