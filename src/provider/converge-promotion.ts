import type { Deployment, ResponseMeta } from "../client/index.js";
import { refusalBeforeSending } from "./certain-refusal.js";
import { continuesSeenIn } from "./continue-trail.js";
import { definiteRefusal } from "./definite-refusal.js";
import { gateFailureOf } from "./gates/gate-failure.js";
import type { GateRound } from "./gates/gate-results.js";
import { anyGate, type GateRunOutcome, runGates } from "./gates/run-gates.js";
import { lateDeliveryWindow, pollFloorMs, pollIntervalMs } from "./poll-interval.js";
import type { ProgressReporter } from "./progress-reporter.js";
import { describeProgress } from "./progress-reporter.js";
import type { PromotionClient } from "./promotion-client.js";
import { isTimeoutError } from "./promotion-client.js";
import { PromotionError, type PromotionErrorCode } from "./promotion-error.js";
import { describeGoal, planPromotion } from "./promotion-plan.js";
import type { SentContinue } from "./promotion-record.js";
import { snapshotOf } from "./promotion-record.js";
import type { PromotionRun } from "./promotion-run.js";
import { waitReadsFor } from "./wait-reads.js";

/**
 * What a converge run did to the deployment, kept up to date as it goes so that the caller can
 * record it even when the run fails half-way (the partial-failure path).
 */
export interface ConvergeJournal {
  /** The continues this run sent and the Cloud Controller applied, oldest first. */
  continues: SentContinue[];
  /** Whether this run sent a cancel (onTimeout: "cancel"). */
  cancelSent: boolean;
  /**
   * Whether a continue call failed after it may have been sent (a reset connection, a deadline),
   * so that the deployment may have moved without `continues` showing it.
   */
  continueInDoubt: boolean;
  lastSeen: Deployment;
  /** The gates checked before each continue (and before the one they held back), oldest first. */
  gateResults: GateRound[];
}

/** The journal of a run that has sent nothing yet, starting from `deployment`. */
export function emptyJournal(deployment: Deployment): ConvergeJournal {
  return {
    continues: [],
    cancelSent: false,
    continueInDoubt: false,
    lastSeen: deployment,
    gateResults: [],
  };
}

export interface ConvergeOptions {
  client: PromotionClient;
  /** The deployment as read at `readAtMs`; converging starts from it. */
  deployment: Deployment;
  /** When `deployment` was read (its request went out after this); absent: just now. */
  readAtMs?: number;
  appName: string;
  /** The operation this converge is part of: its settings and its one deadline. */
  run: Pick<PromotionRun, "settings" | "startedAt" | "deadline" | "finalContinueSent">;
  /** Filled in while running; read it after a failure. */
  journal: ConvergeJournal;
  progress: ProgressReporter;
  /** The clock (epoch ms), injected so tests control time. */
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Why the engine that asked for this run is gone (see `engine-watch.ts`), checked before every
   * write and after every wait. Absent: never checked (unit tests of the loop).
   */
  engineGone?: () => string | undefined;
  /**
   * The provider call's signal, aborted once the engine is gone; the waits between reads take it,
   * and the client calls carry it already (see `signalled-client.ts`).
   */
  signal?: AbortSignal;
}

/** How long a cancel on timeout may take, on top of `timeoutSeconds`. */
const CANCEL_BUDGET_MS = 30_000;

/**
 * How old the deployment a continue compares against may be when the gates passed. In that time
 * someone else's continue can at most have started the next step (the updater needs one tick to
 * scale it and a later one to pause it again, cloud_controller_ng
 * lib/cloud_controller/deployment_updater/actions/scale.rb), so ours is refused with a 422 that the
 * client reads back as theirs. A gate round that took longer (a webhook, a command, rounds of
 * waiting) is followed by a fresh read, which saves a fleet one request a step otherwise.
 */
const FRESH_BEFORE_CONTINUE_MS = 1_000;

/**
 * Drives a deployment to the goal: waits while it scales (ACTIVE/DEPLOYING), continues it when it
 * is PAUSED below the goal, and stops at the goal. It sends nothing when the deployment is already
 * at or past the goal, checks the droplet before anything is sent, checks the canary's health
 * before each continue, and enforces `timeoutSeconds` itself because Pulumi's `customTimeouts`
 * never reach a dynamic provider (the engine sends them in the request, pulumi
 * pkg/resource/deploy/step.go, and @pulumi/pulumi cmd/dynamic-provider/index.ts ignores them).
 * The decision of each round is {@link planPromotion}; this function only loops.
 */
export async function convergePromotion(options: ConvergeOptions): Promise<Deployment> {
  const { client, journal, progress, now } = options;
  const { settings, deadline } = options.run;
  const pollMs = pollIntervalMs(settings.pollIntervalSeconds, client.apiUrl);
  const floorMs = Math.min(pollMs, pollFloorMs(client.apiUrl));
  // The host's shared reads go through the underlying client: they carry the call's signal here.
  const reads = waitReadsFor(client);
  const readOptions = {
    deadline,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const lateDelivery = lateDeliveryWindow(settings, client.apiUrl);
  const continuedFrom = new Set<number>();
  let finalContinueSent = options.run.finalContinueSent;
  let deployment = options.deployment;
  // When `deployment` was read (at the latest: the request went out before this).
  let readAtMs = options.readAtMs ?? now();
  journal.lastSeen = deployment;

  const subject = () => `deployment ${deployment.guid} of app ${options.appName}`;
  const refusal = refusalBeforeSending(deployment, settings, {
    appName: options.appName,
    finalContinueSent,
  });
  if (refusal !== undefined) throw refusal;

  // Continues the deployment has had as far as this run can explain them: what it showed at the
  // start plus each continue since. More than that means someone else continued it.
  let explained = continuesSeenIn(snapshotOf(deployment), finalContinueSent);
  const endWait = reads.begin();
  try {
    for (;;) {
      const snapshot = snapshotOf(deployment);
      const plan = planPromotion(snapshot, settings.goal, {
        appName: options.appName,
        finalContinueSent,
      });
      progress.observe(snapshot, finalContinueSent);
      const seen = continuesSeenIn(snapshot, finalContinueSent);
      if (seen > explained) {
        progress.note(
          `the deployment moved on (${describeProgress(snapshot, finalContinueSent)}) without a continue from this provider: someone else continued it`,
        );
        explained = seen;
      }
      if (plan.action === "done") return deployment;
      if (plan.action === "fail") {
        throw new PromotionError("PROMOTION_NOT_PROMOTABLE", plan.summary);
      }
      if (now() >= deadline) {
        return await timedOut(options, deployment);
      }
      if (plan.action === "wait") {
        // Just after the updater's next tick that can move it, as learned from what reads showed;
        // never later than pollIntervalSeconds.
        const delay = reads.nextDelayMs(deployment.guid, { nowMs: now(), capMs: pollMs, floorMs });
        await options.sleep(Math.max(0, Math.min(delay, deadline - now())), options.signal);
        stopIfEngineGone(options, deployment);
        readAtMs = now();
        deployment = await reads.read(deployment.guid, readOptions);
        journal.lastSeen = deployment;
        continue;
      }

      // plan.action === "continue": the deployment is PAUSED below the goal.
      if (continuedFrom.has(plan.fromStep)) {
        throw new PromotionError(
          "PROMOTION_NOT_PROMOTABLE",
          `${subject()} is still paused at step ${plan.fromStep} after a continue from that step was sent; not sending another`,
        );
      }
      if (anyGate(settings.gates)) {
        const gated = await passGates(options, deployment, plan, pollMs);
        // Fresh enough only when the gates did not read it again and took no time to speak of.
        const stale =
          gated.deployment !== deployment || now() - readAtMs > FRESH_BEFORE_CONTINUE_MS;
        journal.lastSeen = deployment = gated.deployment;
        if (gated.kind === "moved") continue;
        if (gated.kind === "failed") {
          journal.gateResults.push(gated.round);
          return await gateFailed(options, deployment, gated);
        }
        if (stale) {
          // The gates took a while: read the deployment again so the POST goes out on a fresh
          // "before" (the client compares against it). If someone else moved it meanwhile,
          // plan again instead of continuing a step we did not intend.
          readAtMs = now();
          deployment = await reads.read(deployment.guid, readOptions);
          journal.lastSeen = deployment;
          const fresh = snapshotOf(deployment);
          if (fresh.statusReason !== "PAUSED" || fresh.canaryStep?.current !== plan.fromStep)
            continue;
        }
        journal.gateResults.push(gated.round);
      }
      stopIfEngineGone(options, deployment);
      const answers: ResponseMeta[] = [];
      let outcome: Awaited<ReturnType<PromotionClient["continueDeployment"]>>;
      try {
        const guid = deployment.guid;
        outcome = await client.continueDeployment(guid, {
          expected: deployment,
          deadline,
          lateDelivery,
          onResponse: (meta) => answers.push(meta),
          // The read-back (CC answers the continue with an empty 200) joins the fleet's reads.
          readDeployment: (callOptions) => reads.readUnnoted(guid, callOptions),
        });
      } catch (error) {
        const refusal = definiteRefusal(error, "continue", subject());
        if (refusal !== undefined) throw refusal;
        journal.continueInDoubt = true;
        throw error;
      }
      continuedFrom.add(plan.fromStep);
      explained += 1;
      if (outcome.applied) {
        journal.continues.push({
          fromStep: plan.fromStep,
          toStep: plan.toStep,
          at: new Date(now()).toISOString(),
        });
        if (plan.toStep === "deployed") finalContinueSent = true;
        const total = snapshot.canaryStep?.total ?? plan.fromStep;
        progress.note(
          `continued from step ${plan.fromStep}/${total} → ${plan.toStep === "deployed" ? "deployed" : `step ${plan.toStep}/${total}`}`,
        );
      } else {
        progress.note(
          `step ${plan.fromStep} was already continued by someone else; not continuing it again`,
        );
      }
      if (outcome.applied) {
        // What the schedule learns from: the accepted POST (the status changed while it ran), then the read-back.
        const posted = answers.find((a) => a.method === "POST" && a.status < 300);
        const total = snapshot.canaryStep?.total;
        const step = plan.toStep === "deployed" ? total : plan.toStep;
        if (posted !== undefined) reads.noteAction(deployment.guid, posted, "DEPLOYING", step);
      }
      const readBack = answers.findLast((a) => a.method === "GET" && a.status === 200);
      if (readBack !== undefined) reads.noteRead(deployment.guid, readBack, outcome.deployment);
      readAtMs = now();
      deployment = outcome.deployment;
      journal.lastSeen = deployment;
    }
  } catch (error) {
    stopIfAborted(options, deployment);
    if (isTimeoutError(error)) return await timedOut(options, deployment, error);
    throw error;
  } finally {
    endWait();
  }
}

/**
 * After a failure: when the call's signal aborted (the engine is gone), the failure is that, said
 * for this deployment, whatever the client call it ended made of it.
 */
function stopIfAborted(options: ConvergeOptions, deployment: Deployment): void {
  if (options.signal?.aborted === true) stopIfEngineGone(options, deployment);
}

/**
 * Throws, sending nothing, once the engine that asked for this run is gone: nobody would record
 * what a further continue did, and nobody could stop it.
 */
function stopIfEngineGone(options: ConvergeOptions, deployment: Deployment): void {
  const gone = options.engineGone?.();
  if (gone === undefined) return;
  throw new PromotionError(
    "PROMOTION_ENGINE_GONE",
    `stopped promoting deployment ${deployment.guid} of app ${options.appName}: ${gone}, so nothing more is sent (run the update again to keep going)`,
  );
}

/** The gates before the continue `plan` would send, re-checked until the deadline. */
function passGates(
  options: ConvergeOptions,
  deployment: Deployment,
  plan: { fromStep: number; toStep: number | "deployed" },
  pollMs: number,
): Promise<GateRunOutcome> {
  const { settings, deadline } = options.run;
  return runGates({
    client: options.client,
    gates: settings.gates,
    deployment,
    app: { guid: snapshotOf(deployment).appGuid, name: options.appName },
    fromStep: plan.fromStep,
    toStep: plan.toStep,
    deadline,
    pollMs,
    progress: options.progress,
    now: options.now,
    sleep: options.sleep,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    afterWait: () => stopIfEngineGone(options, deployment),
  });
}

/** Applies `onGateFailure` to a gate still failing at the deadline: cancel (then fail) or fail. */
async function gateFailed(
  options: ConvergeOptions,
  deployment: Deployment,
  gated: Extract<GateRunOutcome, { kind: "failed" }>,
): Promise<never> {
  const snapshot = snapshotOf(deployment);
  const at = snapshot.canaryStep
    ? ` at step ${snapshot.canaryStep.current}/${snapshot.canaryStep.total}`
    : "";
  const subject = `deployment ${deployment.guid} of app ${options.appName}`;
  const failure = gateFailureOf(gated.failed, gated.round, {
    subject,
    at,
    appName: options.appName,
  });
  if (options.run.settings.onGateFailure === "fail") {
    throw new PromotionError(failure.code, failure.message);
  }
  options.progress.note(
    `the ${gated.failed.gate} gate still fails at the deadline; canceling ${subject} (onGateFailure: "cancel")`,
  );
  return await cancelThenFail(options, deployment, {
    code: failure.code,
    waited: failure.reason,
    setting: "onGateFailure",
  });
}

/** Applies `onTimeout`: cancel (then fail) or just fail. Always throws. */
async function timedOut(
  options: ConvergeOptions,
  deployment: Deployment,
  cause?: unknown,
): Promise<never> {
  const { journal, progress, now } = options;
  const { settings, startedAt } = options.run;
  const subject = `deployment ${deployment.guid} of app ${options.appName}`;
  const waited = `timed out after ${settings.timeoutSeconds}s (timeoutSeconds) promoting ${subject} to ${describeGoal(settings.goal, snapshotOf(deployment))} (last seen: ${describeProgress(snapshotOf(deployment))})`;
  if (settings.onTimeout === "fail") {
    // After a continue in doubt the deployment may have moved: "left as it is" would be untrue.
    const left = journal.continueInDoubt
      ? `The outcome of the last continue is unknown, so the deployment may have moved (onTimeout: "fail"): the next update settles it from the Cloud Controller's audit trail before it sends anything; look with cf app ${options.appName} before continuing it by hand.`
      : `Left the deployment as it is (onTimeout: "fail"): run the update again to keep going, or cancel it with cf cancel-deployment ${options.appName}.`;
    throw new PromotionError("PROMOTION_TIMEOUT", `${waited}. ${left}`, { cause });
  }
  progress.note(
    `timed out after ${Math.round((now() - startedAt) / 1000)}s; canceling ${subject} (onTimeout: "cancel")`,
  );
  return await cancelThenFail(options, deployment, {
    code: "PROMOTION_TIMEOUT",
    waited,
    setting: "onTimeout",
    cause,
  });
}

/** Cancels the deployment as `setting: "cancel"` asks, then throws `code` saying how that went. */
async function cancelThenFail(
  options: ConvergeOptions,
  deployment: Deployment,
  failure: {
    code: PromotionErrorCode;
    waited: string;
    setting: "onTimeout" | "onGateFailure";
    cause?: unknown;
  },
): Promise<never> {
  const { journal, now } = options;
  const { settings } = options.run;
  const { code, waited, setting, cause } = failure;
  const subject = `deployment ${deployment.guid} of app ${options.appName}`;
  stopIfEngineGone(options, deployment);
  let outcome: Awaited<ReturnType<PromotionClient["cancelDeployment"]>>;
  try {
    outcome = await options.client.cancelDeployment(deployment.guid, {
      expected: deployment,
      deadline: now() + CANCEL_BUDGET_MS,
      lateDelivery: lateDeliveryWindow(settings, options.client.apiUrl),
    });
  } catch (error) {
    stopIfAborted(options, deployment);
    const refusal = definiteRefusal(error, "cancel", subject);
    throw new PromotionError(
      code,
      `${waited}. ${setting} is "cancel", but canceling failed: ${(refusal ?? (error instanceof Error ? error : new Error(String(error)))).message}`,
      { cause: error },
    );
  }
  journal.cancelSent = outcome.applied;
  journal.lastSeen = outcome.deployment;
  const result = snapshotOf(outcome.deployment);
  throw new PromotionError(
    code,
    `${waited}. ${outcome.applied ? "Canceled it" : "It was no longer cancelable"} as ${setting}: "cancel" asks (now ${result.statusValue}/${result.statusReason}; CC rolls the app back to droplet ${result.previousDropletGuid ?? "(none)"}).`,
    { cause },
  );
}
