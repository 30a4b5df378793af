import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const demo = path.join(root, "build", "scripts", "demo.js");

// `npm run demo` compiles scripts and examples to build/ (`npm run build:scripts`) and runs
// build/scripts/demo.js; `npm test` compiles them before vitest starts, and the test runs the same file.

function runDemo(args: string[]) {
  return spawnSync(process.execPath, [demo, ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
    // No pulumi CLI here: the demo takes the runLocal path, as on a fresh machine.
    env: { ...process.env, PATH: path.dirname(process.execPath) },
  });
}

describe("npm run demo", () => {
  it("promotes the seeded web canary to DEPLOYED and ends with its outputs as one JSON line", () => {
    const result = runDemo(["--json"]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const outputs = JSON.parse(lines[0] ?? "");
    expect(outputs).toMatchObject({
      appName: "web",
      statusValue: "FINALIZED",
      statusReason: "DEPLOYED",
      canaryStep: { current: 3, total: 3 },
    });
    expect(
      outputs.continues.map((c: { fromStep: number; toStep: unknown }) => [c.fromStep, c.toStep]),
    ).toEqual([
      [1, 2],
      [2, 3],
      [3, "deployed"],
    ]);
    expect(result.stderr).toContain("No pulumi CLI on PATH");
    expect(result.stderr).toContain("web: continued from step 1/3 → step 2/3");
    expect(result.stderr).not.toContain("developer-password");
  });

  it("prints progress and pretty outputs without --json", () => {
    const result = runDemo([]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("web: deployed");
    expect(result.stdout).toContain("Promotion outputs:");
    expect(result.stdout).toContain('"statusReason": "DEPLOYED"');
  });

  it("exits non-zero with the provider's error when the promotion fails", () => {
    const result = runDemo(["--app", "api"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^demo failed: .*api/m);
  });
});
