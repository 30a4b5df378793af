import type { Deployment } from "../client/index.js";
import { takeCheckedTarget } from "./checked-targets.js";
import { selfNames } from "./continue-trail.js";
import type { ConvergeJournal } from "./converge-promotion.js";
import { convergePromotion, emptyJournal } from "./converge-promotion.js";
import { appendGateRounds, type GateRound } from "./gates/gate-results.js";
import type { ProgressReporter } from "./progress-reporter.js";
import { createProgressReporter } from "./progress-reporter.js";
import type { PromotionClient } from "./promotion-client.js";
import { getDeploymentUnlessGone } from "./promotion-client.js";
import { PROMOTION_INPUT_PROPERTIES, PROVIDER_KEY } from "./promotion-inputs.js";
import { PromotionPartialFailure } from "./promotion-partial-failure.js";
import type { PromotionGoal } from "./promotion-plan.js";
import type { PromotionState } from "./promotion-record.js";
import {
  finalContinueSent,
  isDeployed,
  promotionOutputsOf,
  promotionStateOf,
  readRecordedPromotion,
} from "./promotion-record.js";
import type { PromotionRun } from "./promotion-run.js";
import { startPromotionRun } from "./promotion-run.js";
import type { ProviderRuntime } from "./provider-runtime.js";
import { describeConnection, withClient } from "./provider-runtime.js";
import { rememberRefresh } from "./refresh-observations.js";
import type { TargetApp } from "./resolve-target.js";
import { resolveTarget } from "./resolve-target.js";
import type { TrailRecord } from "./trail-record.js";
import { recordFromTrail } from "./trail-record.js";
import { decideUpdate } from "./update-decision.js";

/**
 * How long the best-effort re-read of the deployment after a failure may take. It runs after the
 * run's deadline may have passed, so it has its own budget, short because it only refines what is
 * recorded.
 */
const REREAD_BUDGET_MS = 10_000;

/** `create`: find the target deployment and converge it to the goal. The id is the deployment GUID. */
export async function createPromotion(
  runtime: ProviderRuntime,
  props: Record<string, unknown>,
): Promise<{ id: string; outs: PromotionState }> {
  return create(runtime, startPromotionRun(runtime.now(), props));
}

/**
 * `update`: converge the recorded deployment to the (new) goal. `diff` sends a different target
 * deployment to replace, so the deployment here is always the recorded one.
 */
export async function updatePromotion(
  runtime: ProviderRuntime,
  id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ outs: PromotionState }> {
  const record = readRecordedPromotion(olds);
  const run = startPromotionRun(
    runtime.now(),
    news,
    record?.continues ?? [],
    record?.gateResults ?? [],
  );
  // State this provider cannot read (written by hand or by something else): start afresh.
  if (record === undefined) return { outs: (await create(runtime, run)).outs };
  const app: TargetApp = { guid: record.appGuid, name: record.appName };
  const goalUnchanged = (olds["toStep"] ?? null) === (run.inputs.toStep ?? null);
  return withConnectedClient(runtime, async (client, self, signal) => {
    const live = await getDeploymentUnlessGone(client, record.deploymentGuid, {
      deadline: run.deadline,
    });
    const decision = decideUpdate(record, live, run.settings, goalUnchanged);
    if (decision.kind === "refuse") throw decision.error;
    if (decision.kind === "record") {
      runtime.print(`${app.name}: ${decision.why}; recorded the new settings, nothing was sent`);
      return {
        outs: stateOf(run, app, { deployment: decision.deployment, overshoot: record.overshoot }),
      };
    }
    return {
      outs: await converge(runtime, client, run, {
        app,
        deployment: decision.deployment,
        id,
        self,
        signal,
      }),
    };
  });
}

/**
 * `read` (refresh): the deployment's current status, and its `continues` rebuilt from the audit
 * trail as `up` rebuilds them, so continues made by someone else (or by a killed run) are listed,
 * marked `ours: false` where they are not ours; with no change the outputs come back identical.
 * A later cancel or supersede shows as drift in `statusValue`/`statusReason`. A deployment the
 * Cloud Controller no longer has (404) keeps its last recorded outputs unchanged, so a pruned
 * finalized deployment is not drift and the next `up` never tries to promote something that is
 * gone.
 */
export async function readPromotion(
  runtime: ProviderRuntime,
  id: string,
  props: Record<string, unknown>,
): Promise<{ id: string; props: Record<string, unknown> }> {
  const record = readRecordedPromotion(props);
  const unchanged = () => {
    rememberRefresh(id, { before: props, after: props });
    return { id, props };
  };
  if (record === undefined) return unchanged();
  return withClient(runtime, async (client, connection) => {
    const deployment = await getDeploymentUnlessGone(client, record.deploymentGuid);
    if (deployment === undefined) {
      runtime.print(
        `${record.appName}: deployment ${record.deploymentGuid} is no longer in the Cloud Controller (${isDeployed(record) ? "pruned after it finished" : "deleted, with its app or after it finished"}); keeping its last recorded status ${record.statusValue}/${record.statusReason}`,
      );
      return unchanged();
    }
    const trail = await recordFromTrail({
      client,
      deployment,
      known: { previous: record.continues, sent: [], self: selfNames(connection.credentials) },
      goal: goalOfRecord(props),
      finalContinueSent: finalContinueSent(record.continues),
      deadline: runtime.now() + REREAD_BUDGET_MS,
      note: (text) => runtime.print(`${record.appName}: ${text}`),
    });
    const refreshed = {
      ...inputsOfRecord(props),
      ...promotionOutputsOf(trail.deployment, { ...record, ...trail }),
      [PROVIDER_KEY]: props[PROVIDER_KEY],
    };
    rememberRefresh(id, { before: props, after: refreshed });
    return { id, props: refreshed };
  });
}

/** `delete`: forgets the record. It never cancels or rolls back anything, so it sends nothing. */
export async function deletePromotion(
  runtime: ProviderRuntime,
  _id: string,
  props: Record<string, unknown>,
): Promise<void> {
  const record = readRecordedPromotion(props);
  if (record !== undefined) {
    runtime.print(
      `${record.appName}: removed the promotion record of deployment ${record.deploymentGuid} from the stack; nothing was sent to Cloud Foundry`,
    );
  }
}

async function create(
  runtime: ProviderRuntime,
  run: PromotionRun,
): Promise<{ id: string; outs: PromotionState }> {
  return withConnectedClient(runtime, async (client, self, signal) => {
    // What this resource's Check found a moment ago, when it is fresh enough to continue from.
    const checked = takeCheckedTarget(client, run.target, runtime.now());
    const { deployment, app } =
      checked?.resolved ?? (await resolveTarget(client, run.target, { deadline: run.deadline }));
    const readAtMs = checked?.lookedUpAtMs;
    return {
      id: deployment.guid,
      outs: await converge(runtime, client, run, {
        app,
        deployment,
        self,
        signal,
        ...(readAtMs === undefined ? {} : { readAtMs }),
      }),
    };
  });
}

/**
 * {@link withClient}, first printing where the provider connects (create and update); `use` also
 * gets the names the audit trail may show for these credentials.
 */
function withConnectedClient<T>(
  runtime: ProviderRuntime,
  use: (client: PromotionClient, self: string[], signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return withClient(runtime, (client, connection, signal) => {
    runtime.print(describeConnection(client, connection));
    return use(client, selfNames(connection.credentials), signal);
  });
}

/** The deployment a run converges, with its app. */
interface ConvergeTarget {
  app: TargetApp;
  deployment: Deployment;
  /** The existing resource id (update); a create uses the deployment GUID. */
  id?: string;
  /** The names the audit trail may show for us. */
  self: readonly string[];
  /** The provider call's signal (aborted once the engine is gone). */
  signal: AbortSignal;
  /** When `deployment` was read, if not just now (the Check's lookup). */
  readAtMs?: number;
}

/** Runs the converge loop; a failure after something was sent becomes a partial failure. */
async function converge(
  runtime: ProviderRuntime,
  client: PromotionClient,
  run: PromotionRun,
  { app, deployment, id, self, signal, readAtMs }: ConvergeTarget,
): Promise<PromotionState> {
  const journal = emptyJournal(deployment);
  const progress = createProgressReporter({
    appName: app.name,
    now: runtime.now,
    print: runtime.print,
  });
  const settle = (seen: Deployment) =>
    recordTrail({ runtime, client, run, journal, self, progress }, seen);
  try {
    const final = await convergePromotion({
      client,
      deployment,
      appName: app.name,
      run,
      journal,
      progress,
      now: runtime.now,
      sleep: runtime.sleep,
      engineGone: runtime.engineGone,
      signal,
      ...(readAtMs === undefined ? {} : { readAtMs }),
    });
    return stateOf(run, app, await settle(final), journal.gateResults);
  } catch (error) {
    throw await partialFailureOf(error, {
      runtime,
      client,
      run,
      app,
      journal,
      id: id ?? deployment.guid,
      settle,
    });
  }
}

/** {@link recordFromTrail} for this run's journal, on its own budget (the deadline may be past). */
function recordTrail(
  context: {
    runtime: ProviderRuntime;
    client: PromotionClient;
    run: PromotionRun;
    journal: ConvergeJournal;
    self: readonly string[];
    progress: ProgressReporter;
  },
  deployment: Deployment,
): Promise<TrailRecord> {
  const { runtime, run, journal } = context;
  return recordFromTrail({
    client: context.client,
    deployment,
    known: { previous: run.previous, sent: journal.continues, self: context.self },
    goal: run.settings.goal,
    finalContinueSent: run.finalContinueSent || finalContinueSent(journal.continues),
    deadline: runtime.now() + REREAD_BUDGET_MS,
    note: (text) => context.progress.note(text),
  });
}

/**
 * What to throw for a converge that failed: the error itself when nothing was sent, else a
 * {@link PromotionPartialFailure} that keeps the resource in state with what happened, so the next
 * `up` starts from the truth.
 */
async function partialFailureOf(
  error: unknown,
  failed: {
    runtime: ProviderRuntime;
    client: PromotionClient;
    run: PromotionRun;
    app: TargetApp;
    journal: ConvergeJournal;
    id: string;
    settle: (seen: Deployment) => Promise<TrailRecord>;
  },
): Promise<unknown> {
  const { runtime, client, run, app, journal } = failed;
  const sent = describeSent(journal);
  if (sent === undefined) return error;
  try {
    // Record the deployment as it is now, not as this operation last saw it (best effort).
    journal.lastSeen = await client.getDeployment(journal.lastSeen.guid, {
      deadline: runtime.now() + REREAD_BUDGET_MS,
    });
  } catch {
    // Keep the last observation.
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PromotionPartialFailure(
    `${message} (this operation had already sent ${sent}; the resource is kept in state with what happened)`,
    {
      id: failed.id,
      properties: {
        ...stateOf(run, app, await failed.settle(journal.lastSeen), journal.gateResults),
        [PROVIDER_KEY]: run.provider,
      },
      reasons: [message],
      cause: error,
    },
  );
}

/** "2 continues and a cancel", or `undefined` when the run sent nothing. */
function describeSent({ continues, cancelSent, continueInDoubt }: ConvergeJournal) {
  const sent = [
    continues.length === 0
      ? ""
      : `${continues.length} continue${continues.length === 1 ? "" : "s"}`,
    continueInDoubt ? "a continue whose outcome is unknown" : "",
    cancelSent ? "a cancel" : "",
  ].filter((s) => s !== "");
  return sent.length === 0 ? undefined : sent.join(" and ");
}

/**
 * The outputs of a run: its inputs and target, the deployment, every continue on it (without a
 * trail record: the recorded ones), and the gates checked before them (`gateRounds`: this run's).
 */
function stateOf(
  run: PromotionRun,
  app: TargetApp,
  record: Pick<TrailRecord, "deployment"> & Partial<TrailRecord>,
  gateRounds: readonly GateRound[] = [],
): PromotionState {
  return promotionStateOf(run.inputs, record.deployment, {
    appName: app.name,
    target: run.target,
    continues: record.continues ?? [...run.previous],
    overshoot: record.overshoot ?? null,
    gateResults: appendGateRounds(run.previousGateResults, gateRounds),
  });
}

/** The goal the stored inputs name (`toStep`, else DEPLOYED), to tell an overshoot on refresh. */
function goalOfRecord(props: Record<string, unknown>): PromotionGoal {
  const step = props["toStep"];
  return typeof step === "number" ? { kind: "step", step } : { kind: "deployed" };
}

/** The input part of stored outputs (they are the inputs overlaid with computed values). */
function inputsOfRecord(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    PROMOTION_INPUT_PROPERTIES.filter((key) => props[key] != null).map((key) => [key, props[key]]),
  );
}
