/**
 * What the deployment updater does with the web processes of deployments a newer one superseded
 * or that are canceled (CC `lib/cloud_controller/deployment_updater/actions/scale.rb`,
 * `scale_down_canceled_processes.rb`, `down_scaler.rb`, `cancel.rb`), seen through the V3 API.
 */
import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import {
  action,
  appGuid,
  call,
  createDeploymentFor,
  type DeploymentJson,
  getDeployment,
  it,
  pausedWebDeployment,
  seededApp,
  statusOf,
  tickUntil,
  tokenFor,
} from "../support/index.js";

/** The app's processes as `GET /v3/apps/:guid/processes` lists them: guid → instance count. */
async function webInstances(sim: SimulatorHandle, app: string): Promise<Record<string, number>> {
  const answer = await call(sim, "GET", `/v3/apps/${appGuid(sim, app)}/processes`, {
    token: await tokenFor(sim, "admin"),
  });
  expect(answer.status, answer.text).toBe(200);
  const resources = (answer.json as { resources: Array<{ guid: string; instances: number }> })
    .resources;
  return Object.fromEntries(resources.map((p) => [p.guid, p.instances]));
}

function newProcess(deployment: DeploymentJson): string {
  const guid = deployment.new_processes[0]?.guid;
  if (guid === undefined) throw new Error(`deployment ${deployment.guid} has no new process`);
  return guid;
}

/** A rolling deployment of `api` one tick in: its process has 2 instances, 1 RUNNING. */
async function rollingAfterOneTick(sim: SimulatorHandle): Promise<DeploymentJson> {
  const deployment = await createDeploymentFor(sim, "api");
  await sim.control.tick();
  return deployment;
}

/** Cancels `guid` as the developer, lets the updater finish it, and lists api's processes. */
async function cancelAndTick(sim: SimulatorHandle, guid: string) {
  expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
  await sim.control.tick();
  expect(await statusOf(sim, guid)).toBe("FINALIZED/CANCELED");
  return webInstances(sim, "api");
}

const CANARY = { strategy: "canary", options: { canary: { steps: [{ instance_weight: 50 }] } } };

describe("the updater and superseded deployments' processes", () => {
  it("scales a superseded canary's process to 0 on the next deployment's first tick and keeps it until that one finishes", async ({
    sim,
  }) => {
    const canary = await getDeployment(sim, await pausedWebDeployment(sim));
    const original = seededApp(sim, "web").webProcessGuid;
    // Step 1 of 25% of 4: one canary instance beside all four original ones.
    expect(await webInstances(sim, "web")).toEqual({ [original]: 4, [newProcess(canary)]: 1 });
    const rolling = await createDeploymentFor(sim, "web");
    expect((await getDeployment(sim, canary.guid)).status).toMatchObject({
      value: "FINALIZED",
      reason: "SUPERSEDED",
    });
    await sim.control.tick();
    // The down-scaler still counts the canary's instance it has just zeroed (CC read the app's
    // web processes before ScaleDownCanceledProcesses ran): the original gives up 2, not 1.
    expect(await webInstances(sim, "web")).toEqual({
      [original]: 2,
      [newProcess(canary)]: 0,
      [newProcess(rolling)]: 2,
    });
    await sim.control.tick();
    expect(await webInstances(sim, "web")).toEqual({
      [original]: 2,
      [newProcess(canary)]: 0,
      [newProcess(rolling)]: 3,
    });
    await tickUntil(sim, rolling.guid, "FINALIZED/DEPLOYED");
    expect(await webInstances(sim, "web")).toEqual({ [newProcess(rolling)]: 4 });
  });

  it("cancels back to the newest process of a deployment superseded while rolling, not to a superseded canary's", async ({
    sim,
  }) => {
    const first = await rollingAfterOneTick(sim);
    const canary = await createDeploymentFor(sim, "api", CANARY);
    const last = await createDeploymentFor(sim, "api");
    // Superseded while DEPLOYING the first is DEPLOYED, while PREPAUSED the canary is CANCELED.
    for (const { guid } of [first, canary]) {
      expect(await statusOf(sim, guid)).toBe("FINALIZED/SUPERSEDED");
    }
    expect(await cancelAndTick(sim, last.guid)).toEqual({ [newProcess(first)]: 2 });
  });

  it("cancels back to the original process when the superseded one has no RUNNING instance", async ({
    sim,
  }) => {
    const first = await rollingAfterOneTick(sim);
    const last = await createDeploymentFor(sim, "api");
    await sim.control.setInstanceState(newProcess(first), 0, "CRASHED");
    await sim.control.setInstanceState(newProcess(first), 1, "DOWN");
    expect(await cancelAndTick(sim, last.guid)).toEqual({
      [seededApp(sim, "api").webProcessGuid]: 2,
    });
  });
});
