import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { continuesReach, continuesRecorded } from "./cli-simulator.js";
import { usePausedCanaryStack } from "./consumer-stack.js";
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

describe("Ctrl-C during pulumi up while the promotion waits", () => {
  const ctx = usePausedCanaryStack(PROJECT, PROGRAM);

  it("sends nothing after the CLI gave up, and the next up finishes with no double continue", async () => {
    const web = ctx.sim.deployments["web"] ?? "";
    const running = ctx.stack.start(["up", "--yes", "--skip-preview"]);
    await continuesReach(ctx.sim, web, 1);
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
