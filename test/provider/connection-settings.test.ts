import { describe, expect, it } from "vitest";
import type { CredentialSource } from "../../src/client/index.js";
import type { ConnectionSettings } from "../../src/provider/connection-settings.js";
import {
  readStackConnectionSettings,
  resolveConnection,
} from "../../src/provider/connection-settings.js";

const none = () => false;
const base = { stack: {}, env: {}, homeDir: "/home/u", fileExists: none };

describe("readStackConnectionSettings", () => {
  it("reads the cloudfoundry:* keys and skips empty and other keys", () => {
    const config: Record<string, string> = {
      "cloudfoundry:apiUrl": "https://api.example.com",
      "cloudfoundry:password": "s3cret",
      "cloudfoundry:user": " ",
      "proj:apiUrl": "https://other",
    };
    expect(readStackConnectionSettings({ get: (key) => config[key] })).toEqual({
      apiUrl: "https://api.example.com",
      password: "s3cret",
    });
  });
});

describe("resolveConnection", () => {
  it("uses stack config first", () => {
    const resolved = resolveConnection({
      ...base,
      stack: { apiUrl: "https://api.stack", user: "alice", password: "pw", origin: "ldap" },
      env: { CF_API_URL: "https://api.env", CF_USER: "bob", CF_PASSWORD: "pw2" },
    });
    expect(resolved).toEqual({
      apiUrl: "https://api.stack",
      credentials: { kind: "password", username: "alice", password: "pw", origin: "ldap" },
      source: "stack config (cloudfoundry:*)",
    });
  });

  it("mixes stack config and environment setting by setting, and says so", () => {
    const resolved = resolveConnection({
      ...base,
      stack: { apiUrl: "https://api.stack", user: "alice" },
      env: { CF_PASSWORD: "pw" },
    });
    expect(resolved.credentials).toEqual({ kind: "password", username: "alice", password: "pw" });
    expect(resolved.source).toBe("stack config (cloudfoundry:*) and environment (CF_*)");
  });

  it("falls back to the environment setting by setting", () => {
    expect(
      resolveConnection({
        ...base,
        env: {
          CF_API_URL: "https://api.env",
          CF_CLIENT_ID: "ci",
          CF_CLIENT_SECRET: "cs",
          CF_SKIP_SSL_VALIDATION: "true",
        },
      }),
    ).toEqual({
      apiUrl: "https://api.env",
      credentials: { kind: "clientCredentials", clientId: "ci", clientSecret: "cs" },
      skipSslValidation: true,
      source: "environment (CF_*)",
    });
  });

  it.each<[string, ConnectionSettings, CredentialSource]>([
    [
      "prefers a refresh token to an access token, and keeps the client for refreshing",
      { refreshToken: "rt", accessToken: "at", cfClientId: "cf" },
      { kind: "refreshToken", refreshToken: "rt", clientId: "cf" },
    ],
    [
      "uses an access token alone",
      { accessToken: "at" },
      { kind: "accessToken", accessToken: "at" },
    ],
    [
      "uses a refresh token with the client id and secret as its client, rather than client credentials",
      { refreshToken: "rt", cfClientId: "ci", cfClientSecret: "cs" },
      { kind: "refreshToken", refreshToken: "rt", clientId: "ci", clientSecret: "cs" },
    ],
  ])("%s", (_, stack, credentials) => {
    expect(
      resolveConnection({ ...base, stack: { apiUrl: "https://a", ...stack } }).credentials,
    ).toEqual(credentials);
  });

  /** Resolves with only `CF_HOME` set and a cf CLI config wherever it is looked for. */
  function withCfHome(cfHome: string) {
    const seen: string[] = [];
    const fileExists = (file: string) => {
      seen.push(file);
      return true;
    };
    return { seen, resolved: resolveConnection({ ...base, env: { CF_HOME: cfHome }, fileExists }) };
  }

  it("uses the cf CLI config when no credentials are set, from CF_HOME when it is set", () => {
    const { seen, resolved } = withCfHome("/cfhome");
    expect(seen).toEqual(["/cfhome/.cf/config.json"]);
    expect(resolved).toEqual({
      credentials: { kind: "cfCliConfig", cfHome: "/cfhome" },
      source: "cf CLI config /cfhome/.cf/config.json",
    });
    expect(
      resolveConnection({ ...base, fileExists: (f) => f === "/home/u/.cf/config.json" })
        .credentials,
    ).toEqual({ kind: "cfCliConfig", cfHome: "/home/u" });
  });

  it("treats a blank CF_HOME as unset and tells the client the home it checked", () => {
    const { seen, resolved } = withCfHome("   ");
    expect(seen).toEqual(["/home/u/.cf/config.json"]);
    expect(resolved.credentials).toEqual({ kind: "cfCliConfig", cfHome: "/home/u" });
  });

  it("lists every place it looked when nothing is found", () => {
    expect(() => resolveConnection({ ...base, stack: { apiUrl: "https://a" } })).toThrow(
      [
        "No Cloud Foundry credentials found. Looked in, in this order:",
        "  1. stack config: cloudfoundry:user + cloudfoundry:password, cloudfoundry:cfClientId + cloudfoundry:cfClientSecret, cloudfoundry:refreshToken, cloudfoundry:accessToken: none set (cloudfoundry:apiUrl is set)",
        "  2. environment: CF_USER + CF_PASSWORD, CF_CLIENT_ID + CF_CLIENT_SECRET, CF_REFRESH_TOKEN, CF_ACCESS_TOKEN: none set",
        "  3. cf CLI config: /home/u/.cf/config.json (~/.cf, CF_HOME is not set): not found",
        "Set cloudfoundry:apiUrl with user and password (pulumi config set --secret cloudfoundry:password …), or CF_API_URL with CF_USER and CF_PASSWORD, or run `cf login`.",
      ].join("\n"),
    );
  });

  it("says which half of a pair is missing, without echoing the other", () => {
    const attempt = () =>
      resolveConnection({ ...base, env: { CF_API_URL: "https://a", CF_PASSWORD: "hunter2" } });
    expect(attempt).toThrow(
      "Cloud Foundry password is set but user is not: set stack config cloudfoundry:user or environment variable CF_USER.",
    );
    expect(attempt).not.toThrow(/hunter2/);
    expect(() =>
      resolveConnection({ ...base, env: { CF_API_URL: "https://a", CF_CLIENT_ID: "x" } }),
    ).toThrow(
      "Cloud Foundry client credentials are incomplete: set stack config cloudfoundry:cfClientSecret or environment variable CF_CLIENT_SECRET.",
    );
  });

  it("requires an API URL when credentials are given", () => {
    expect(() => resolveConnection({ ...base, stack: { user: "u", password: "p" } })).toThrow(
      "Cloud Foundry credentials were found in stack config, but no API URL. Looked for stack config cloudfoundry:apiUrl and environment variable CF_API_URL: neither is set.",
    );
  });

  it("rejects a skipSslValidation that is not a boolean", () => {
    expect(() =>
      resolveConnection({
        ...base,
        stack: { apiUrl: "https://a", accessToken: "t", skipSslValidation: "maybe" },
      }),
    ).toThrow(
      'skipSslValidation must be true or false (stack config cloudfoundry:skipSslValidation or CF_SKIP_SSL_VALIDATION), not "maybe".',
    );
  });
});
