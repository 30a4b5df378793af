import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { SimulatorHandle } from "cf-deployment-promotion/simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectionConfig, continuesRecorded, startCanarySimulator } from "./cli-simulator.js";
import { cliPath, findPulumiCliDir, repoRoot } from "./pulumi-cli.js";
import type { PulumiStack } from "./pulumi-stack.js";
import { createPulumiStack } from "./pulumi-stack.js";

// The project name of the repository's own Pulumi.yaml.
const PROJECT = "cf-deployment-promotion";

describe("this repository's own Pulumi.yaml and npm run demo under the pulumi CLI", () => {
  let sim: SimulatorHandle;
  let stack: PulumiStack;

  beforeAll(async () => {
    sim = await startCanarySimulator([{ name: "web" }]);
    stack = await createPulumiStack(repoRoot, { stack: "cli-suite", transcript: "repository" });
    await stack.setConfig({
      ...connectionConfig(sim, PROJECT),
      [`${PROJECT}:pollIntervalSeconds`]: "0.2",
    });
  });

  afterAll(async () => {
    stack?.dispose();
    await sim?.close();
  });

  it("previews, promotes and refreshes examples/promote-web from the repository root", async () => {
    const web = sim.deployments["web"] ?? "";
    const preview = await stack.pulumi(["preview"]);
    expect(preview.code, preview.output).toBe(0);
    expect(preview.stdout).toContain(
      `plan: continue deployment ${web} of app web: step 1/3 → deployed, 3 continues`,
    );
    const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code, up.output).toBe(0);
    expect(up.stdout).toContain("web: deployed");
    expect(await continuesRecorded(sim, web)).toHaveLength(3);

    const refresh = await stack.pulumi(["refresh", "--yes"]);
    expect(refresh.code, refresh.output).toBe(0);
    expect(refresh.stdout).toMatch(/2 unchanged/);
    expect(refresh.output).not.toContain("plan:");
  });

  it("runs examples/promote-to-step too, from a project file that names it as main", async () => {
    // Inside the repository, so that the example's self-reference resolves as for promote-web.
    const dir = path.join(repoRoot, "test-results", "promote-to-step-project");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      "name: promote-to-step\nruntime: nodejs\nmain: ../../examples/promote-to-step/index.ts\n",
    );
    const sim = await startCanarySimulator([{ name: "web" }]);
    const toStep = await createPulumiStack(dir, {
      removeProject: true,
      transcript: "promote-to-step",
    });
    try {
      await toStep.setConfig({
        ...connectionConfig(sim, "promote-to-step"),
        "promote-to-step:toStep": "2",
        "promote-to-step:pollIntervalSeconds": "0.2",
      });
      const up = await toStep.pulumi(["up", "--yes", "--skip-preview"]);
      expect(up.code, up.output).toBe(0);
      expect(up.stdout).toContain("web: continued from step 1/3 → step 2/3");
      expect(await continuesRecorded(sim, sim.deployments["web"] ?? "")).toHaveLength(1);
    } finally {
      toStep.dispose();
      await sim.close();
    }
  });

  it("npm run demo uses the pulumi CLI on PATH, says so, and leaves the repository as it was", async () => {
    const cliDir = findPulumiCliDir() ?? "";
    const before = fs.readdirSync(repoRoot).sort();
    // What `npm run demo` runs after building (npm test has built dist/ and build/).
    const demo = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(
          process.execPath,
          [path.join(repoRoot, "build/scripts/demo.js"), "--json"],
          {
            cwd: repoRoot,
            env: { ...process.env, PATH: cliPath(cliDir), PULUMI_HOME: undefined },
          },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
        });
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
        child.on("error", reject);
        child.on("close", (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      },
    );
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stderr).toContain("Running `pulumi up` with the pulumi CLI found on PATH");
    const outputs = JSON.parse(demo.stdout.trim().split("\n").at(-1) ?? "{}");
    expect(outputs).toMatchObject({ statusValue: "FINALIZED", statusReason: "DEPLOYED" });
    expect(outputs.continues).toHaveLength(3);
    expect(fs.readdirSync(repoRoot).sort()).toEqual(before);
  });
});
