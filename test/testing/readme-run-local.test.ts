import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = path.resolve(__dirname, "../..");

/** The code block that follows `marker` in the README. */
function readmeBlock(marker: string): string {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  const after = readme.slice(readme.indexOf(marker));
  const match = /```ts\n([\s\S]*?)```/.exec(after);
  if (readme.indexOf(marker) < 0 || match?.[1] === undefined) {
    throw new Error(`no code block after "${marker}" in README.md`);
  }
  return match[1];
}

describe("the README's runLocal script", () => {
  it("runs as written, in a plain node process, and prints what its comments say", async () => {
    // Inside the repository, so that the package resolves through its self-reference.
    const dir = path.join(root, "test-results", "readme-run-local");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const script = path.join(dir, "promote.test.mts");
    fs.writeFileSync(script, readmeBlock("A complete script (`promote.test.mts`"));
    const { stdout } = await run(process.execPath, [script], { cwd: dir, timeout: 60_000 });
    expect(stdout).toContain("plan: continue deployment");
    expect(stdout).toContain("{ current: 2, total: 3 }");
    expect(stdout).toContain("[ 'web drift: false' ]");
    fs.rmSync(dir, { recursive: true, force: true });
  }, 90_000);
});
