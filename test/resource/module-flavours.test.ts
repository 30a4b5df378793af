import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

// The package from a CommonJS and from an ES module TypeScript program, each in a plain `node`
// process (no Vite in between), through runLocal and the simulator.

const run = promisify(execFile);
const root = resolve(__dirname, "../..");
const driver = resolve(__dirname, "fixtures/run-example.mjs");
// Inside the package, so that `cf-deployment-promotion` resolves through its self-reference.
const compiled = join(root, "test-results", "examples-cjs", "promote-web");

async function runExample(example: string) {
  const { stdout } = await run(process.execPath, [driver, example, root], { cwd: root });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as {
    outputs: Record<string, unknown>;
    posts: string[];
  };
}

describe("the package from both module systems", { timeout: 60_000 }, () => {
  beforeAll(async () => {
    rmSync(compiled, { recursive: true, force: true });
    // What the Pulumi CLI's TypeScript support does with a CommonJS program: compile it to CJS.
    await run(
      process.execPath,
      [
        join(root, "node_modules/typescript/bin/tsc"),
        "--ignoreConfig",
        "--rootDir",
        join(root, "examples/promote-web"),
        "--module",
        "nodenext",
        "--target",
        "es2023",
        "--strict",
        "--esModuleInterop",
        "--skipLibCheck",
        "--types",
        "node",
        "--outDir",
        compiled,
        join(root, "examples/promote-web/index.ts"),
      ],
      { cwd: root },
    );
  }, 60_000);

  it("runs the CommonJS example, compiled by tsc and loaded with require", async () => {
    const { outputs, posts } = await runExample(join(compiled, "index.js"));
    expect(outputs).toMatchObject({ statusValue: "FINALIZED", statusReason: "DEPLOYED" });
    expect(posts).toHaveLength(3);
  });

  it("runs the ES module example, loaded by Node's ESM loader", async () => {
    const { outputs, posts } = await runExample(join(root, "examples/promote-web-esm/index.mts"));
    expect(outputs).toMatchObject({ statusValue: "FINALIZED", statusReason: "DEPLOYED" });
    expect(posts).toHaveLength(3);
  });
});
