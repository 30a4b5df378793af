import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { asUser, type DeploymentJson, it, seededApp, webDeployment } from "../support/index.js";

type Api = Awaited<ReturnType<typeof asUser>>;

async function deployment(api: Api, guid: string): Promise<DeploymentJson> {
  return (await api("GET", `/v3/deployments/${guid}`)).body as DeploymentJson;
}

async function state(api: Api, guid: string): Promise<string> {
  const { status } = await deployment(api, guid);
  return `${status.value}/${status.reason}@${status.canary?.steps.current ?? "-"}`;
}

/** The instance states of every web process of an app, oldest process first. */
async function webInstances(api: Api, appGuid: string): Promise<string[][]> {
  const list = (await api("GET", `/v3/apps/${appGuid}/processes?types=web`)).body as {
    resources: Array<{ guid: string }>;
  };
  const result: string[][] = [];
  for (const process of list.resources) {
    const stats = (await api("GET", `/v3/processes/${process.guid}/stats`)).body as {
      resources: Array<{ state: string }>;
    };
    result.push(stats.resources.map((r) => r.state));
  }
  return result;
}

async function createDeployment(sim: SimulatorHandle, api: Api, app: string, body: object) {
  const { guid, stagedDropletGuid } = seededApp(sim, app);
  const answer = await api("POST", "/v3/deployments", {
    droplet: { guid: stagedDropletGuid },
    relationships: { app: { data: { guid } } },
    ...body,
  });
  expect(answer.status).toBe(201);
  return (answer.body as DeploymentJson).guid;
}

describe("deployment updater", () => {
  it("walks the seeded web canary through 25/50/75 and finalizes, tick by tick", async ({
    sim,
  }) => {
    const api = await asUser(sim, "developer");
    const guid = webDeployment(sim);
    const app = seededApp(sim, "web").guid;
    const R = "RUNNING";
    const S = "STARTING";

    expect(await webInstances(api, app)).toEqual([[R, R, R, R], [S]]);
    await sim.control.tick();
    expect(await state(api, guid)).toBe("ACTIVE/PAUSED@1");
    expect(await webInstances(api, app)).toEqual([[R, R, R, R], [R]]);
    // The updater never advances PAUSED.
    await sim.control.tick(5);
    expect(await state(api, guid)).toBe("ACTIVE/PAUSED@1");

    await api("POST", `/v3/deployments/${guid}/actions/continue`);
    expect(await state(api, guid)).toBe("ACTIVE/DEPLOYING@2");
    await sim.control.tick();
    expect(await state(api, guid)).toBe("ACTIVE/DEPLOYING@2");
    expect(await webInstances(api, app)).toEqual([
      [R, R, R, R],
      [R, S],
    ]);
    await sim.control.tick();
    expect(await state(api, guid)).toBe("ACTIVE/PAUSED@2");
    expect(await webInstances(api, app)).toEqual([
      [R, R, R],
      [R, R],
    ]);

    await api("POST", `/v3/deployments/${guid}/actions/continue`);
    await sim.control.tick(2);
    expect(await state(api, guid)).toBe("ACTIVE/PAUSED@3");
    expect(await webInstances(api, app)).toEqual([
      [R, R],
      [R, R, R],
    ]);

    // Continue on the last step: DEPLOYING without incrementing the step.
    await api("POST", `/v3/deployments/${guid}/actions/continue`);
    expect(await state(api, guid)).toBe("ACTIVE/DEPLOYING@3");
    await sim.control.tick();
    expect(await state(api, guid)).toBe("ACTIVE/DEPLOYING@3");
    expect(await webInstances(api, app)).toEqual([[R], [R, R, R, S]]);
    await sim.control.tick();
    expect(await state(api, guid)).toBe("FINALIZED/DEPLOYED@3");
    expect(await webInstances(api, app)).toEqual([[R, R, R, R]]);
    const final = await deployment(api, guid);
    expect(Object.keys(final.links)).toEqual(["self", "app"]);
    const [newProcess] = final.new_processes;
    const processes = (await api("GET", `/v3/apps/${app}/processes`)).body as {
      resources: Array<{ guid: string }>;
    };
    expect(processes.resources.map((p) => p.guid)).toEqual([newProcess?.guid]);
  });

  it("scales the new process to the canary count of each step (stats list 1, 2, 3)", async ({
    sim,
  }) => {
    const api = await asUser(sim, "developer");
    const guid = webDeployment(sim);
    const counts: number[] = [];
    for (let step = 1; step <= 3; step += 1) {
      await sim.control.tick(step === 1 ? 1 : 2);
      const d = await deployment(api, guid);
      expect(d.status.reason).toBe("PAUSED");
      const stats = (await api("GET", `/v3/processes/${d.new_processes[0]?.guid}/stats`)).body as {
        resources: unknown[];
      };
      counts.push(stats.resources.length);
      if (step < 3) await api("POST", `/v3/deployments/${guid}/actions/continue`);
    }
    expect(counts).toEqual([1, 2, 3]);
  });

  it("takes ceil(target / max_in_flight) + 1 ticks per rolling deployment", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const guid = await createDeployment(sim, api, "api", { strategy: "rolling" });
    expect(await state(api, guid)).toBe("ACTIVE/DEPLOYING@-");
    await sim.control.tick();
    expect(await state(api, guid)).toBe("ACTIVE/DEPLOYING@-");
    await sim.control.tick();
    expect(await state(api, guid)).toBe("FINALIZED/DEPLOYED@-");
  });

  it("scales max_in_flight instances at once", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const guid = await createDeployment(sim, api, "api", {
      strategy: "rolling",
      options: { max_in_flight: 2, web_instances: 5 },
    });
    const app = seededApp(sim, "api").guid;
    expect(await webInstances(api, app)).toEqual([
      ["RUNNING", "RUNNING"],
      ["STARTING", "STARTING"],
    ]);
    // Old + routable new never exceeds the target total of 5.
    await sim.control.tick();
    expect(await webInstances(api, app)).toEqual([
      ["RUNNING", "RUNNING"],
      ["RUNNING", "RUNNING", "STARTING", "STARTING"],
    ]);
    await sim.control.tick();
    expect(await state(api, guid)).toBe("ACTIVE/DEPLOYING@-");
    expect(await webInstances(api, app)).toEqual([
      ["RUNNING"],
      ["RUNNING", "RUNNING", "RUNNING", "RUNNING", "STARTING"],
    ]);
    await sim.control.tick();
    expect(await state(api, guid)).toBe("FINALIZED/DEPLOYED@-");
    expect(await webInstances(api, app)).toEqual([
      ["RUNNING", "RUNNING", "RUNNING", "RUNNING", "RUNNING"],
    ]);
  });

  it("stops advancing while a new instance is CRASHED or DOWN, and resumes once RUNNING", async ({
    sim,
  }) => {
    const api = await asUser(sim, "developer");
    const guid = webDeployment(sim);
    const canary = (await deployment(api, guid)).new_processes[0]?.guid ?? "";
    await sim.control.setInstanceState(canary, 0, "CRASHED");
    await sim.control.tick(3);
    expect(await state(api, guid)).toBe("ACTIVE/DEPLOYING@1");
    await sim.control.setInstanceState(canary, 0, "DOWN");
    await sim.control.tick(3);
    expect(await state(api, guid)).toBe("ACTIVE/DEPLOYING@1");
    await sim.control.setInstanceState(canary, 0, "RUNNING");
    await sim.control.tick();
    expect(await state(api, guid)).toBe("ACTIVE/PAUSED@1");
  });

  it("does not scale further while an instance of the new process is unhealthy", async ({
    sim,
  }) => {
    const api = await asUser(sim, "developer");
    const guid = await createDeployment(sim, api, "api", { strategy: "rolling" });
    const newProcess = (await deployment(api, guid)).new_processes[0]?.guid ?? "";
    await sim.control.tick();
    await sim.control.setInstanceState(newProcess, 0, "CRASHED");
    await sim.control.setInstanceState(newProcess, 1, "CRASHED");
    await sim.control.tick(4);
    expect(await state(api, guid)).toBe("ACTIVE/DEPLOYING@-");
    const stats = (await api("GET", `/v3/processes/${newProcess}/stats`)).body as {
      resources: Array<{ state: string; details: string | null }>;
    };
    expect(stats.resources.map((r) => r.state)).toEqual(["CRASHED", "CRASHED"]);
  });

  it("leaves a PAUSED canary paused even when its instance crashes", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const guid = webDeployment(sim);
    await sim.control.tick();
    const canary = (await deployment(api, guid)).new_processes[0]?.guid ?? "";
    await sim.control.setInstanceState(canary, 0, "CRASHED");
    await sim.control.tick(3);
    expect(await state(api, guid)).toBe("ACTIVE/PAUSED@1");
  });

  it("restores the original web process on cancel and destroys the canary", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const guid = webDeployment(sim);
    const app = seededApp(sim, "web");
    await sim.control.tick();
    await api("POST", `/v3/deployments/${guid}/actions/continue`);
    await sim.control.tick(2);
    await api("POST", `/v3/deployments/${guid}/actions/cancel`);
    await sim.control.tick();
    expect(await state(api, guid)).toBe("FINALIZED/CANCELED@2");
    const processes = (await api("GET", `/v3/apps/${app.guid}/processes`)).body as {
      resources: Array<{ guid: string; instances: number }>;
    };
    expect(processes.resources.map((p) => [p.guid, p.instances])).toEqual([
      [app.webProcessGuid, 4],
    ]);
  });

  it("pauses a 100% final step with no old instances and needs one more continue", async ({
    sim,
  }) => {
    const api = await asUser(sim, "developer");
    const guid = await createDeployment(sim, api, "api", {
      strategy: "canary",
      options: { canary: { steps: [{ instance_weight: 50 }, { instance_weight: 100 }] } },
    });
    await sim.control.tick();
    expect(await state(api, guid)).toBe("ACTIVE/PAUSED@1");
    await api("POST", `/v3/deployments/${guid}/actions/continue`);
    await sim.control.tick(2);
    expect(await state(api, guid)).toBe("ACTIVE/PAUSED@2");
    expect(await webInstances(api, seededApp(sim, "api").guid)).toEqual([
      [],
      ["RUNNING", "RUNNING"],
    ]);
    await api("POST", `/v3/deployments/${guid}/actions/continue`);
    expect(await state(api, guid)).toBe("ACTIVE/DEPLOYING@2");
    await sim.control.tick();
    expect(await state(api, guid)).toBe("FINALIZED/DEPLOYED@2");
  });
});
