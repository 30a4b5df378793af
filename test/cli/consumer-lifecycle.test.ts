import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { actAsPerson, continuesRecorded, USER, writesSent } from "./cli-simulator.js";
import { useConsumerStack } from "./consumer-stack.js";
import { PROMOTION_TYPE, resourcesOfType } from "./pulumi-stack.js";

const PROJECT = "promotion-consumer";

// The program a platform team would write in a `pulumi new typescript` project: one promotion
// to a step given by config (or all the way), and one that stays at step 1.
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";

const config = new pulumi.Config();
const common = {
  orgName: config.require("org"),
  spaceName: config.require("space"),
  pollIntervalSeconds: 0.2,
};
const web = new DeploymentPromotion("web", {
  ...common,
  appName: "web",
  toStep: config.getNumber("webToStep"),
});
const checkout = new DeploymentPromotion("checkout", { ...common, appName: "checkout", toStep: 1 });

export const webStatus = pulumi.interpolate\`\${web.statusValue}/\${web.statusReason}\`;
export const webStep = web.canaryStep;
export const webContinues = web.continues;
export const checkoutStatus = pulumi.interpolate\`\${checkout.statusValue}/\${checkout.statusReason}\`;
`;

describe("a pulumi new typescript project that installs the packed package", () => {
  const ctx = useConsumerStack({
    name: PROJECT,
    program: PROGRAM,
    apps: [{ name: "web" }, { name: "checkout" }],
    config: { [`${PROJECT}:webToStep`]: "2" },
  });
  const web = () => ctx.sim.deployments["web"] ?? "";
  const checkout = () => ctx.sim.deployments["checkout"] ?? "";

  it("previews the plan and writes nothing", async () => {
    await ctx.sim.control.clearRequests();
    const preview = await ctx.stack.pulumi(["preview"]);
    expect(preview.code, preview.output).toBe(0);
    expect(preview.stdout).toContain(
      `plan: continue deployment ${web()} of app web: step 1/3 → step 2/3, 1 continue`,
    );
    expect(preview.stdout).toContain(
      `plan: deployment ${checkout()} of app checkout is paused at step 1/3, goal step 1/3: nothing to do`,
    );
    expect(preview.stdout).toMatch(/\+ 3 to create/);
    expect(await writesSent(ctx.sim)).toEqual([]);
    expect(await continuesRecorded(ctx.sim, web())).toEqual([]);
  });

  it("up to toStep 2 sends exactly one continue", async () => {
    const up = await ctx.stack.pulumi(["up", "--yes"]);
    expect(up.code, up.output).toBe(0);
    expect(up.stdout).toContain("web: continued from step 1/3 → step 2/3");
    expect(await continuesRecorded(ctx.sim, web())).toHaveLength(1);
    expect(await continuesRecorded(ctx.sim, checkout())).toEqual([]);
    const outputs = JSON.parse((await ctx.stack.pulumi(["stack", "output", "--json"])).stdout);
    expect(outputs).toMatchObject({
      webStatus: "ACTIVE/PAUSED",
      webStep: { current: 2, total: 3 },
      checkoutStatus: "ACTIVE/PAUSED",
    });
  });

  it("a second up writes nothing and changes nothing", async () => {
    await ctx.sim.control.clearRequests();
    const up = await ctx.stack.pulumi(["up", "--yes"]);
    expect(up.code, up.output).toBe(0);
    expect(up.stdout).toMatch(/3 unchanged/);
    expect(await writesSent(ctx.sim)).toEqual([]);
    expect(await continuesRecorded(ctx.sim, web())).toHaveLength(1);
  });

  it("dropping toStep promotes to DEPLOYED and continues lists every continue", async () => {
    const unset = await ctx.stack.pulumi(["config", "rm", `${PROJECT}:webToStep`]);
    expect(unset.code, unset.output).toBe(0);
    const up = await ctx.stack.pulumi(["up", "--yes"]);
    expect(up.code, up.output).toBe(0);
    expect(up.stdout).toContain("web: deployed");
    expect(await continuesRecorded(ctx.sim, web())).toHaveLength(3);
    const outputs = JSON.parse((await ctx.stack.pulumi(["stack", "output", "--json"])).stdout);
    expect(outputs.webStatus).toBe("FINALIZED/DEPLOYED");
    expect(
      outputs.webContinues.map((c: { fromStep: number; toStep: unknown }) => [
        c.fromStep,
        c.toStep,
      ]),
    ).toEqual([
      [1, 2],
      [2, 3],
      [3, "deployed"],
    ]);
  });

  it("refresh after a person cancels checkout reports it updated and records CANCELED", async () => {
    await actAsPerson(ctx.sim, checkout(), "cancel");
    await ctx.sim.control.clearRequests();
    const refresh = await ctx.stack.pulumi(["refresh", "--yes"]);
    expect(refresh.code, refresh.output).toBe(0);
    expect(refresh.stdout).toMatch(/~ 1 updated/);
    expect(refresh.stdout).toMatch(/DeploymentPromotion +checkout +updated/);
    expect(refresh.stdout).not.toContain("plan:");
    // Refresh only reads.
    expect(await writesSent(ctx.sim)).toEqual([]);
    const state = await ctx.stack.exportState();
    const recorded = resourcesOfType(state, PROMOTION_TYPE).find((r) => r.id === checkout());
    expect(recorded?.outputs).toMatchObject({ statusValue: "FINALIZED", statusReason: "CANCELED" });
  });

  it("the up after the refresh sends nothing for the canceled promotion", async () => {
    await ctx.sim.control.clearRequests();
    const up = await ctx.stack.pulumi(["up", "--yes"]);
    expect(up.code, up.output).toBe(0);
    expect(up.stdout).toContain(`deployment ${checkout()} of app checkout was canceled`);
    expect(await writesSent(ctx.sim)).toEqual([]);
    expect(await continuesRecorded(ctx.sim, checkout())).toEqual([]);
  });

  it("holds no credential in the checkpoint or anywhere in the backend", async () => {
    const exported = JSON.stringify(await ctx.stack.exportState());
    expect(resourcesOfType(await ctx.stack.exportState(), PROMOTION_TYPE)).toHaveLength(2);
    expect(exported).not.toContain(USER.password);
    // No access or refresh token either (the simulator issues JWTs).
    expect(exported).not.toMatch(/eyJ[\w-]+\.eyJ/);
    const backend = new URL(ctx.stack.env["PULUMI_BACKEND_URL"] ?? "").pathname;
    for (const file of listFiles(backend)) {
      expect(fs.readFileSync(file, "utf8"), file).not.toContain(USER.password);
    }
  });
  it("destroy sends nothing and forgets every promotion", async () => {
    await ctx.sim.control.clearRequests();
    const destroy = await ctx.stack.pulumi(["destroy", "--yes"]);
    expect(destroy.code, destroy.output).toBe(0);
    expect(destroy.stdout).toMatch(/- 3 deleted/);
    expect(await ctx.sim.control.requests()).toEqual([]);
    expect(resourcesOfType(await ctx.stack.exportState(), PROMOTION_TYPE)).toEqual([]);
  });
});

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}
