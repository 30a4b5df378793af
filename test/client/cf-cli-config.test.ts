import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cfCliConfigPath, readCfCliConfig } from "../../src/client/cf-cli-config.js";
import { isCloudFoundryError } from "../../src/client/errors.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh CF_HOME holding `.cf/config.json` with `content` (an object, or raw text). */
function cfHomeWith(content: unknown): string {
  const home = mkdtempSync(join(tmpdir(), "cf-home-"));
  dirs.push(home);
  mkdirSync(join(home, ".cf"));
  const text = typeof content === "string" ? content : JSON.stringify(content);
  writeFileSync(join(home, ".cf", "config.json"), text);
  return home;
}

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    expect(isCloudFoundryError(error, "CF_CONFIG_ERROR")).toBe(true);
    return error as Error;
  }
  throw new Error("expected a CF_CONFIG_ERROR");
}

describe("readCfCliConfig", () => {
  it("finds the file under cfHome, else the home directory, and never reads CF_HOME itself", () => {
    vi.stubEnv("CF_HOME", "/b");
    try {
      expect(cfCliConfigPath("/a")).toBe("/a/.cf/config.json");
      expect(cfCliConfigPath()).toBe(join(homedir(), ".cf", "config.json"));
      expect(cfCliConfigPath(undefined)).toBe(join(homedir(), ".cf", "config.json"));
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("reads the keys the cf CLI writes, strips 'bearer ' and defaults the client to cf", () => {
    const home = cfHomeWith({
      ConfigVersion: 3,
      Target: "https://api.example.com",
      AccessToken: "bearer at-123",
      RefreshToken: "rt-456",
      AuthorizationEndpoint: "https://login.example.com",
      UaaEndpoint: "https://uaa.example.com",
      SSLDisabled: true,
      UAAGrantType: "",
      UAAOAuthClient: "",
      UAAOAuthClientSecret: "",
      OrganizationFields: { GUID: "o", Name: "org" },
    });
    expect(readCfCliConfig(home)).toEqual({
      path: join(home, ".cf", "config.json"),
      target: "https://api.example.com",
      accessToken: "at-123",
      refreshToken: "rt-456",
      authorizationEndpoint: "https://login.example.com",
      uaaEndpoint: "https://uaa.example.com",
      sslDisabled: true,
      grantType: undefined,
      clientId: "cf",
      clientSecret: "",
    });
  });

  it("says to run cf login when the file is missing, broken or holds no login", () => {
    const missing = mkdtempSync(join(tmpdir(), "cf-home-"));
    dirs.push(missing);
    expect(failure(() => readCfCliConfig(missing)).message).toBe(
      `The cf CLI config ${join(missing, ".cf", "config.json")} does not exist; run \`cf login\` first or choose another credential source.`,
    );
    const broken = cfHomeWith('{"AccessToken": "bearer sec');
    expect(failure(() => readCfCliConfig(broken)).message).toBe(
      `The cf CLI config ${join(broken, ".cf", "config.json")} is not valid JSON; run \`cf login\` again to rewrite it.`,
    );
    const loggedOut = cfHomeWith({
      Target: "https://api.example.com",
      AccessToken: "",
      RefreshToken: "",
    });
    expect(failure(() => readCfCliConfig(loggedOut)).message).toBe(
      `The cf CLI config ${join(loggedOut, ".cf", "config.json")} holds no login (no AccessToken or RefreshToken); run \`cf login\` first.`,
    );
  });

  it("names the key with a wrong type without echoing its value", () => {
    const home = cfHomeWith({ AccessToken: ["bearer very-secret-token"] });
    const error = failure(() => readCfCliConfig(home));
    expect(error.message).toContain("unexpected value for AccessToken");
    expect(JSON.stringify(error)).not.toContain("very-secret-token");
  });
});

describe("a cf CLI login with unusable fields", () => {
  it("names the file and the field of a bad URL, never the token", async () => {
    const { createCloudFoundryClient } = await import("../../src/client/index.js");
    const token = "bearer cli-SECRET-token-77aa";
    const errorFor = (content: unknown): { message: string; setting: unknown; json: string } => {
      const home = cfHomeWith(content);
      const error = failure(() =>
        createCloudFoundryClient({ credentials: { kind: "cfCliConfig", cfHome: home } }),
      );
      const json = JSON.stringify(error);
      expect(json).not.toContain("cli-SECRET-token");
      return {
        message: error.message.replace(join(home, ".cf", "config.json"), "<file>"),
        setting: (error as { setting?: unknown }).setting,
        json,
      };
    };
    expect(errorFor({ Target: "api example com", AccessToken: token })).toMatchObject({
      message:
        "The cf CLI config <file> has an unusable Target: Target is not a valid URL; give the full URL, e.g. https://api.example.com; run `cf api` and `cf login` again, or pass the option instead.",
      setting: "Target",
    });
    expect(
      errorFor({
        Target: "https://api.example.com",
        AuthorizationEndpoint: "http://login.example.com",
        AccessToken: token,
      }),
    ).toMatchObject({
      message:
        "The cf CLI config <file> has an unusable AuthorizationEndpoint: AuthorizationEndpoint http://login.example.com uses plain http:// to a host that is not loopback, which would send credentials unencrypted; use https:// or set allowInsecureHttp: true; run `cf api` and `cf login` again, or pass the option instead.",
      setting: "AuthorizationEndpoint",
    });
    expect(errorFor(null).message).toBe(
      "The cf CLI config <file> has an unexpected value for its top level; run `cf login` again to rewrite it.",
    );
    expect(
      errorFor({ Target: "https://api.example.com", AccessToken: token, SSLDisabled: "yes" }),
    ).toMatchObject({ setting: "SSLDisabled" });
  });
});
