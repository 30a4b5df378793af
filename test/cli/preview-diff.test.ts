import type { SimulatorHandle } from "cf-deployment-promotion/simulator";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectionConfig, pushCanary, startCanarySimulator, writesSent } from "./cli-simulator.js";
import { createConsumerProject } from "./consumer-project.js";
import type { PulumiStack } from "./pulumi-stack.js";
import { createPulumiStack } from "./pulumi-stack.js";

const PROJECT = "promotion-review";
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";

const config = new pulumi.Config();
new DeploymentPromotion("web", {
  appName: "web",
  orgName: config.require("org"),
  spaceName: config.require("space"),
  toStep: config.requireNumber("toStep"),
  pollIntervalSeconds: 0.2,
});
`;

// What a reviewer reads in `pulumi preview --diff`: the engine shows input changes on the
// resource (the dynamic-provider host passes no detailed diff), and the provider's plan line
// (a stack diagnostic) says what will be sent and why.
describe("pulumi preview --diff for a reviewer", () => {
  let sim: SimulatorHandle;
  let stack: PulumiStack;

  beforeAll(async () => {
    sim = await startCanarySimulator([{ name: "web" }]);
    const dir = createConsumerProject(inject("consumerInstall"), {
      type: "commonjs",
      program: PROGRAM,
      name: PROJECT,
    });
    stack = await createPulumiStack(dir, { removeProject: true, transcript: "preview-diff" });
    await stack.setConfig({ ...connectionConfig(sim, PROJECT), [`${PROJECT}:toStep`]: "1" });
    const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code, up.output).toBe(0);
  });

  afterAll(async () => {
    stack?.dispose();
    await sim?.close();
  });

  it("a raised toStep: the input change on the resource, the continues in the plan", async () => {
    await stack.setConfig({ [`${PROJECT}:toStep`]: "3" });
    await sim.control.clearRequests();
    const preview = await stack.pulumi(["preview", "--diff"]);
    expect(preview.code, preview.output).toBe(0);
    expect(preview.stdout).toMatch(
      /~ pulumi-nodejs:dynamic\/cloudfoundry:DeploymentPromotion: \(update\)/,
    );
    expect(preview.stdout).toMatch(/~ toStep +: 1 => 3/);
    // With --diff the CLI prints the provider's lines on stderr, after the resources.
    expect(preview.stderr).toContain(
      `plan: continue deployment ${sim.deployments["web"]} of app web: step 1/3 → step 3/3, 2 continues`,
    );
    expect(await writesSent(sim)).toEqual([]);
  });

  it("a newer canary of the app: a replace, and the plan names both deployments", async () => {
    await stack.setConfig({ [`${PROJECT}:toStep`]: "1" });
    const newer = await pushCanary(sim, "web");
    await sim.control.tick(5);
    await sim.control.clearRequests();
    const preview = await stack.pulumi(["preview", "--diff"]);
    expect(preview.code, preview.output).toBe(0);
    expect(preview.stdout).toMatch(
      /\+-pulumi-nodejs:dynamic\/cloudfoundry:DeploymentPromotion: \(replace\)/,
    );
    expect(preview.stderr).toContain(
      `plan: app web has a newer active deployment ${newer} (was ${sim.deployments["web"]}): replace; then`,
    );
    expect(preview.stdout).toMatch(/\+-1 to replace/);
    expect(await writesSent(sim)).toEqual([]);
  });
});
