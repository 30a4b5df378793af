import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { cliPath, findPulumiCliDir, makeScratch, repoRoot } from "./pulumi-cli.js";

/** The versions a `pulumi new typescript` project gets today, with our package added. */
const CONSUMER_DEPENDENCIES = {
  "@pulumi/pulumi": "3.276.0",
};
const CONSUMER_DEV_DEPENDENCIES = {
  "@types/node": "^22.20.0",
  typescript: "~5.9.3",
};

/**
 * Packs this repository (`npm pack`, as a release would) and installs the tarball with the
 * dependencies of Pulumi's TypeScript template into a scratch directory; returns the directory.
 * Every consumer project of the suite links its `node_modules` to this one install.
 */
export function installPackedPackage(): string {
  const dir = makeScratch("consumer-install");
  const env = { ...process.env, PATH: cliPath(findPulumiCliDir() ?? "") };
  // dist/ is built by `npm test` / `npm run test:cli` first; --ignore-scripts skips `prepare`.
  const packed = execFileSync(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--pack-destination", dir],
    { cwd: repoRoot, env, encoding: "utf8" },
  );
  const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify(
      {
        name: "consumer-install",
        private: true,
        dependencies: {
          ...CONSUMER_DEPENDENCIES,
          "cf-deployment-promotion": `file:./${path.basename(filename)}`,
        },
        devDependencies: CONSUMER_DEV_DEPENDENCIES,
      },
      null,
      2,
    ),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], {
    cwd: dir,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  return dir;
}

export interface ConsumerProjectFiles {
  /** `"commonjs"` (Pulumi's template) or `"module"`. */
  type: "commonjs" | "module";
  /** The program's text. */
  program: string;
  /** The program's file name; anything but `index.ts` becomes Pulumi.yaml's `main`. */
  entry?: string;
  /** Pulumi project name. */
  name?: string;
}

/** Pulumi's `typescript` template tsconfig (`pulumi new typescript`), as generated today. */
export const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

/**
 * A project shaped like `pulumi new typescript` (or its ES-module variant), whose node_modules is
 * the install from {@link installPackedPackage}.
 */
export function createConsumerProject(installDir: string, files: ConsumerProjectFiles): string {
  const dir = makeScratch("consumer");
  const name = files.name ?? "promotion-consumer";
  const entry = files.entry ?? "index.ts";
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    [
      `name: ${name}`,
      "description: A consumer of cf-deployment-promotion",
      "runtime:",
      "  name: nodejs",
      "  options:",
      "    packagemanager: npm",
      ...(entry === "index.ts" ? [] : [`main: ${entry}`]),
      "",
    ].join("\n"),
  );
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify(
      {
        name,
        main: entry,
        ...(files.type === "module" ? { type: "module" } : {}),
        dependencies: { ...CONSUMER_DEPENDENCIES, "cf-deployment-promotion": "*" },
        devDependencies: CONSUMER_DEV_DEPENDENCIES,
      },
      null,
      2,
    ),
  );
  const tsconfig =
    files.type === "module"
      ? {
          compilerOptions: {
            ...TEMPLATE_TSCONFIG.compilerOptions,
            module: "nodenext",
            moduleResolution: "nodenext",
          },
          files: ["index.ts"],
        }
      : TEMPLATE_TSCONFIG;
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  fs.writeFileSync(path.join(dir, entry), files.program);
  fs.symlinkSync(path.join(installDir, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * The program of most CLI tests: one promotion `web` of app `web` in the stack's `org` and
 * `space`, with `extraInputs` (TypeScript object members, e.g. `toStep: 1,`) added.
 */
export function webPromotionProgram(extraInputs = ""): string {
  return `import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";

const config = new pulumi.Config();
new DeploymentPromotion("web", {
  appName: "web",
  orgName: config.require("org"),
  spaceName: config.require("space"),
  ${extraInputs}
});
`;
}
