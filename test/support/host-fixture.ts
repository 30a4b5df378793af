import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SimulatorOptions } from "../../src/simulator/index.js";
import type { FakeTime } from "./fake-time.js";
import { realTime } from "./fake-time.js";
import { test } from "./fixture.js";

/** Makes a fresh directory named after `prefix`, removed when the test ends. */
export type TempDir = (prefix: string) => string;

/** This process's `CF_*` environment, which a provider host it starts inherits. */
export interface CfEnvironment {
  /** `CF_HOME`: an empty directory, so no `~/.cf/config.json` is found until a test writes one. */
  readonly home: string;
  /** Sets more variables for the rest of the test. */
  set(variables: Record<string, string>): void;
}

/**
 * The fixture of the suites that start a provider host: `test/support`'s, on the wall clock
 * (`time` is `realTime()`, `sim` ticks on its own every 20 ms), plus
 *
 * - `tempDir`: fresh directories, removed after the test;
 * - `cfEnvironment` (automatic): no `CF_*` variable from the developer's environment reaches
 *   the test or a host it starts, `CF_HOME` is an empty directory; restored after the test.
 */
export const hostTest = test
  .extend("time", (): FakeTime => realTime())
  .extend("simOptions", { tickMs: 20 } as SimulatorOptions)
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern, and tempDir has none.
  .extend("tempDir", ({}, { onCleanup }): TempDir => {
    const made: string[] = [];
    onCleanup(() => {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    });
    return (prefix) => {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    };
  })
  .extend("cfEnvironment", { auto: true }, ({ tempDir }, { onCleanup }): CfEnvironment => {
    const saved = { ...process.env };
    onCleanup(() => {
      for (const key of Object.keys(process.env)) {
        if (!(key in saved)) Reflect.deleteProperty(process.env, key);
      }
      Object.assign(process.env, saved);
    });
    for (const key of Object.keys(process.env)) {
      if (key.startsWith("CF_")) Reflect.deleteProperty(process.env, key);
    }
    const home = tempDir("cf-home-");
    process.env["CF_HOME"] = home;
    return {
      home,
      set(variables) {
        Object.assign(process.env, variables);
      },
    };
  });
