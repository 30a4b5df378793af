import { describe, expect, it } from "vitest";
import type { DiffSummary } from "../../src/testing/resource-result.js";
import { makeSecret } from "../../src/testing/secrets.js";
import { changedInputKeys, decideStep, diffHasChanges } from "../../src/testing/step-decision.js";

const diff = (changes: DiffSummary["changes"], more: Partial<DiffSummary> = {}): DiffSummary => ({
  changes,
  replaces: [],
  deleteBeforeReplace: false,
  ...more,
});

describe("decideStep", () => {
  it.each([
    ["no changes", diff("none"), [], "same"],
    ["changes", diff("some"), [], "update"],
    ["changes with replacement keys", diff("some", { replaces: ["appName"] }), [], "replace"],
    ["replacement keys without changes", diff("none", { replaces: ["appName"] }), [], "same"],
    ["an unknown diff whose inputs are equal", diff("unknown", { changedKeys: [] }), [], "same"],
    ["an unknown diff whose inputs differ", diff("unknown", { changedKeys: ["a"] }), [], "update"],
    [
      "an unknown diff whose inputs differ, with replacement keys",
      diff("unknown", { changedKeys: ["a"], replaces: ["a"] }),
      [],
      "replace",
    ],
    ["no changes, partially initialized", diff("none"), ["not healthy"], "update"],
    [
      "replacement keys, partially initialized",
      diff("some", { replaces: ["a"] }),
      ["x"],
      "replace",
    ],
  ] as const)("%s", (_, answer, initErrors, expected) => {
    expect(decideStep(answer, initErrors)).toBe(expected);
  });

  it("treats a resource without init errors as fully initialized", () => {
    expect(decideStep(diff("none"))).toBe("same");
  });
});

describe("diffHasChanges", () => {
  it.each([
    [diff("some"), true],
    [diff("none"), false],
    [diff("none", { changedKeys: ["a"] }), false],
    [diff("unknown"), false],
    [diff("unknown", { changedKeys: ["a"] }), true],
  ])("%o → %s", (answer, expected) => {
    expect(diffHasChanges(answer)).toBe(expected);
  });
});

describe("changedInputKeys", () => {
  it("lists the keys added, removed or changed, sorted", () => {
    expect(
      changedInputKeys(
        { b: 1, same: { x: [1] }, gone: true },
        { b: 2, same: { x: [1] }, a: "new" },
      ),
    ).toEqual(["a", "b", "gone"]);
  });

  it("compares what the provider receives: a value made secret is no change", () => {
    expect(changedInputKeys({ password: "pw" }, { password: makeSecret("pw") })).toEqual([]);
  });
});
