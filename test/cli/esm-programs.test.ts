import * as fs from "node:fs";
import * as path from "node:path";
import type { SimulatorHandle } from "cf-deployment-promotion/simulator";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  connectionConfig,
  continuesRecorded,
  startCanarySimulator,
  writesSent,
} from "./cli-simulator.js";
import { createConsumerProject } from "./consumer-project.js";
import { repoRoot } from "./pulumi-cli.js";
import type { PulumiStack } from "./pulumi-stack.js";
import { createPulumiStack, PROMOTION_TYPE, resourcesOfType } from "./pulumi-stack.js";

const PROJECT = "promotion-esm";
/** The repository's ES-module example, exactly as a user would copy it. */
const EXAMPLE = fs.readFileSync(path.join(repoRoot, "examples/promote-web-esm/index.mts"), "utf8");

describe("ES-module programs under the pulumi CLI", () => {
  let sim: SimulatorHandle;
  const stacks: PulumiStack[] = [];

  beforeAll(async () => {
    sim = await startCanarySimulator([{ name: "web" }]);
  });

  afterAll(async () => {
    for (const stack of stacks) stack.dispose();
    await sim?.close();
  });

  async function stackFor(files: Parameters<typeof createConsumerProject>[1], name: string) {
    const dir = createConsumerProject(inject("consumerInstall"), files);
    const stack = await createPulumiStack(dir, { removeProject: true, transcript: name });
    stacks.push(stack);
    await stack.setConfig({
      ...connectionConfig(sim, PROJECT),
      [`${PROJECT}:pollIntervalSeconds`]: "0.2",
    });
    return stack;
  }

  it('runs the ES-module example in a "type": "module" project to DEPLOYED', async () => {
    const stack = await stackFor(
      { type: "module", program: EXAMPLE, name: PROJECT },
      "esm-module-project",
    );
    const up = await stack.pulumi(["up", "--yes"]);
    expect(up.code, up.output).toBe(0);
    expect(up.stdout).toContain("web: deployed");
    const outputs = JSON.parse((await stack.pulumi(["stack", "output", "--json"])).stdout);
    expect(outputs).toMatchObject({ statusValue: "FINALIZED", statusReason: "DEPLOYED" });
    expect(await continuesRecorded(sim, sim.deployments["web"] ?? "")).toHaveLength(3);
  });

  it("refuses an .mts entry in a CommonJS project loudly instead of declaring nothing", async () => {
    const stack = await stackFor(
      { type: "commonjs", program: EXAMPLE, entry: "index.mts", name: PROJECT },
      "esm-entry-in-commonjs",
    );
    await sim.control.clearRequests();
    const preview = await stack.pulumi(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain(
      `The Pulumi program ${fs.realpathSync(path.join(stack.projectDir, "index.mts"))} is an ES module in a CommonJS package`,
    );
    expect(await writesSent(sim)).toEqual([]);
    expect(resourcesOfType(await stack.exportState(), PROMOTION_TYPE)).toEqual([]);
  });
});
