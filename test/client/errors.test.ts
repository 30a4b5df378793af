import { describe, expect, it } from "vitest";
import {
  CloudFoundryApiError,
  CloudFoundryAuthError,
  CloudFoundryNetworkError,
  CloudFoundryTimeoutError,
  composeMessage,
  isCloudFoundryError,
  sanitizeCause,
} from "../../src/client/errors.js";
import { createRedactor } from "../../src/client/redactor.js";

describe("the error family", () => {
  it("is recognised by code, also for plain objects from another copy of the module", () => {
    const error = new CloudFoundryTimeoutError("GET /v3/x timed out.", { lastSeen: { a: 1 } });
    expect(isCloudFoundryError(error)).toBe(true);
    expect(isCloudFoundryError(error, "CF_TIMEOUT")).toBe(true);
    expect(isCloudFoundryError(error, "CF_API_ERROR")).toBe(false);
    expect(isCloudFoundryError({ code: "CF_AUTH_ERROR", message: "m" }, "CF_AUTH_ERROR")).toBe(
      true,
    );
    expect(isCloudFoundryError({ code: "ECONNRESET", message: "m" })).toBe(false);
    expect(isCloudFoundryError(new Error("x"))).toBe(false);
    expect(isCloudFoundryError(null)).toBe(false);
  });

  it("serialises to plain redacted fields with JSON.stringify", () => {
    const cause = sanitizeCause(new Error("socket hang up"), (t) => t);
    const error = new CloudFoundryApiError("POST /v3/x → 422 CF-UnprocessableEntity (10008): no.", {
      status: 422,
      method: "POST",
      path: "/v3/x",
      requestId: "rid-1",
      errors: [{ code: 10008, title: "CF-UnprocessableEntity", detail: "no." }],
      cause,
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "CloudFoundryApiError",
      message: "POST /v3/x → 422 CF-UnprocessableEntity (10008): no.",
      code: "CF_API_ERROR",
      method: "POST",
      path: "/v3/x",
      requestId: "rid-1",
      status: 422,
      errors: [{ code: 10008, title: "CF-UnprocessableEntity", detail: "no." }],
      cfCode: 10008,
      title: "CF-UnprocessableEntity",
      detail: "no.",
      cause: "Error: socket hang up",
    });
  });

  it("composes its message from a summary and hint clauses, each without its own full stop", () => {
    expect(composeMessage("GET / → 500 Internal Server Error with an empty body.")).toBe(
      "GET / → 500 Internal Server Error with an empty body.",
    );
    expect(composeMessage("UAA said: Bad credentials.", ["check the password."])).toBe(
      "UAA said: Bad credentials; check the password.",
    );
    const error = new CloudFoundryNetworkError("GET / failed: reset (1 attempt)", {
      hint: ["check that the API is reachable", "the deployment was read back unchanged"],
    });
    expect(error).toMatchObject({
      message:
        "GET / failed: reset (1 attempt); check that the API is reachable; the deployment was read back unchanged.",
      summary: "GET / failed: reset (1 attempt)",
      hint: "check that the API is reachable; the deployment was read back unchanged",
    });
    expect(JSON.parse(JSON.stringify(error))).not.toHaveProperty("summary");
  });

  it("redacts secret-shaped text even if a caller forgot to", () => {
    const error = new CloudFoundryAuthError("UAA said: bearer abcdefgh.ijk.lmnop", {
      credentialSource: "static access token",
      credentialKind: "accessToken",
    });
    expect(error.message).toBe("UAA said: bearer [REDACTED]");
  });

  it("keeps a cause as a redacted copy with name, code and nested causes only", () => {
    const inner = Object.assign(new Error("inner hunter2-secret"), { code: "E_INNER" });
    const outer = Object.assign(new Error("outer hunter2-secret", { cause: inner }), {
      code: "E_OUTER",
      headers: { authorization: "bearer hunter2-secret" },
    });
    const copy = sanitizeCause(outer, createRedactor(["hunter2-secret"]).redact);
    expect(copy.message).toBe("outer [REDACTED]");
    expect({ ...copy }).toEqual({ name: "Error", code: "E_OUTER", cause: expect.any(Error) });
    expect((copy.cause as Error).message).toBe("inner [REDACTED]");
    expect(copy.stack).not.toContain("hunter2-secret");
    expect(
      sanitizeCause("plain hunter2-secret", createRedactor(["hunter2-secret"]).redact).message,
    ).toBe("plain [REDACTED]");
  });
});
