import { isCloudFoundryError } from "../../src/client/index.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { type FakeTime, forgetTokens, getDeployment } from "../support/index.js";
import type { FaultRow, Scene, StepOutcome } from "./fault-rows.js";
import {
  CANCEL_EVENT,
  developerClient,
  eventsPerDeployment,
  logLines,
  pausedWeb,
  requestKinds,
} from "./fault-world.js";
import { leakedSecrets, secretWatch } from "./secret-watch.js";

/** Everything a row's step left behind, in the shape the row states its expectations. */
export interface StepRecord {
  log: string[];
  sleeps: number[];
  outcome: StepOutcome;
  state: string;
  continues: number;
  cancels: number;
  /** How many error messages and log lines the step produced (all scanned for secrets). */
  scanned: number;
  /** The seeded or sent credentials found in them: none, when all is well. */
  leaked: string[];
}

/** `value/reason@step` of a deployment, read as admin (with a fresh token: a row may revoke them). */
export async function stateOf(sim: SimulatorHandle, guid: string): Promise<string> {
  forgetTokens(sim);
  const { status } = await getDeployment(sim, guid);
  return `${status.value}/${status.reason}@${status.canary?.steps.current ?? "-"}`;
}

/**
 * Runs one promotion step as the provider does (list the app's active deployment, then a safe
 * continue) under `row`'s faults, with a client that has no token yet.
 */
export async function runStep(
  sim: SimulatorHandle,
  time: FakeTime,
  row: FaultRow,
): Promise<StepRecord> {
  const { guid, appGuid } = await pausedWeb(sim);
  const scene: Scene = {
    sim,
    time,
    guid,
    paths: {
      get: `/v3/deployments/${guid}`,
      continue: `/v3/deployments/${guid}/actions/continue`,
      cancel: `/v3/deployments/${guid}/actions/cancel`,
    },
  };
  for (const rule of row.rules?.(scene) ?? []) await sim.control.addFault(rule);
  if (row.meanwhile !== undefined)
    time.duringSleep(() => row.meanwhile?.(scene) ?? Promise.resolve());
  const log = logLines();
  const watch = secretWatch(row.beforeSend?.(scene));
  const client = developerClient(sim, time, log, () => 0.5, {
    ...row.client,
    dispatcher: watch.dispatcher,
  });
  const texts: string[] = [];
  let outcome: StepOutcome;
  try {
    const active = await client.getActiveDeployment(appGuid);
    const act = row.action === "cancel" ? client.cancelDeployment : client.continueDeployment;
    const result = await act.call(client, active?.guid ?? guid);
    outcome = { applied: result.applied, attempts: result.attempts };
  } catch (error) {
    texts.push(String(error), JSON.stringify(error));
    outcome = isCloudFoundryError(error, "CF_API_ERROR")
      ? { error: error.code, status: error.status }
      : { error: (error as { code?: string }).code ?? String(error) };
  } finally {
    await client.close();
    await watch.close();
  }
  await sim.control.clearFaults();
  // A request the client gave up on is still handled; its log entry comes when it is.
  if (row.settle !== undefined) await row.settle(scene);
  const record: StepRecord = {
    log: await requestKinds(sim),
    sleeps: [...time.sleeps],
    outcome,
    state: await stateOf(sim, guid),
    continues: (await eventsPerDeployment(sim)).get(guid) ?? 0,
    cancels: (await eventsPerDeployment(sim, CANCEL_EVENT)).get(guid) ?? 0,
    scanned: texts.length + log.lines.length,
    leaked: leakedSecrets([...texts, ...log.lines], watch.secrets(sim)),
  };
  return record;
}
