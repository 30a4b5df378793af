import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { descendantsOf, isAlive, killAll } from "../support/processes.js";
import { continuesRecorded } from "./cli-simulator.js";
import { useConsumerStack } from "./consumer-stack.js";
import { PROMOTION_TYPE, resourcesOfType } from "./pulumi-stack.js";

const PROJECT = "promotion-interrupt";
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";

const config = new pulumi.Config();
const web = new DeploymentPromotion("web", {
  appName: "web",
  orgName: config.require("org"),
  spaceName: config.require("space"),
  toStep: 3,
  pollIntervalSeconds: 0.2,
});
export const continues = web.continues;
export const step = web.canaryStep;
`;

/** Polls `probe` every 100 ms for up to `ms`; fails the test when it never holds. */
async function waitFor(what: string, ms: number, probe: () => Promise<boolean>): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await delay(100)) {
    if (await probe()) return;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The file's stack: the web canary, and no automatic ticks, so that after its first continue
 * the promotion waits until the test ticks. */
function pausedCanaryStack(name: string) {
  return useConsumerStack({ name, program: PROGRAM, apps: [{ name: "web" }], tickMs: 0 });
}

describe("Ctrl-C during pulumi up while the promotion waits", () => {
  const ctx = pausedCanaryStack(PROJECT);

  it("sends nothing after the CLI gave up, and the next up finishes with no double continue", async () => {
    const web = ctx.sim.deployments["web"] ?? "";
    const running = ctx.stack.start(["up", "--yes", "--skip-preview"]);
    await waitFor("the first continue", 120_000, async () => {
      return (await continuesRecorded(ctx.sim, web)).length === 1;
    });
    // Ctrl-C in a terminal: SIGINT to the foreground process group. Pulumi starts its plugins in
    // process groups of their own, so only the CLI gets it; it waits for the step in flight.
    process.kill(-(running.child.pid ?? 0), "SIGINT");
    await delay(2000);
    expect(running.child.exitCode).toBeNull();
    // A second Ctrl-C: the CLI gives up and ends the provider host.
    process.kill(-(running.child.pid ?? 0), "SIGINT");
    const interrupted = await running.done;
    expect(interrupted.code).not.toBe(0);

    await ctx.sim.control.clearRequests();
    await ctx.sim.control.tick(10); // the deployment pauses at step 2 now
    await delay(1500); // longer than several poll intervals of a provider still running
    expect(await ctx.sim.control.requests()).toEqual([]);
    expect(await continuesRecorded(ctx.sim, web)).toHaveLength(1);

    // The interrupted create left a pending operation; the CLI tells the user what to run.
    const state = await ctx.stack.exportState();
    expect(state.deployment.pending_operations?.map((op) => op.type)).toEqual(["creating"]);
    const cleared = await ctx.stack.pulumi(["refresh", "--yes", "--clear-pending-creates"]);
    expect(cleared.code, cleared.output).toBe(0);

    const ticker = setInterval(() => void ctx.sim.control.tick().catch(() => undefined), 150);
    const resumed = await ctx.stack.pulumi(["up", "--yes", "--skip-preview"]).finally(() => {
      clearInterval(ticker);
    });
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.stdout).toContain("web: continued from step 2/3 → step 3/3");
    const continues = await continuesRecorded(ctx.sim, web);
    expect(continues).toHaveLength(2);
    const outputs = JSON.parse((await ctx.stack.pulumi(["stack", "output", "--json"])).stdout);
    expect(outputs.step).toEqual({ current: 3, total: 3 });
    expect(resourcesOfType(await ctx.stack.exportState(), PROMOTION_TYPE)).toHaveLength(1);
  });
});

describe.runIf(process.platform === "linux")(
  "the pulumi CLI killed while the promotion waits",
  () => {
    const ctx = pausedCanaryStack("promotion-engine-killed");

    it("the orphaned provider host sends no further continue", async () => {
      const web = ctx.sim.deployments["web"] ?? "";
      const running = ctx.stack.start(["up", "--yes", "--skip-preview"]);
      const plugins: number[] = [];
      try {
        await waitFor("the first continue", 120_000, async () => {
          return (await continuesRecorded(ctx.sim, web)).length === 1;
        });
        plugins.push(...descendantsOf(running.child.pid ?? 0));
        // SIGKILL: nothing can clean up. Pulumi's plugins run in process groups of their own, so
        // killing the CLI's group leaves the provider host running, as an OOM kill or a lost CI
        // runner would.
        process.kill(-(running.child.pid ?? 0), "SIGKILL");
        await running.done;
        expect(plugins.filter(isAlive).length).toBeGreaterThan(0);

        await ctx.sim.control.clearRequests();
        await ctx.sim.control.tick(10); // the deployment pauses at step 2: a live host would continue
        await delay(2000); // ten poll intervals
        const posts = (await ctx.sim.control.requests()).filter((r) => r.method === "POST");
        expect(posts).toEqual([]);
        expect(await continuesRecorded(ctx.sim, web)).toHaveLength(1);
      } finally {
        killAll(plugins);
      }
    });
  },
);
