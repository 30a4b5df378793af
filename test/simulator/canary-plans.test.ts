/**
 * Canary step plans observed through the API: instance counts per step from
 * `GET /v3/processes/:guid/stats` (CC `deployment_model.rb#canary_step_plan`,
 * `lib/cloud_controller/deployment_updater/updater.rb`, `instances_stats_reporter.rb`).
 */
import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { canaryStepPlan } from "../../src/simulator/index.js";
import {
  action,
  call,
  createDeploymentFor,
  getDeployment,
  instanceCount,
  it,
  pausedWebDeployment,
  seededApp,
  tickUntil,
  tokenFor,
  webDeployment,
} from "../support/index.js";

describe("canaryStepPlan", () => {
  it("plans N=10, [20,40] as 2/9 then 4/7", () => {
    expect(canaryStepPlan(10, undefined, [20, 40])).toEqual([
      { canary: 2, original: 9 },
      { canary: 4, original: 7 },
    ]);
  });

  it("plans N=10, [1,25,50,99,100] as 1/10, 3/8, 5/6, 10/1, 10/0", () => {
    expect(canaryStepPlan(10, undefined, [1, 25, 50, 99, 100])).toEqual([
      { canary: 1, original: 10 },
      { canary: 3, original: 8 },
      { canary: 5, original: 6 },
      { canary: 10, original: 1 },
      { canary: 10, original: 0 },
    ]);
  });

  it("plans N=5, [10,20,30,70] as 1/5, 1/5, 2/4, 4/2", () => {
    expect(canaryStepPlan(5, undefined, [10, 20, 30, 70])).toEqual([
      { canary: 1, original: 5 },
      { canary: 1, original: 5 },
      { canary: 2, original: 4 },
      { canary: 4, original: 2 },
    ]);
  });

  it("plans the seeded web app (I=4, [25,50,75]) as 1/4, 2/3, 3/2", () => {
    expect(canaryStepPlan(4, undefined, [25, 50, 75])).toEqual([
      { canary: 1, original: 4 },
      { canary: 2, original: 3 },
      { canary: 3, original: 2 },
    ]);
  });

  it("uses web_instances only when smaller than the original count", () => {
    expect(canaryStepPlan(10, 4, [50])).toEqual([{ canary: 2, original: 3 }]);
    expect(canaryStepPlan(4, 10, [50])).toEqual([{ canary: 2, original: 3 }]);
  });

  it("plans a single step of one canary without steps", () => {
    expect(canaryStepPlan(6, undefined, undefined)).toEqual([{ canary: 1, original: 6 }]);
    expect(canaryStepPlan(6, undefined, [])).toEqual([{ canary: 1, original: 6 }]);
  });
});

interface StatsResource {
  type: string;
  index: number;
  state: string;
}

async function stats(sim: SimulatorHandle, processGuid: string): Promise<StatsResource[]> {
  const result = await call(sim, "GET", `/v3/processes/${processGuid}/stats`, {
    token: await tokenFor(sim, "developer"),
  });
  expect(result.status, result.text).toBe(200);
  return (result.json as { resources: StatsResource[] }).resources;
}

async function newProcessOf(sim: SimulatorHandle, guid: string): Promise<string> {
  const deployment = await getDeployment(sim, guid);
  const process = deployment.new_processes[0];
  if (process === undefined) throw new Error("deployment has no new process");
  return process.guid;
}

/** Walks a paused canary through every step, recording [canary, original] counts at each pause. */
async function walk(sim: SimulatorHandle, guid: string, oldProcess: string, steps: number) {
  const seen: Array<[number, number]> = [];
  const newProcess = await newProcessOf(sim, guid);
  for (let step = 1; step <= steps; step++) {
    await tickUntil(sim, guid, "ACTIVE/PAUSED");
    const deployment = await getDeployment(sim, guid);
    expect(deployment.status.canary?.steps.current).toBe(step);
    seen.push([await instanceCount(sim, newProcess), await instanceCount(sim, oldProcess)]);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
  }
  return seen;
}

describe("canary plans through the API", () => {
  it("lists one stats entry per instance index, RUNNING, for the seeded web process", async ({
    sim,
  }) => {
    const entries = await stats(sim, seededApp(sim, "web")?.webProcessGuid ?? "");
    expect(entries.map((e) => e.index)).toEqual([0, 1, 2, 3]);
    for (const entry of entries) {
      expect(entry).toEqual(expect.objectContaining({ type: "web", state: "RUNNING" }));
    }
  });

  it("scales the seeded 25/50/75 canary on 4 instances to 1/4, 2/3, 3/2, then 4 new and no old", async ({
    sim,
  }) => {
    const guid = webDeployment(sim) ?? "";
    const oldProcess = seededApp(sim, "web")?.webProcessGuid ?? "";
    const seen = await walk(sim, guid, oldProcess, 3);
    expect(seen).toEqual([
      [1, 4],
      [2, 3],
      [3, 2],
    ]);
    await tickUntil(sim, guid, "FINALIZED/DEPLOYED");
    expect(await instanceCount(sim, await newProcessOf(sim, guid))).toBe(4);
  });

  it("lists exactly the canary count for the new process at each pause", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    const newProcess = await newProcessOf(sim, guid);
    const first = await stats(sim, newProcess);
    expect(first.map((e) => e.index)).toEqual([0]);
    expect(first[0]?.state).toBe("RUNNING");
  });

  it("destroys the old web process when the canary finalizes", async ({ sim }) => {
    const guid = webDeployment(sim) ?? "";
    await walk(sim, guid, seededApp(sim, "web")?.webProcessGuid ?? "", 3);
    await tickUntil(sim, guid, "FINALIZED/DEPLOYED");
    const result = await call(
      sim,
      "GET",
      `/v3/processes/${seededApp(sim, "web")?.webProcessGuid}/stats`,
      {
        token: await tokenFor(sim, "admin"),
      },
    );
    expect(result.status).toBe(404);
  });

  it("follows the plan for weights [1,25,50,99,100] on 4 instances: 1/4, 1/4, 2/3, 4/1, 4/0", async ({
    sim,
  }) => {
    const paused = await getDeployment(sim, await pausedWebDeployment(sim));
    // The superseded canary's process is canceled; its prior web process is the seeded one.
    const created = await createDeploymentFor(sim, "web", {
      droplet: { guid: paused.droplet.guid },
      strategy: "canary",
      options: {
        canary: {
          steps: [1, 25, 50, 99, 100].map((w) => ({ instance_weight: w })),
        },
      },
    });
    await tickUntil(sim, created.guid, "ACTIVE/PAUSED");
    const webProcesses = await call(
      sim,
      "GET",
      `/v3/apps/${seededApp(sim, "web")?.guid}/processes`,
      {
        token: await tokenFor(sim, "admin"),
      },
    );
    expect(webProcesses.status).toBe(200);
    const newProcess = await newProcessOf(sim, created.guid);
    const counts: number[] = [];
    for (let step = 1; step <= 5; step++) {
      await tickUntil(sim, created.guid, "ACTIVE/PAUSED");
      counts.push(await instanceCount(sim, newProcess));
      expect((await action(sim, "developer", created.guid, "continue")).status).toBe(200);
    }
    expect(counts).toEqual([1, 1, 2, 4, 4]);
    await tickUntil(sim, created.guid, "FINALIZED/DEPLOYED");
  });

  it("bases the plan on web_instances when it is smaller than the current count", async ({
    sim,
  }) => {
    const created = await createDeploymentFor(sim, "api", {
      strategy: "canary",
      options: { web_instances: 1, canary: { steps: [{ instance_weight: 50 }] } },
    });
    const newProcess = await newProcessOf(sim, created.guid);
    await tickUntil(sim, created.guid, "ACTIVE/PAUSED");
    expect(await instanceCount(sim, newProcess)).toBe(1);
    expect(await instanceCount(sim, seededApp(sim, "api")?.webProcessGuid ?? "")).toBe(1);
    expect((await action(sim, "developer", created.guid, "continue")).status).toBe(200);
    await tickUntil(sim, created.guid, "FINALIZED/DEPLOYED");
    expect(await instanceCount(sim, newProcess)).toBe(1);
  });

  it("deploys a rolling deployment to web_instances when it is larger than the current count", async ({
    sim,
  }) => {
    const created = await createDeploymentFor(sim, "api", {
      options: { web_instances: 5, max_in_flight: 2 },
    });
    await tickUntil(sim, created.guid, "FINALIZED/DEPLOYED");
    expect(await instanceCount(sim, await newProcessOf(sim, created.guid))).toBe(5);
  });

  it("starts the new process with min(max_in_flight, target) instances", async ({ sim }) => {
    const one = await createDeploymentFor(sim, "api", { options: { web_instances: 4 } });
    expect(await instanceCount(sim, await newProcessOf(sim, one.guid))).toBe(1);
    const three = await createDeploymentFor(sim, "api", {
      options: { web_instances: 4, max_in_flight: 3 },
    });
    expect(await instanceCount(sim, await newProcessOf(sim, three.guid))).toBe(3);
  });

  it("takes more ticks to finish with max_in_flight 1 than with max_in_flight 4", async ({
    startSim,
  }) => {
    const slowSim = await startSim();
    const slow = await createDeploymentFor(slowSim, "api", { options: { web_instances: 4 } });
    const slowTicks = await tickUntil(slowSim, slow.guid, "FINALIZED/DEPLOYED");
    const fastSim = await startSim();
    const fast = await createDeploymentFor(fastSim, "api", {
      options: { web_instances: 4, max_in_flight: 4 },
    });
    const fastTicks = await tickUntil(fastSim, fast.guid, "FINALIZED/DEPLOYED");
    expect(slowTicks).toBeGreaterThan(fastTicks);
    expect(slowTicks).toBeGreaterThanOrEqual(4);
  });

  it("does not pause while the canary instance is crashed, and pauses once it runs", async ({
    sim,
  }) => {
    const created = await createDeploymentFor(sim, "api", { strategy: "canary" });
    const newProcess = await newProcessOf(sim, created.guid);
    await sim.control.setInstanceState(newProcess, 0, "CRASHED");
    await sim.control.tick(5);
    const deployment = await getDeployment(sim, created.guid);
    expect(`${deployment.status.value}/${deployment.status.reason}`).toBe("ACTIVE/DEPLOYING");
    const crashed = await stats(sim, newProcess);
    expect(crashed[0]?.state).toBe("CRASHED");
    await sim.control.setInstanceState(newProcess, 0, "RUNNING");
    await tickUntil(sim, created.guid, "ACTIVE/PAUSED");
  });

  it("does not advance a DEPLOYING rolling deployment without ticks", async ({ sim }) => {
    const created = await createDeploymentFor(sim, "api");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await getDeployment(sim, created.guid)).status.reason).toBe("DEPLOYING");
  });
});

describe("process stats shape", () => {
  it("gives every instance type, index, state, uptime, host, instance_ports and usage", async ({
    sim,
  }) => {
    const entries = (await stats(sim, seededApp(sim, "web").webProcessGuid)) as unknown as Array<
      Record<string, unknown>
    >;
    for (const entry of entries) {
      for (const key of ["type", "index", "state", "uptime", "host", "instance_ports", "usage"]) {
        expect(Object.keys(entry), key).toContain(key);
      }
    }
  });

  it("lists an instance set DOWN through the control API as DOWN, keeping one entry per index", async ({
    sim,
  }) => {
    await sim.control.setInstanceState(seededApp(sim, "web").webProcessGuid, 2, "DOWN");
    const entries = await stats(sim, seededApp(sim, "web").webProcessGuid);
    expect(entries.map((e) => [e.index, e.state])).toEqual([
      [0, "RUNNING"],
      [1, "RUNNING"],
      [2, "DOWN"],
      [3, "RUNNING"],
    ]);
  });

  it("destroys the new process when a cancel finishes", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    const newProcess = await newProcessOf(sim, guid);
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    await tickUntil(sim, guid, "FINALIZED/CANCELED");
    const result = await call(sim, "GET", `/v3/processes/${newProcess}/stats`, {
      token: await tokenFor(sim, "admin"),
    });
    expect(result.status).toBe(404);
  });
});
