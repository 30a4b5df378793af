import { describe, expect, it } from "vitest";
import { pollUntil } from "../support/poll.js";
import { commandLineOf, descendantsOf, isAlive, killAll } from "../support/processes.js";
import { continuesReach, continuesRecorded } from "./cli-simulator.js";
import { usePausedCanaryStack } from "./consumer-stack.js";
import type { RunningCommand } from "./pulumi-cli.js";
import { PROMOTION_TYPE, resourcesOfType } from "./pulumi-stack.js";

const PROJECT = "promotion-killed-resumed";
// Without `toStep` in the stack config the promotion goes on to DEPLOYED.
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";

const config = new pulumi.Config();
const toStep = config.getNumber("toStep");
const web = new DeploymentPromotion("web", {
  appName: "web",
  orgName: config.require("org"),
  spaceName: config.require("space"),
  ...(toStep === undefined ? {} : { toStep }),
  pollIntervalSeconds: 0.2,
});
export const continues = web.continues;
export const status = pulumi.interpolate\`\${web.statusValue}/\${web.statusReason}\`;
`;

/** The provider host of a running `pulumi` command: the shim and the node behind it. */
async function providerHostOf(running: RunningCommand): Promise<number[]> {
  return pollUntil(
    "the provider host",
    () => {
      const hosts = descendantsOf(running.child.pid ?? 0).filter((pid) =>
        /pulumi-resource-pulumi-nodejs|dynamic-provider/.test(commandLineOf(pid)),
      );
      return hosts.length === 2 && hosts;
    },
    { tries: 100, intervalMs: 100 },
  );
}

describe.runIf(process.platform === "linux")(
  "pulumi up SIGKILLed after its first continue, then resumed as a user would",
  () => {
    const ctx = usePausedCanaryStack(PROJECT, PROGRAM);

    it("continues every step exactly once across both runs, lists all three continues as ours, and leaves no provider host", async () => {
      const web = ctx.sim.deployments["web"] ?? "";
      const promotionOf = async () =>
        resourcesOfType(await ctx.stack.exportState(), PROMOTION_TYPE)[0]?.outputs ?? {};
      // Recorded at step 1 first, so that the killed run is an update of a resource in state.
      await ctx.stack.setConfig({ [`${PROJECT}:toStep`]: "1" });
      const recorded = await ctx.stack.pulumi(["up", "--yes", "--skip-preview"]);
      expect(recorded.code, recorded.output).toBe(0);
      await ctx.stack.pulumi(["config", "rm", `${PROJECT}:toStep`]);

      // Every process below either CLI, by command line: only those are ended afterwards.
      const plugins = new Map<number, string>();
      const remember = (running: RunningCommand) => {
        for (const pid of descendantsOf(running.child.pid ?? 0))
          plugins.set(pid, commandLineOf(pid));
      };
      try {
        const killed = ctx.stack.start(["up", "--yes", "--skip-preview"]);
        await continuesReach(ctx.sim, web, 1);
        const killedHost = await providerHostOf(killed);
        remember(killed);
        // An OOM kill or a lost CI runner: the CLI's group at once, nothing cleans up. Pulumi's
        // plugins run in process groups of their own, so they outlive it.
        process.kill(-(killed.child.pid ?? 0), "SIGKILL");
        await killed.done;
        await ctx.sim.control.tick(10); // paused at step 2: a host still promoting would continue
        await pollUntil("the orphaned provider host to exit", () => !killedHost.some(isAlive), {
          tries: 100,
          intervalMs: 100,
        });
        expect(await continuesRecorded(ctx.sim, web)).toHaveLength(1);
        const afterKill = await ctx.stack.exportState();
        expect(afterKill.deployment.pending_operations?.map((op) => op.type)).toEqual(["updating"]);
        // The killed run never recorded its continue.
        expect(resourcesOfType(afterKill, PROMOTION_TYPE)[0]?.outputs).toMatchObject({
          canaryStep: { current: 1, total: 3 },
          continues: [],
        });

        // What the user meets next: the killed CLI's lock on the stack, which `pulumi cancel`
        // removes on a file backend too (it deletes the stack's lock files).
        const locked = await ctx.stack.pulumi(["up", "--yes", "--skip-preview"]);
        expect(locked.code).toBe(1);
        expect(locked.output).toContain(
          "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
        );
        const canceled = await ctx.stack.pulumi(["cancel", "--yes"]);
        expect(canceled.code, canceled.output).toBe(0);
        expect(canceled.stdout).toContain(
          "The currently running update for 'dev' has been canceled!",
        );

        // The refresh shows the drift: the deployment moved on to step 2 since the stack recorded it.
        const refreshed = await ctx.stack.pulumi(["refresh", "--yes"]);
        expect(refreshed.code, refreshed.output).toBe(0);
        expect(refreshed.stdout).toMatch(
          /~ {2}pulumi-nodejs:dynamic\/cloudfoundry:DeploymentPromotion web updated/,
        );
        expect(await promotionOf()).toMatchObject({
          statusReason: "PAUSED",
          canaryStep: { current: 2, total: 3 },
        });
        expect((await ctx.stack.exportState()).deployment.pending_operations ?? []).toEqual([]);

        const resumed = ctx.stack.start(["up", "--yes", "--skip-preview"]);
        await continuesReach(ctx.sim, web, 2); // from step 2, then it waits for the deployment to scale
        const resumedHost = await providerHostOf(resumed);
        remember(resumed);
        const ticker = setInterval(() => void ctx.sim.control.tick().catch(() => undefined), 150);
        const finished = await resumed.done.finally(() => clearInterval(ticker));
        expect(finished.code, finished.output).toBe(0);
        expect(finished.stdout).toContain("web: continued from step 2/3 → step 3/3");
        expect(finished.stdout).toContain("web: continued from step 3/3 → deployed");
        expect(finished.stdout).not.toContain("continued from step 1/3");

        // Three continues for three steps, each answered 200: a second continue of a step the
        // deployment had left would have been a 422 or a fourth event.
        const continuePosts = (await ctx.sim.control.requests()).filter(
          (entry) => entry.method === "POST" && entry.path.endsWith("/actions/continue"),
        );
        expect(continuePosts.map((entry) => [entry.path, entry.status])).toEqual(
          Array(3).fill([`/v3/deployments/${web}/actions/continue`, 200]),
        );
        const events = await continuesRecorded(ctx.sim, web);
        const outputs = JSON.parse((await ctx.stack.pulumi(["stack", "output", "--json"])).stdout);
        expect(outputs.status).toBe("FINALIZED/DEPLOYED");
        expect(outputs.continues).toEqual([
          {
            fromStep: 1,
            toStep: 2,
            at: events[0]?.created_at,
            by: "ci-bot@example.com",
            ours: true,
          },
          {
            fromStep: 2,
            toStep: 3,
            at: events[1]?.created_at,
            by: "ci-bot@example.com",
            ours: true,
          },
          {
            fromStep: 3,
            toStep: "deployed",
            at: events[2]?.created_at,
            by: "ci-bot@example.com",
            ours: true,
          },
        ]);
        expect(events).toHaveLength(3);

        await pollUntil(
          "both runs' provider hosts to be gone",
          () => ![...killedHost, ...resumedHost].some(isAlive),
          { tries: 100, intervalMs: 100 },
        );
      } finally {
        // Pulumi's own language host of the killed run ends at its next engine health check, every
        // 5 minutes (pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go): not this test's to wait for.
        killAll(
          [...plugins].filter(([pid, cmd]) => commandLineOf(pid) === cmd).map(([pid]) => pid),
        );
      }
    });
  },
);
