import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { createConsumerProject, TEMPLATE_TSCONFIG } from "./consumer-project.js";
import { removeScratch, repoRoot } from "./pulumi-cli.js";
import { createPulumiStack } from "./pulumi-stack.js";

/** A program that uses every public entry, by value and by type. */
const SUBPATHS = `import { DeploymentPromotion, type PromotionOutputs } from "cf-deployment-promotion";
import { createCloudFoundryClient, isCloudFoundryError } from "cf-deployment-promotion/client";
import { startSimulator, type SimulatorHandle } from "cf-deployment-promotion/simulator";
import { runLocal, type RunLocalError } from "cf-deployment-promotion/testing";

export const used = [DeploymentPromotion, createCloudFoundryClient, isCloudFoundryError, startSimulator, runLocal].length;
export type Used = [PromotionOutputs, SimulatorHandle, RunLocalError];
`;

// The package as `npm install` of the packed tarball gives it to a project made by
// `pulumi new typescript` (TypeScript 5, moduleResolution "node").
describe("the packed package in a pulumi new typescript project", () => {
  it("type-checks every public entry under the template's tsconfig, as pulumi preview runs it", async () => {
    const dir = createConsumerProject(inject("consumerInstall"), {
      type: "commonjs",
      program: SUBPATHS,
    });
    const stack = await createPulumiStack(dir, { removeProject: true, transcript: "packaging" });
    try {
      expect(TEMPLATE_TSCONFIG.compilerOptions.moduleResolution).toBe("node");
      // Pulumi's ts-node type-checks the program: an entry that did not resolve is TS2307.
      const preview = await stack.pulumi(["preview"]);
      expect(preview.code, preview.output).toBe(0);
      expect(preview.output).not.toContain("TS2307");
    } finally {
      stack.dispose();
    }
  });

  it("type-checks with the project's own tsc too, once the template skips library checks", () => {
    const dir = createConsumerProject(inject("consumerInstall"), {
      type: "commonjs",
      program: SUBPATHS,
    });
    try {
      const tsc = path.join(dir, "node_modules", "typescript", "bin", "tsc");
      expect(execFileSync(process.execPath, [tsc, "--version"], { encoding: "utf8" })).toMatch(
        /^Version 5\./,
      );
      // zod's own declarations (reached through the client's response types) need skipLibCheck
      // or esModuleInterop, which the template does not set; the README says so.
      const tsconfig = {
        ...TEMPLATE_TSCONFIG,
        compilerOptions: { ...TEMPLATE_TSCONFIG.compilerOptions, skipLibCheck: true },
      };
      fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
      const checked = spawnSync(process.execPath, [tsc, "--noEmit", "-p", dir], {
        encoding: "utf8",
      });
      expect(checked.stdout + checked.stderr).toBe("");
      expect(checked.status).toBe(0);
    } finally {
      removeScratch(dir);
    }
  });

  it("ships dist, the README and the LICENSE, and installs from a git checkout through prepare", () => {
    const installed = path.join(
      inject("consumerInstall"),
      "node_modules",
      "cf-deployment-promotion",
    );
    for (const file of ["LICENSE", "README.md", "dist/index.js", "dist/provider/index.js"]) {
      expect(fs.existsSync(path.join(installed, file)), file).toBe(true);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
    expect(manifest.scripts.prepare).toBe("npm run build");
    expect(manifest.peerDependencies).toEqual({ "@pulumi/pulumi": "^3.229.0" });
    expect(manifest.dependencies["@pulumi/pulumi"]).toBeUndefined();
  });
});
