import type { RequestLogEntry } from "cf-deployment-promotion/simulator";
import { describe, expect, it } from "vitest";
import { continuesRecorded } from "./cli-simulator.js";
import { useConsumerStack } from "./consumer-stack.js";

const PROJECT = "promotion-fleet";
const APPS = Array.from({ length: 12 }, (_, i) => `svc-${String(i + 1).padStart(2, "0")}`);

// A fleet: one promotion per app, all independent, so the engine runs them at once in one host.
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";

const config = new pulumi.Config();
const apps: string[] = ${JSON.stringify(APPS)};
export const statuses = apps.map((app) => {
  const promotion = new DeploymentPromotion(app, {
    appName: app,
    orgName: config.require("org"),
    spaceName: config.require("space"),
    toStep: config.requireNumber("toStep"),
    pollIntervalSeconds: 0.2,
  });
  return pulumi.interpolate\`\${app} \${promotion.statusReason} \${promotion.canaryStep.apply((s) => s?.current)}\`;
});
`;

/** Whether `entry` reads or continues deployment `guid` (alone, or in a shared `?guids=` list). */
function touches(entry: RequestLogEntry, guid: string): boolean {
  if (entry.path === `/v3/deployments/${guid}/actions/continue`) return true;
  if (entry.method !== "GET") return false;
  if (entry.path === `/v3/deployments/${guid}`) return true;
  return entry.path === "/v3/deployments" && (entry.query["guids"] ?? "").split(",").includes(guid);
}

/**
 * The most deployments whose converge loops (from the first to the last request that reads or
 * continues the deployment) overlap in time: 1 when the promotions ran one after another.
 */
function mostConcurrentConverges(log: RequestLogEntry[], guids: string[]): number {
  const windows = guids.flatMap((guid) => {
    const times = log
      .filter((entry) => touches(entry, guid))
      .map((entry) => Date.parse(entry.time));
    return times.length === 0 ? [] : [[Math.min(...times), Math.max(...times)] as const];
  });
  return Math.max(
    0,
    ...windows.map(([start]) => windows.filter(([s, e]) => s <= start && start <= e).length),
  );
}

describe("a fleet of promotions under the engine's parallelism", () => {
  const ctx = useConsumerStack({
    name: PROJECT,
    program: PROGRAM,
    apps: APPS.map((name) => ({ name })),
  });
  const guids = () => APPS.map((app) => ctx.sim.deployments[app] ?? "");

  /** Promotes the whole fleet to `toStep` with these `pulumi up` flags and checks every one. */
  async function promoteFleet(toStep: number, flags: string[]) {
    await ctx.stack.setConfig({ [`${PROJECT}:toStep`]: String(toStep) });
    await ctx.sim.control.clearRequests();
    const up = await ctx.stack.pulumi(["up", "--yes", "--skip-preview", ...flags]);
    expect(up.code, up.output).toBe(0);

    const outputs = JSON.parse((await ctx.stack.pulumi(["stack", "output", "--json"])).stdout);
    expect(outputs.statuses).toEqual(APPS.map((app) => `${app} PAUSED ${toStep}`));
    for (const guid of guids()) {
      expect(await continuesRecorded(ctx.sim, guid)).toHaveLength(toStep - 1);
    }
    const log = await ctx.sim.control.requests();
    expect(log.filter((entry) => entry.status >= 400)).toEqual([]);
    expect(mostConcurrentConverges(log, guids())).toBeGreaterThan(1);
  }

  it("with default parallelism every promotion reaches step 2 with one continue", async () => {
    await promoteFleet(2, []);
  });

  it("with --parallel 50 every promotion goes on to step 3, one continue per step", async () => {
    await promoteFleet(3, ["--parallel", "50"]);
  });
});
