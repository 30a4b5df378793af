import { beforeAll, describe, expect, it } from "vitest";
import { pushCanary, writesSent } from "./cli-simulator.js";
import { webPromotionProgram } from "./consumer-project.js";
import { useConsumerStack } from "./consumer-stack.js";

const PROJECT = "promotion-review";
const PROGRAM = webPromotionProgram(
  'toStep: config.requireNumber("toStep"),\n  pollIntervalSeconds: 0.2,',
);

// What a reviewer reads in `pulumi preview --diff`: the engine shows input changes on the
// resource (the dynamic-provider host passes no detailed diff), and the provider's plan line
// (a stack diagnostic) says what will be sent and why.
describe("pulumi preview --diff for a reviewer", () => {
  const ctx = useConsumerStack({
    name: PROJECT,
    program: PROGRAM,
    apps: [{ name: "web" }],
    config: { [`${PROJECT}:toStep`]: "1" },
  });

  beforeAll(async () => {
    const up = await ctx.stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code, up.output).toBe(0);
  });

  it("a raised toStep: the input change on the resource, the continues in the plan", async () => {
    await ctx.stack.setConfig({ [`${PROJECT}:toStep`]: "3" });
    await ctx.sim.control.clearRequests();
    const preview = await ctx.stack.pulumi(["preview", "--diff"]);
    expect(preview.code, preview.output).toBe(0);
    expect(preview.stdout).toMatch(
      /~ pulumi-nodejs:dynamic\/cloudfoundry:DeploymentPromotion: \(update\)/,
    );
    expect(preview.stdout).toMatch(/~ toStep +: 1 => 3/);
    // With --diff the CLI prints the provider's lines on stderr, after the resources.
    expect(preview.stderr).toContain(
      `plan: continue deployment ${ctx.sim.deployments["web"]} of app web: step 1/3 → step 3/3, 2 continues`,
    );
    expect(await writesSent(ctx.sim)).toEqual([]);
  });

  it("a newer canary of the app: a replace, and the plan names both deployments", async () => {
    await ctx.stack.setConfig({ [`${PROJECT}:toStep`]: "1" });
    const newer = await pushCanary(ctx.sim, "web");
    await ctx.sim.control.tick(5);
    await ctx.sim.control.clearRequests();
    const preview = await ctx.stack.pulumi(["preview", "--diff"]);
    expect(preview.code, preview.output).toBe(0);
    expect(preview.stdout).toMatch(
      /\+-pulumi-nodejs:dynamic\/cloudfoundry:DeploymentPromotion: \(replace\)/,
    );
    expect(preview.stderr).toContain(
      `plan: app web has a newer active deployment ${newer} (was ${ctx.sim.deployments["web"]}): replace; then`,
    );
    expect(preview.stdout).toMatch(/\+-1 to replace/);
    expect(await writesSent(ctx.sim)).toEqual([]);
  });
});
