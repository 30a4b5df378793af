import { describe, expect, it } from "vitest";
import { createRedactor, redactSecretPatterns } from "../../src/client/redactor.js";
import { makeJwt } from "../support/index.js";

describe("redactor", () => {
  it("replaces registered secrets, also URL-encoded, longest first", () => {
    const redactor = createRedactor(["s3cr3t-p@ss", undefined]);
    redactor.add("s3cr3t-p@ss-longer");
    expect(redactor.redact("a s3cr3t-p@ss-longer b s3cr3t-p%40ss c")).toBe(
      "a [REDACTED] b [REDACTED] c",
    );
  });

  it("does not shred text with secrets too short to be meaningful", () => {
    const redactor = createRedactor(["ab"]);
    expect(redactor.redact("abc")).toBe("abc");
  });

  it("replaces secret-shaped text it was never told about", () => {
    const jwt = makeJwt({ exp: 1 });
    expect(redactSecretPatterns(`Invalid refresh token (expired): ${jwt}`)).toBe(
      "Invalid refresh token (expired): [REDACTED]",
    );
    expect(redactSecretPatterns("Authorization: bearer abcdefgh12345")).toBe(
      "Authorization: bearer [REDACTED]",
    );
    expect(redactSecretPatterns("grant_type=password&username=u&password=hunter22&x=1")).toBe(
      "grant_type=password&username=u&password=[REDACTED]&x=1",
    );
    expect(redactSecretPatterns('{"refresh_token":"abc","client_secret": "def"}')).toBe(
      '{"refresh_token":"[REDACTED]","client_secret": "[REDACTED]"}',
    );
  });
});
