import type { Deployment } from "../client/index.js";
import type { ConvergeJournal } from "./converge-promotion.js";
import { convergePromotion } from "./converge-promotion.js";
import { createProgressReporter } from "./progress-reporter.js";
import type { PromotionClient } from "./promotion-client.js";
import { isNotFoundError } from "./promotion-client.js";
import type { PromotionInputs, PromotionTarget } from "./promotion-inputs.js";
import {
  PROMOTION_INPUT_PROPERTIES,
  parsePromotionInputs,
  promotionSettingsOf,
  promotionTargetOf,
} from "./promotion-inputs.js";
import { PromotionPartialFailure } from "./promotion-partial-failure.js";
import type {
  PromotionContinue,
  PromotionOutputs,
  PromotionState,
  RecordedDeployment,
} from "./promotion-record.js";
import {
  finalContinueSent,
  isDeployed,
  promotionStateOf,
  readRecordedPromotion,
  snapshotOf,
} from "./promotion-record.js";
import type { ProviderRuntime } from "./provider-runtime.js";
import { describeConnection, withClient } from "./provider-runtime.js";
import { rememberRefresh } from "./refresh-observations.js";
import type { TargetApp } from "./resolve-target.js";
import { resolveTarget } from "./resolve-target.js";
import { decideUpdate } from "./update-decision.js";

const PROVIDER_KEY = "__provider";

/** `create`: find the target deployment and converge it to the goal. The id is the deployment GUID. */
export async function createPromotion(
  runtime: ProviderRuntime,
  props: Record<string, unknown>,
): Promise<{ id: string; outs: PromotionState }> {
  const inputs = parsePromotionInputs(props);
  const target = promotionTargetOf(inputs);
  const settings = promotionSettingsOf(inputs);
  return withClient(runtime, async (client, connection) => {
    runtime.print(describeConnection(client, connection));
    const deadline = runtime.now() + settings.timeoutSeconds * 1000;
    const { deployment, app } = await resolveTarget(client, target, { deadline });
    const outs = await converge(runtime, client, {
      props,
      inputs,
      target,
      app,
      deployment,
      previous: [],
    });
    return { id: deployment.guid, outs };
  });
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
  const inputs = parsePromotionInputs(news);
  const target = promotionTargetOf(inputs);
  const record = readRecordedPromotion(olds);
  if (record === undefined) {
    // State this provider cannot read (written by hand or by something else): start afresh.
    const created = await createPromotion(runtime, news);
    return { outs: created.outs };
  }
  const app: TargetApp = { guid: record.appGuid, name: record.appName };
  const goalUnchanged = (olds["toStep"] ?? null) === (inputs.toStep ?? null);
  /** Records the new inputs with the deployment as last seen, and sends nothing. */
  const recordOnly = (deployment: RecordedDeployment, why: string) => {
    runtime.print(`${app.name}: ${why}; recorded the new settings, nothing was sent`);
    return {
      outs: promotionStateOf(inputs, deployment, {
        appName: app.name,
        target,
        continues: record.continues,
      }),
    };
  };
  return withClient(runtime, async (client, connection) => {
    runtime.print(describeConnection(client, connection));
    const settings = promotionSettingsOf(inputs);
    const deadline = runtime.now() + settings.timeoutSeconds * 1000;
    let live: Deployment | undefined;
    try {
      live = await client.getDeployment(record.deploymentGuid, { deadline });
    } catch (error) {
      if (!isNotFoundError(error)) throw error;
    }
    const decision = decideUpdate(record, live, settings, goalUnchanged);
    if (decision.kind === "refuse") throw decision.error;
    if (decision.kind === "record") return recordOnly(decision.deployment, decision.why);
    const outs = await converge(runtime, client, {
      props: news,
      inputs,
      target,
      app,
      deployment: decision.deployment,
      previous: record.continues,
      id,
    });
    return { outs };
  });
}

/**
 * `read` (refresh): the deployment's current status. A later cancel or supersede shows as drift
 * in `statusValue`/`statusReason`. A deployment the Cloud Controller no longer has (404) keeps its
 * last recorded outputs unchanged, so a pruned finalized deployment is not drift and the next
 * `up` never tries to promote something that is gone.
 */
export async function readPromotion(
  runtime: ProviderRuntime,
  id: string,
  props: Record<string, unknown>,
): Promise<{ id: string; props: Record<string, unknown> }> {
  const record = readRecordedPromotion(props);
  if (record === undefined) {
    rememberRefresh(id, { before: props, after: props });
    return { id, props };
  }
  return withClient(runtime, async (client) => {
    let deployment: Deployment;
    try {
      deployment = await client.getDeployment(record.deploymentGuid);
    } catch (error) {
      if (!isNotFoundError(error)) throw error;
      runtime.print(
        `${record.appName}: deployment ${record.deploymentGuid} is no longer in the Cloud Controller (${isDeployed(record) ? "pruned after it finished" : "deleted, with its app or after it finished"}); keeping its last recorded status ${record.statusValue}/${record.statusReason}`,
      );
      rememberRefresh(id, { before: props, after: props });
      return { id, props };
    }
    const inputs = inputsOfRecord(props);
    const state = promotionStateOf(inputs, snapshotOf(deployment), {
      appName: record.appName,
      target: record.target,
      continues: record.continues,
    });
    const refreshed = { ...state, [PROVIDER_KEY]: props[PROVIDER_KEY] };
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

interface ConvergeRequest {
  props: Record<string, unknown>;
  inputs: PromotionInputs;
  target: PromotionTarget;
  app: TargetApp;
  deployment: Deployment;
  /** Continues recorded by earlier operations on this resource. */
  previous: readonly PromotionContinue[];
  /** The existing resource id (update); a create uses the deployment GUID. */
  id?: string;
}

/** Runs the converge loop and turns its outcome into outputs or the right kind of error. */
async function converge(
  runtime: ProviderRuntime,
  client: PromotionClient,
  request: ConvergeRequest,
): Promise<PromotionState> {
  const { inputs, target, app } = request;
  const journal: ConvergeJournal = {
    continues: [],
    cancelSent: false,
    continueInDoubt: false,
    lastSeen: request.deployment,
  };
  const stateOf = (deployment: Deployment) =>
    promotionStateOf(inputs, snapshotOf(deployment), {
      appName: app.name,
      target,
      continues: [...request.previous, ...journal.continues],
    });
  try {
    const final = await convergePromotion({
      client,
      deployment: request.deployment,
      appName: app.name,
      settings: promotionSettingsOf(inputs),
      finalContinueSent: finalContinueSent(request.previous),
      journal,
      progress: createProgressReporter({
        appName: app.name,
        now: runtime.now,
        print: runtime.print,
      }),
      now: runtime.now,
      sleep: runtime.sleep,
    });
    return stateOf(final);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const { continues, cancelSent, continueInDoubt } = journal;
    if (continues.length === 0 && !cancelSent && !continueInDoubt) throw error;
    const sent = [
      continues.length > 0
        ? `${continues.length} continue${continues.length === 1 ? "" : "s"}`
        : "",
      continueInDoubt ? "a continue whose outcome is unknown" : "",
      cancelSent ? "a cancel" : "",
    ]
      .filter((s) => s !== "")
      .join(" and ");
    try {
      // Record the deployment as it is now, not as this operation last saw it (best effort).
      journal.lastSeen = await client.getDeployment(journal.lastSeen.guid, {
        deadline: runtime.now() + 10_000,
      });
    } catch {
      // Keep the last observation.
    }
    // The deployment changed under this operation: keep the resource in state with what
    // happened (reference/pulumi-dynamic.md §5.1), so the next `up` starts from the truth.
    throw new PromotionPartialFailure(
      `${message} (this operation had already sent ${sent}; the resource is kept in state with what happened)`,
      {
        id: request.id ?? request.deployment.guid,
        properties: { ...stateOf(journal.lastSeen), [PROVIDER_KEY]: request.props[PROVIDER_KEY] },
        reasons: [message],
        cause: error,
      },
    );
  }
}

/** The input part of stored outputs (they are the inputs overlaid with computed values). */
function inputsOfRecord(props: Record<string, unknown>): PromotionInputs {
  const entries = PROMOTION_INPUT_PROPERTIES.filter((key) => props[key] != null).map(
    (key) => [key, props[key]] as const,
  );
  return Object.fromEntries(entries) as PromotionInputs;
}
