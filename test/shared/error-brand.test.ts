import { describe, expect, it } from "vitest";
import { hasErrorBrand } from "../../src/shared/error-brand.js";

class FamilyError extends Error {
  override readonly name = "FamilyError";
  constructor(readonly code: string) {
    super(code);
  }
}

describe("hasErrorBrand", () => {
  it.each([
    ["an error of the family", new FamilyError("FAMILY_X"), undefined, true],
    ["with the code asked for", new FamilyError("FAMILY_X"), "FAMILY_X", true],
    ["with another code", new FamilyError("FAMILY_X"), "FAMILY_Y", false],
    ["a plain object with the brand", { name: "FamilyError", code: "FAMILY_X" }, undefined, true],
    ["the name with a foreign code", { name: "FamilyError", code: "OTHER_X" }, undefined, false],
    [
      "the name with a code that is not a string",
      { name: "FamilyError", code: 1 },
      undefined,
      false,
    ],
    ["the code under another name", { name: "Error", code: "FAMILY_X" }, undefined, false],
    ["null", null, undefined, false],
    ["a string", "FamilyError", undefined, false],
  ])("%s", (_, candidate, code, expected) => {
    expect(hasErrorBrand(candidate, "FamilyError", "FAMILY_", code)).toBe(expected);
  });
});
