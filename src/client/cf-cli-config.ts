import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { CF_CLI_CLIENT_ID } from "./credential-source.js";
import { CloudFoundryConfigError } from "./errors.js";
import { stripBearer } from "./jwt.js";

// The keys the client uses, spelled as the cf CLI's `util/configv3/json_config.go` writes them.
// Loose: the file holds many more.
const CfCliConfigFileSchema = z.looseObject({
  Target: z.string().optional(),
  AccessToken: z.string().optional(),
  RefreshToken: z.string().optional(),
  AuthorizationEndpoint: z.string().optional(),
  UaaEndpoint: z.string().optional(),
  SSLDisabled: z.boolean().optional(),
  UAAGrantType: z.string().optional(),
  UAAOAuthClient: z.string().optional(),
  UAAOAuthClientSecret: z.string().optional(),
});

/** What the client takes from the cf CLI's `config.json`. Empty strings are read as absent. */
export interface CfCliConfig {
  /** Absolute path of the file read. */
  path: string;
  /** `Target`: the API URL of `cf api`. */
  target: string | undefined;
  /** `AccessToken` without its `bearer ` prefix. */
  accessToken: string | undefined;
  /** `RefreshToken`. */
  refreshToken: string | undefined;
  /** `AuthorizationEndpoint` (the login URL; the cf CLI's token requests go here). */
  authorizationEndpoint: string | undefined;
  /** `UaaEndpoint`. */
  uaaEndpoint: string | undefined;
  /** `SSLDisabled`: `cf api --skip-ssl-validation`. */
  sslDisabled: boolean;
  /** `UAAGrantType`: `""`/`password` for users, `client_credentials` after `cf auth --client-credentials`. */
  grantType: string | undefined;
  /** `UAAOAuthClient`. @default "cf" */
  clientId: string;
  /** `UAAOAuthClientSecret`. @default "" */
  clientSecret: string;
}

/**
 * The path of the cf CLI config: `<cfHome>/.cf/config.json`, or `~/.cf/config.json` without a
 * `cfHome` (cf CLI `util/configv3/load_config.go`). The client never reads `CF_HOME` itself: a
 * caller that honours it passes it as `cfHome`.
 */
export function cfCliConfigPath(cfHome?: string): string {
  return join(cfHome ?? homedir(), ".cf", "config.json");
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === "" ? undefined : value.trim();

/**
 * Reads and validates the cf CLI config. Synchronous on purpose: the client is constructed
 * synchronously and needs `Target` for its `apiUrl`. Errors say what to run.
 */
export function readCfCliConfig(cfHome: string | undefined): CfCliConfig {
  const path = cfCliConfigPath(cfHome);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === "ENOENT" ? "does not exist" : `cannot be read (${String(code)})`;
    throw new CloudFoundryConfigError(
      `The cf CLI config ${path} ${why}; run \`cf login\` first or choose another credential source.`,
      { setting: "credentials.cfHome" },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CloudFoundryConfigError(
      `The cf CLI config ${path} is not valid JSON; run \`cf login\` again to rewrite it.`,
      { setting: "credentials.cfHome" },
    );
  }
  const parsed = CfCliConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    const key = parsed.error.issues[0]?.path.join(".") ?? "";
    throw new CloudFoundryConfigError(
      `The cf CLI config ${path} has an unexpected value for ${key === "" ? "its top level" : key}; run \`cf login\` again to rewrite it.`,
      { setting: key === "" ? "credentials.cfHome" : key },
    );
  }
  const file = parsed.data;
  const accessToken = nonEmpty(file.AccessToken);
  const config: CfCliConfig = {
    path,
    target: nonEmpty(file.Target),
    accessToken: accessToken === undefined ? undefined : nonEmpty(stripBearer(accessToken)),
    refreshToken: nonEmpty(file.RefreshToken),
    authorizationEndpoint: nonEmpty(file.AuthorizationEndpoint),
    uaaEndpoint: nonEmpty(file.UaaEndpoint),
    sslDisabled: file.SSLDisabled === true,
    grantType: nonEmpty(file.UAAGrantType),
    clientId: nonEmpty(file.UAAOAuthClient) ?? CF_CLI_CLIENT_ID,
    clientSecret: file.UAAOAuthClientSecret ?? "",
  };
  if (config.accessToken === undefined && config.refreshToken === undefined) {
    throw new CloudFoundryConfigError(
      `The cf CLI config ${path} holds no login (no AccessToken or RefreshToken); run \`cf login\` first.`,
      { setting: "AccessToken" },
    );
  }
  return config;
}
