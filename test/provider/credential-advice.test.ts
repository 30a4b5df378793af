import { describe, expect } from "vitest";
import {
  CloudFoundryAuthError,
  type CredentialSource,
  createCloudFoundryClient,
} from "../../src/client/index.js";
import { userFacingError } from "../../src/provider/user-facing-errors.js";
import { it } from "../support/index.js";

const shown = (error: unknown) => (userFacingError(error) as Error).message;

describe("the provider's credential advice", () => {
  it("names the stack config keys and CF_* variables when UAA refuses a password", async ({
    sim,
    time,
  }) => {
    const client = createCloudFoundryClient({
      apiUrl: sim.url,
      credentials: { kind: "password", username: "developer", password: "not-the-password" },
      retry: { maxAttempts: 1 },
      now: time.now,
      sleep: time.sleep,
    });
    try {
      const error = await client.getApp("any").then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect((error as Error).message).toBe(
        "UAA refused the password grant for user 'developer': POST /oauth/token (password grant) → 401 unauthorized: Bad credentials; check the user name and password.",
      );
      expect(shown(error)).toBe(
        "[CF_AUTH_ERROR] UAA refused the password grant for user 'developer': POST /oauth/token (password grant) → 401 unauthorized: Bad credentials; check the user name and password (cloudfoundry:user and cloudfoundry:password, or CF_USER and CF_PASSWORD).",
      );
    } finally {
      await client.close();
    }
  });

  it.each<[CredentialSource["kind"], string]>([
    [
      "accessToken",
      "pass a fresh one (e.g. from `cf oauth-token`; cloudfoundry:accessToken or CF_ACCESS_TOKEN) or use credentials that can refresh",
    ],
    [
      "refreshToken",
      "the refresh token is expired or revoked; get a new one with `cf login` (cloudfoundry:refreshToken or CF_REFRESH_TOKEN)",
    ],
    [
      "clientCredentials",
      "check the client id and secret (cloudfoundry:cfClientId and cloudfoundry:cfClientSecret, or CF_CLIENT_ID and CF_CLIENT_SECRET)",
    ],
    ["cfCliConfig", "run `cf login` again"],
  ])("replaces the client's advice for %s credentials", (credentialKind, advice) => {
    const error = new CloudFoundryAuthError("GET /v3/apps → 401 CF-InvalidAuthToken (1000): x.", {
      credentialSource: "the source",
      credentialKind,
      hint: "run `cf login` again",
    });
    expect(shown(error)).toBe(
      `[CF_AUTH_ERROR] GET /v3/apps → 401 CF-InvalidAuthToken (1000): x; ${advice}.`,
    );
  });
});
