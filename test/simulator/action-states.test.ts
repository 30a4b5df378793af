/**
 * Which deployment states `continue` and `cancel` accept: CC's `DeploymentContinue` accepts only
 * PAUSED (`cloud_controller_ng app/actions/deployment_continue.rb`), `DeploymentCancel` every
 * ACTIVE state (`app/actions/deployment_cancel.rb`); a refusal names the state it found.
 */
import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import {
  action,
  createDeploymentFor,
  type DeploymentAction,
  expectCfError,
  getDeployment,
  it,
  pausedWebDeployment,
  statusOf,
  tickUntil,
  unprocessable,
  webDeployment,
} from "../support/index.js";

type Setup = (sim: SimulatorHandle) => Promise<string>;

const setups: Record<string, Setup> = {
  "a seeded canary before its first tick (PREPAUSED)": async (sim) => webDeployment(sim),
  "a freshly created canary (PREPAUSED)": async (sim) =>
    (await createDeploymentFor(sim, "api", { strategy: "canary" })).guid,
  "a continued canary (PREPAUSED)": async (sim) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    return guid;
  },
  "a rolling deployment (DEPLOYING)": async (sim) => (await createDeploymentFor(sim, "api")).guid,
  "a canceled canary still scaling down (CANCELING)": async (sim) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    return guid;
  },
  "a canceled canary (CANCELED)": async (sim) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    await tickUntil(sim, guid, "FINALIZED/CANCELED");
    return guid;
  },
  "a finished rolling deployment (DEPLOYED)": async (sim) =>
    (await createDeploymentFor(sim, "worker")).guid,
  "a paused canary replaced by a new deployment (SUPERSEDED)": async (sim) => {
    const guid = await pausedWebDeployment(sim);
    const paused = await getDeployment(sim, guid);
    await createDeploymentFor(sim, "web", { droplet: { guid: paused.droplet.guid } });
    return guid;
  },
  "a rolling deployment replaced by a new one (SUPERSEDED)": async (sim) => {
    const first = await createDeploymentFor(sim, "api");
    await createDeploymentFor(sim, "api");
    return first.guid;
  },
};

/** What each action answers in each setup: "accepted", or the `value/reason` it refuses. */
const answers: Array<[string, DeploymentAction, "accepted" | `${string}/${string}`]> = [
  ["a seeded canary before its first tick (PREPAUSED)", "continue", "ACTIVE/DEPLOYING"],
  ["a seeded canary before its first tick (PREPAUSED)", "cancel", "accepted"],
  ["a freshly created canary (PREPAUSED)", "continue", "ACTIVE/DEPLOYING"],
  ["a freshly created canary (PREPAUSED)", "cancel", "accepted"],
  ["a continued canary (PREPAUSED)", "continue", "ACTIVE/DEPLOYING"],
  ["a continued canary (PREPAUSED)", "cancel", "accepted"],
  ["a rolling deployment (DEPLOYING)", "continue", "ACTIVE/DEPLOYING"],
  ["a rolling deployment (DEPLOYING)", "cancel", "accepted"],
  ["a canceled canary still scaling down (CANCELING)", "continue", "ACTIVE/CANCELING"],
  ["a canceled canary still scaling down (CANCELING)", "cancel", "accepted"],
  ["a canceled canary (CANCELED)", "continue", "FINALIZED/CANCELED"],
  ["a canceled canary (CANCELED)", "cancel", "FINALIZED/CANCELED"],
  ["a finished rolling deployment (DEPLOYED)", "continue", "FINALIZED/DEPLOYED"],
  ["a finished rolling deployment (DEPLOYED)", "cancel", "FINALIZED/DEPLOYED"],
  ["a paused canary replaced by a new deployment (SUPERSEDED)", "continue", "FINALIZED/SUPERSEDED"],
  ["a paused canary replaced by a new deployment (SUPERSEDED)", "cancel", "FINALIZED/SUPERSEDED"],
  ["a rolling deployment replaced by a new one (SUPERSEDED)", "continue", "FINALIZED/SUPERSEDED"],
  ["a rolling deployment replaced by a new one (SUPERSEDED)", "cancel", "FINALIZED/SUPERSEDED"],
];

describe("the deployment states continue and cancel accept", () => {
  it.for(answers)("%s: %s is %s", async ([setup, name, expected], { sim }) => {
    const guid = await setups[setup]?.(sim);
    if (guid === undefined) throw new Error(`no setup '${setup}'`);
    const result = await action(sim, "developer", guid, name);
    if (expected === "accepted") {
      expect(result.status, result.text).toBe(200);
      expect(result.text).toBe("");
      expect(await statusOf(sim, guid)).toBe("ACTIVE/CANCELING");
      return;
    }
    const [value, reason] = expected.split("/");
    expectCfError(
      result,
      unprocessable(`Cannot ${name} a deployment with status: ${value} and reason: ${reason}`),
    );
  });
});
