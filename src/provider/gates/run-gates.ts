import type { Deployment, ResponseMeta } from "../../client/index.js";
import type { InstanceStat } from "../canary-health.js";
import type { ProgressReporter } from "../progress-reporter.js";
import { isTimeoutError, type PromotionClient } from "../promotion-client.js";
import { snapshotOf } from "../promotion-record.js";
import { checkCommand } from "./command-gate.js";
import { type GateDocument, gateDocumentOf } from "./gate-document.js";
import type { GateOutcome, GateRound } from "./gate-results.js";
import type { GateName, GateVerdict } from "./gate-verdict.js";
import type { GateSettings } from "./gates-input.js";
import { checkHealth } from "./health-gate.js";
import { checkSoak } from "./soak-gate.js";
import { checkWebhook } from "./webhook-gate.js";

/** What the gates before one continue need. */
export interface GateRunOptions {
  client: PromotionClient;
  gates: GateSettings;
  /** The deployment as last read, PAUSED at `fromStep`. */
  deployment: Deployment;
  app: { guid: string; name: string };
  fromStep: number;
  toStep: number | "deployed";
  /** The operation's deadline: no gate runs, and no wait lasts, past it. */
  deadline: number;
  /** Time between two rounds of a gate that fails. */
  pollMs: number;
  progress: ProgressReporter;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** Checked after every wait; throws when the engine is gone. */
  afterWait?: () => void;
}

/** How a gate run ended. */
export type GateRunOutcome =
  | { kind: "passed"; round: GateRound; deployment: Deployment }
  /** The deployment is no longer paused at `fromStep` (someone else moved it): plan again. */
  | { kind: "moved"; deployment: Deployment }
  /** A gate still failed at the deadline; `failed` is the first one that did. */
  | { kind: "failed"; round: GateRound; failed: GateVerdict; deployment: Deployment };

/** Whether any gate is on. */
export function anyGate(gates: GateSettings): boolean {
  return (
    gates.healthy !== null ||
    gates.soakSeconds > 0 ||
    gates.webhook !== null ||
    gates.command !== null
  );
}

/** The gates that are on, in the order they are checked. */
function enabledGates(gates: GateSettings): GateName[] {
  const on: Record<GateName, boolean> = {
    healthy: gates.healthy !== null,
    soak: gates.soakSeconds > 0,
    webhook: gates.webhook !== null,
    command: gates.command !== null,
  };
  return (Object.keys(on) as GateName[]).filter((gate) => on[gate]);
}

/**
 * Checks every gate before a continue, in rounds: each round reads the deployment afresh (its
 * `Date` is the soak's clock) and stops at the first gate that fails, so a webhook or a command
 * is only asked once the canary is healthy and baked. A failing round is repeated after
 * `pollMs` (or when a soak or `forSeconds` will be over, if sooner) until the deadline.
 */
export async function runGates(options: GateRunOptions): Promise<GateRunOutcome> {
  const { now, progress } = options;
  const firstCheckAt = now();
  let rounds = 0;
  let lastShown = "";
  let lastFailure: { round: GateRound; failed: GateVerdict; deployment: Deployment } | undefined;
  let space: Promise<string | null> | undefined;
  const spaceGuid = () => {
    // Read once per continue, and only when a webhook or a command needs the document.
    space ??= options.client
      .getApp(options.app.guid, { deadline: options.deadline })
      .then((app) => app.relationships.space.data.guid);
    return space;
  };
  for (;;) {
    const roundAt = now();
    rounds += 1;
    // The first round starts from the deployment the loop just read, unless the soak needs an
    // answer's Date; every later round reads it again (it may have moved while we waited).
    let looked: Awaited<ReturnType<typeof lookAtDeployment>>;
    let verdicts: GateVerdict[];
    try {
      looked =
        rounds === 1 && options.gates.soakSeconds === 0
          ? { moved: false, deployment: options.deployment, serverDateMs: undefined }
          : await lookAtDeployment(options);
      if (looked.moved) return { kind: "moved", deployment: looked.deployment };
      verdicts = await checkRound(options, looked, spaceGuid);
    } catch (error) {
      // The deadline came during this round's reads: the gate that was failing is the news.
      if (lastFailure === undefined || !isTimeoutError(error)) throw error;
      return { kind: "failed", ...lastFailure };
    }
    const failed = verdicts.find((v) => !v.passed);
    const round = roundOf(options, verdicts, { firstCheckAt, roundAt, rounds, passed: !failed });
    if (failed === undefined) {
      progress.note(`gates passed before step ${describeStep(options)}: ${summary(verdicts)}`);
      return { kind: "passed", round, deployment: looked.deployment };
    }
    if (failed.cutByDeadline === true) {
      // The deadline cut this call short: what the round before saw says more.
      return { kind: "failed", round, failed, deployment: looked.deployment, ...lastFailure };
    }
    lastFailure = { round, failed, deployment: looked.deployment };
    const shown = `waiting for the ${failed.gate} gate before step ${describeStep(options)}: ${failed.detail}`;
    if (shown !== lastShown) progress.note(shown);
    lastShown = shown;
    const wait = Math.min(failed.retryInMs ?? options.pollMs, options.pollMs);
    if (now() + wait >= options.deadline) {
      return { kind: "failed", round, failed, deployment: looked.deployment };
    }
    await options.sleep(wait, options.signal);
    options.afterWait?.();
  }
}

/** Reads the deployment with its `Date`; `moved` when it is no longer paused at `fromStep`. */
async function lookAtDeployment(
  options: GateRunOptions,
): Promise<{ moved: boolean; deployment: Deployment; serverDateMs: number | undefined }> {
  let serverDateMs: number | undefined;
  const deployment = await options.client.getDeployment(options.deployment.guid, {
    deadline: options.deadline,
    onResponse: (meta: ResponseMeta) => {
      if (meta.status === 200) serverDateMs = meta.serverDateMs;
    },
  });
  const snapshot = snapshotOf(deployment);
  const moved =
    snapshot.statusReason !== "PAUSED" || snapshot.canaryStep?.current !== options.fromStep;
  return { moved, deployment, serverDateMs };
}

/** One round: the gates in order, up to the first that fails. */
async function checkRound(
  options: GateRunOptions,
  { deployment, serverDateMs }: { deployment: Deployment; serverDateMs: number | undefined },
  spaceGuid: () => Promise<string | null>,
): Promise<GateVerdict[]> {
  const { gates, client, deadline } = options;
  const snapshot = snapshotOf(deployment);
  const processGuid = snapshot.newProcessGuid;
  const needsStats = gates.healthy !== null || gates.webhook !== null || gates.command !== null;
  const stats: InstanceStat[] =
    needsStats && processGuid !== null
      ? await client.getProcessStats(processGuid, { deadline })
      : [];
  const verdicts: GateVerdict[] = [];
  const pass = (verdict: GateVerdict) => {
    verdicts.push(verdict);
    return verdict.passed;
  };
  if (gates.healthy !== null && !pass(checkHealth(gates.healthy.forSeconds, processGuid, stats)))
    return verdicts;
  if (gates.soakSeconds > 0) {
    const seen = { lastStatusChange: snapshot.lastStatusChange, serverDateMs };
    if (!pass(checkSoak(gates.soakSeconds, seen))) return verdicts;
  }
  if (gates.webhook === null && gates.command === null) return verdicts;
  const document = documentFor(options, deployment, stats, await spaceGuid());
  // A call gets its own timeout, or what is left before the deadline if that is less.
  const call = async (
    timeoutSeconds: number,
    check: (timeoutMs: number) => Promise<GateVerdict>,
  ): Promise<boolean> => {
    const left = Math.max(0, deadline - options.now());
    const verdict = await check(Math.min(timeoutSeconds * 1000, left));
    const cut = verdict.timedOut === true && left < timeoutSeconds * 1000;
    return pass(cut ? { ...verdict, cutByDeadline: true } : verdict);
  };
  const { webhook, command } = gates;
  if (webhook !== null) {
    const passed = await call(webhook.timeoutSeconds, (ms) =>
      checkWebhook(webhook, document, ms, options.signal),
    );
    if (!passed) return verdicts;
  }
  if (command !== null) {
    await call(command.timeoutSeconds, (ms) =>
      checkCommand(command.argv, document, ms, options.signal),
    );
  }
  return verdicts;
}

/** The document of this continue, as the deployment and its instances are now. */
function documentFor(
  options: GateRunOptions,
  deployment: Deployment,
  stats: readonly InstanceStat[],
  spaceGuid: string | null,
): GateDocument {
  const snapshot = snapshotOf(deployment);
  return gateDocumentOf({
    deployment: {
      guid: deployment.guid,
      droplet: snapshot.dropletGuid,
      previousDroplet: snapshot.previousDropletGuid,
    },
    app: options.app,
    spaceGuid,
    step: { from: options.fromStep, to: options.toStep, total: snapshot.canaryStep?.total ?? null },
    processGuid: snapshot.newProcessGuid,
    instances: stats,
  });
}

/** The round as recorded: every gate that is on, `passed: null` for those not reached. */
function roundOf(
  options: GateRunOptions,
  verdicts: readonly GateVerdict[],
  facts: { firstCheckAt: number; roundAt: number; rounds: number; passed: boolean },
): GateRound {
  const gates: GateOutcome[] = enabledGates(options.gates).map((gate) => {
    const verdict = verdicts.find((v) => v.gate === gate);
    return verdict === undefined
      ? { gate, passed: null, detail: "not checked: a gate before it had not passed" }
      : { gate, passed: verdict.passed, detail: verdict.detail };
  });
  return {
    fromStep: options.fromStep,
    toStep: options.toStep,
    passed: facts.passed,
    firstCheckAt: new Date(facts.firstCheckAt).toISOString(),
    lastCheckAt: new Date(facts.roundAt).toISOString(),
    waitedSeconds: Math.round((facts.roundAt - facts.firstCheckAt) / 100) / 10,
    rounds: facts.rounds,
    gates,
  };
}

function describeStep(options: GateRunOptions): string {
  return `${options.fromStep} → ${options.toStep}`;
}

function summary(verdicts: readonly GateVerdict[]): string {
  return verdicts.map((v) => `${v.gate} (${v.detail})`).join("; ");
}
