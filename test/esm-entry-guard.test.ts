import { describe, expect, it } from "vitest";
import { assertEsmEntryIsLoadable } from "../src/esm-entry-guard.js";

const runner = "/p/node_modules/@pulumi/pulumi/cmd/run/run.js";

describe("the ES-module entry guard", () => {
  it("refuses an .mts or .mjs entry that Pulumi's runner loaded with require()", () => {
    for (const file of ["/p/index.mts", "/p/index.mjs"]) {
      expect(() =>
        assertEsmEntryIsLoadable({ [file]: { filename: file, parent: { filename: runner } } }),
      ).toThrow(`The Pulumi program ${file} is an ES module in a CommonJS package`);
    }
  });

  it("lets a CommonJS entry, an ES module a program required itself, and no runner pass", () => {
    expect(() =>
      assertEsmEntryIsLoadable({
        "/p/index.ts": { filename: "/p/index.ts", parent: { filename: runner } },
        "/p/helper.mts": { filename: "/p/helper.mts", parent: { filename: "/p/index.ts" } },
        "/q/index.mts": { filename: "/q/index.mts", parent: null },
      }),
    ).not.toThrow();
  });
});
