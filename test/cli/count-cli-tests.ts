import * as fs from "node:fs";
import * as path from "node:path";

/**
 * How many tests the CLI suite declares, counted from its files (without running them), for the
 * line that says they were skipped.
 */
export function countCliTests(dir = __dirname): number {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".test.ts"))
    .reduce((count, file) => {
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      return count + (text.match(/^\s*it\(/gm) ?? []).length;
    }, 0);
}
