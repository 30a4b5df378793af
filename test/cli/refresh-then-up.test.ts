import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { actAsPerson, continuesRecorded } from "./cli-simulator.js";
import { useConsumerStack } from "./consumer-stack.js";

const PROJECT = "promotion-refresh-up";
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";

const config = new pulumi.Config();
const web = new DeploymentPromotion("web", {
  appName: config.require("app"),
  orgName: config.require("org"),
  spaceName: config.require("space"),
  toStep: config.requireNumber("toStep"),
  pollIntervalSeconds: 0.2,
});
export const step = web.canaryStep;
`;

// `pulumi up --refresh` refreshes, then updates: the diff that answers the refresh (drift) must
// never stand in for the diff that plans the update, with or without the legacy refresh diff.
describe("pulumi up --refresh after someone else continued the canary", () => {
  const ctx = useConsumerStack({
    name: PROJECT,
    program: PROGRAM,
    apps: [{ name: "web" }, { name: "api-web", steps: [20, 40, 60, 80] }],
    config: { [`${PROJECT}:toStep`]: "1", [`${PROJECT}:app`]: "web" },
  });

  /** Someone continues `app`'s canary from step 1 by hand, and it pauses at step 2. */
  async function continuedByHand(app: string): Promise<void> {
    const guid = ctx.sim.deployments[app] ?? "";
    await actAsPerson(ctx.sim, guid, "continue");
    for (let i = 0; i < 50 && (await continuesRecorded(ctx.sim, guid)).length < 1; i++) {
      await delay(100);
    }
    await delay(1000); // a few ticks: the deployment scales and pauses at step 2
  }

  /**
   * Up to step 1, optionally a continue by hand, then `up --refresh` to step 3: every step is
   * continued exactly once, by the person or by us.
   */
  async function refreshThenPromote(
    app: string,
    total: number,
    options: { byHand: boolean; env?: NodeJS.ProcessEnv },
  ) {
    const env = options.env ?? {};
    await ctx.stack.setConfig({ [`${PROJECT}:app`]: app, [`${PROJECT}:toStep`]: "1" });
    const first = await ctx.stack.pulumi(["up", "--yes", "--skip-preview"], { env });
    expect(first.code, first.output).toBe(0);
    const guid = ctx.sim.deployments[app] ?? "";
    if (options.byHand) await continuedByHand(app);

    await ctx.stack.setConfig({ [`${PROJECT}:toStep`]: "3" });
    const up = await ctx.stack.pulumi(["up", "--yes", "--skip-preview", "--refresh"], { env });
    expect(up.code, up.output).toBe(0);
    expect(up.stdout).toContain(`${app}: continued from step 2/${total} → step 3/${total}`);
    expect(await continuesRecorded(ctx.sim, guid)).toHaveLength(2);
    const outputs = JSON.parse((await ctx.stack.pulumi(["stack", "output", "--json"])).stdout);
    expect(outputs.step).toEqual({ current: 3, total });
  }

  it("reports the drift, then promotes from where the deployment really is, once", async () => {
    await refreshThenPromote("web", 3, { byHand: true });
  });

  it("with PULUMI_ENABLE_LEGACY_REFRESH_DIFF=true (no diff after read) still plans the update", async () => {
    const destroyed = await ctx.stack.pulumi(["destroy", "--yes"]);
    expect(destroyed.code, destroyed.output).toBe(0);
    // The refresh finds nothing new; only the raised toStep asks for continues.
    await refreshThenPromote("api-web", 4, {
      byHand: false,
      env: { PULUMI_ENABLE_LEGACY_REFRESH_DIFF: "true" },
    });
  });
});
