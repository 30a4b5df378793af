import { describe, expect, it } from "vitest";

describe("toolchain", () => {
  it("runs the tests on the project's pinned Node 22, not the machine's system node", () => {
    const major = Number(process.versions.node.split(".")[0]);
    expect(major).toBeGreaterThanOrEqual(22);
  });
});
