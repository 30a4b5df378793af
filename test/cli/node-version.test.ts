import * as path from "node:path";
import type { SimulatorHandle } from "cf-deployment-promotion/simulator";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { nodeVersion, oldNodeDir } from "../fixtures/old-node.js";
import { connectionConfig, startCanarySimulator, writesSent } from "./cli-simulator.js";
import { createConsumerProject } from "./consumer-project.js";
import { findPulumiCliDir } from "./pulumi-cli.js";
import type { PulumiStack } from "./pulumi-stack.js";
import { createPulumiStack } from "./pulumi-stack.js";

const PROJECT = "old-node";
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";

const config = new pulumi.Config();
new DeploymentPromotion("web", {
  appName: "web",
  orgName: config.require("org"),
  spaceName: config.require("space"),
});
`;

describe("the pulumi CLI with Node 20 first on PATH", () => {
  let sim: SimulatorHandle;
  let stack: PulumiStack;

  beforeAll(async () => {
    sim = await startCanarySimulator([{ name: "web" }]);
    const dir = createConsumerProject(inject("consumerInstall"), {
      type: "commonjs",
      program: PROGRAM,
      name: PROJECT,
    });
    stack = await createPulumiStack(dir, { removeProject: true, transcript: "node-version" });
    await stack.setConfig(connectionConfig(sim, PROJECT));
  });

  afterAll(async () => {
    stack?.dispose();
    await sim?.close();
  });

  it("fails at program load with the running and the needed Node, and sends nothing", async () => {
    const old = oldNodeDir();
    const version = nodeVersion(path.join(old, "node"));
    const preview = await stack.pulumi(["preview"], {
      env: { PATH: [findPulumiCliDir(), old, process.env["PATH"]].join(path.delimiter) },
    });
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain(
      `cf-deployment-promotion needs Node.js >= 22.19.0, but the Pulumi program runs on Node.js ${version} (${path.join(old, "node")}).`,
    );
    expect(await sim.control.requests()).toEqual([]);
    expect(await writesSent(sim)).toEqual([]);
  });
});
