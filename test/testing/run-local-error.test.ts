import { describe, expect, it } from "vitest";
import { isRunLocalError, RunLocalError } from "../../src/testing/run-local-error.js";

describe("RunLocalError", () => {
  it("ends its message with how the provider host ended, keeping every field", () => {
    const cause = new Error("channel closed");
    const failure = new RunLocalError("create failed for urn:a: the provider host did not answer", {
      code: "RUN_LOCAL_HOST_FAILED",
      cause,
      urn: "urn:a",
      step: "create",
    });

    const ended = failure.withHostExit("exited with code 1");

    expect(ended).toBeInstanceOf(RunLocalError);
    expect(ended.message).toBe(
      "create failed for urn:a: the provider host did not answer (the provider host exited with code 1)",
    );
    expect(ended).toMatchObject({
      code: "RUN_LOCAL_HOST_FAILED",
      cause,
      urn: "urn:a",
      step: "create",
      hostExit: "exited with code 1",
    });
    expect(failure.message).toBe("create failed for urn:a: the provider host did not answer");
    expect(failure.hostExit).toBeUndefined();
  });

  it("has no cause when none was given", () => {
    const failure = new RunLocalError("cannot start", { code: "RUN_LOCAL_HOST_FAILED" });

    expect("cause" in failure.withHostExit("was killed by SIGKILL")).toBe(false);
  });
});

describe("isRunLocalError", () => {
  const failure = new RunLocalError("x", { code: "RUN_LOCAL_TIMEOUT" });

  it.each([
    ["a RunLocalError", failure, undefined, true],
    ["a RunLocalError with that code", failure, "RUN_LOCAL_TIMEOUT", true],
    ["a RunLocalError with another code", failure, "RUN_LOCAL_ABORTED", false],
    [
      "one from another copy of the module",
      { name: "RunLocalError", code: "RUN_LOCAL_TIMEOUT" },
      undefined,
      true,
    ],
    [
      "the name with a foreign code",
      { name: "RunLocalError", code: "PROMOTION_TIMEOUT" },
      undefined,
      false,
    ],
    ["the name without a code", { name: "RunLocalError" }, undefined, false],
    ["another error", new Error("x"), undefined, false],
    ["null", null, undefined, false],
    ["a string", "RunLocalError", undefined, false],
  ] as const)("%s", (_, candidate, code, expected) => {
    expect(isRunLocalError(candidate, code)).toBe(expected);
  });
});
