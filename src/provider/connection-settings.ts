import * as path from "node:path";
import type { CredentialSource } from "../client/index.js";
import { PromotionError } from "./promotion-error.js";

/**
 * The connection settings, by stack-config key (namespace `cloudfoundry`, as the Pulumi Cloud
 * Foundry provider names them) and environment variable (as the official Terraform provider
 * reads them). Never resource inputs: inputs land in state.
 */
export const CONNECTION_SETTINGS = [
  { key: "apiUrl", env: "CF_API_URL" },
  { key: "user", env: "CF_USER" },
  { key: "password", env: "CF_PASSWORD" },
  { key: "origin", env: "CF_ORIGIN" },
  { key: "cfClientId", env: "CF_CLIENT_ID" },
  { key: "cfClientSecret", env: "CF_CLIENT_SECRET" },
  { key: "accessToken", env: "CF_ACCESS_TOKEN" },
  { key: "refreshToken", env: "CF_REFRESH_TOKEN" },
  { key: "skipSslValidation", env: "CF_SKIP_SSL_VALIDATION" },
] as const;

/** A connection setting's stack-config key (without the `cloudfoundry:` namespace). */
export type ConnectionSettingKey = (typeof CONNECTION_SETTINGS)[number]["key"];

/** Connection settings as plain strings, each absent when not set. */
export type ConnectionSettings = Partial<Record<ConnectionSettingKey, string>>;

/** The stack-config namespace the settings are read from. */
export const CONFIG_NAMESPACE = "cloudfoundry";

/**
 * Reads the `cloudfoundry:*` settings from the config object the host hands to `configure`.
 * Secret values arrive there already decrypted (reference/pulumi-dynamic.md §2.1); they are kept
 * in memory in the host only, never returned, printed or stored.
 */
export function readStackConnectionSettings(config: {
  get(key: string): string | undefined;
}): ConnectionSettings {
  const settings: ConnectionSettings = {};
  for (const { key } of CONNECTION_SETTINGS) {
    const value = config.get(`${CONFIG_NAMESPACE}:${key}`);
    if (typeof value === "string" && value.trim() !== "") settings[key] = value.trim();
  }
  return settings;
}

/** A resolved connection: client options plus where they came from (no secrets in `source`). */
export interface ResolvedConnection {
  apiUrl?: string;
  credentials: CredentialSource;
  /**
   * Absent when neither stack config nor environment sets it, so that a cf CLI login made with
   * `cf api --skip-ssl-validation` (`SSLDisabled`) still applies.
   */
  skipSslValidation?: boolean;
  /** e.g. "stack config (cloudfoundry:*)", "environment (CF_*)", "cf CLI config /home/u/.cf/config.json". */
  source: string;
}

/** Where {@link resolveConnection} looks besides the stack settings. */
export interface ConnectionSources {
  /** The `cloudfoundry:*` settings from `configure`. */
  stack: ConnectionSettings;
  /** The environment of the provider process. */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory (for `~/.cf/config.json`). */
  homeDir: string;
  /** Whether a file exists. */
  fileExists: (file: string) => boolean;
}

/**
 * Resolves the connection: each setting from stack config, else from its environment variable;
 * if neither gives any credentials, the cf CLI's `config.json` (`$CF_HOME/.cf/config.json`, else
 * `~/.cf/config.json`, CLI `util/configv3/load_config.go`). When nothing is found it throws one
 * error that lists every place looked, so the user can fix it in one go.
 */
export function resolveConnection(sources: ConnectionSources): ResolvedConnection {
  const value = (key: ConnectionSettingKey): string | undefined => {
    const fromStack = sources.stack[key];
    if (fromStack !== undefined) return fromStack;
    const name = CONNECTION_SETTINGS.find((s) => s.key === key)?.env;
    const fromEnv = name === undefined ? undefined : sources.env[name]?.trim();
    return fromEnv === "" ? undefined : fromEnv;
  };
  const origin = (key: ConnectionSettingKey): "stack" | "env" | undefined =>
    sources.stack[key] !== undefined ? "stack" : value(key) !== undefined ? "env" : undefined;

  const skipSsl = parseFlag(value("skipSslValidation"));
  const skipSslValidation = skipSsl === undefined ? {} : { skipSslValidation: skipSsl };
  const credentials = credentialsFrom(value);
  const { CF_HOME, CF_API_URL } = sources.env;
  const cfHome = CF_HOME?.trim() || undefined;
  const cliConfigPath = path.join(cfHome ?? sources.homeDir, ".cf", "config.json");

  if (credentials === undefined) {
    if (sources.fileExists(cliConfigPath)) {
      const apiUrl = value("apiUrl");
      return {
        ...(apiUrl === undefined ? {} : { apiUrl }),
        credentials:
          cfHome === undefined ? { kind: "cfCliConfig" } : { kind: "cfCliConfig", cfHome },
        ...skipSslValidation,
        source: `cf CLI config ${cliConfigPath}`,
      };
    }
    throw new PromotionError(
      "PROMOTION_NO_CREDENTIALS",
      [
        "No Cloud Foundry credentials found. Looked in, in this order:",
        `  1. stack config: ${credentialKeys((k) => `${CONFIG_NAMESPACE}:${k}`)}: none set${sources.stack.apiUrl === undefined ? "" : ` (${CONFIG_NAMESPACE}:apiUrl is set)`}`,
        `  2. environment: ${credentialKeys(envName)}: none set${CF_API_URL ? " (CF_API_URL is set)" : ""}`,
        `  3. cf CLI config: ${cliConfigPath} (${cfHome === undefined ? "~/.cf, CF_HOME is not set" : "from CF_HOME"}): not found`,
        `Set ${CONFIG_NAMESPACE}:apiUrl with user and password (pulumi config set --secret ${CONFIG_NAMESPACE}:password …), or CF_API_URL with CF_USER and CF_PASSWORD, or run \`cf login\`.`,
      ].join("\n"),
    );
  }

  const apiUrl = value("apiUrl");
  if (apiUrl === undefined) {
    const used = (["user", "cfClientId", "refreshToken", "accessToken"] as const).find(
      (key) => value(key) !== undefined,
    );
    const from = used && origin(used) === "stack" ? "stack config" : "the environment";
    throw new PromotionError(
      "PROMOTION_CONNECTION_CONFIG",
      `Cloud Foundry credentials were found in ${from}, but no API URL. Looked for stack config ${CONFIG_NAMESPACE}:apiUrl and environment variable CF_API_URL: neither is set. Set one of them to the Cloud Controller URL (e.g. https://api.example.com).`,
    );
  }

  const origins = new Set(
    CONNECTION_SETTINGS.map((s) => origin(s.key)).filter((o) => o !== undefined),
  );
  const source =
    origins.size === 2
      ? "stack config (cloudfoundry:*) and environment (CF_*)"
      : origins.has("stack")
        ? "stack config (cloudfoundry:*)"
        : "environment (CF_*)";
  return { apiUrl, credentials, ...skipSslValidation, source };
}

function credentialsFrom(
  value: (key: ConnectionSettingKey) => string | undefined,
): CredentialSource | undefined {
  const user = value("user");
  const password = value("password");
  const clientId = value("cfClientId");
  const clientSecret = value("cfClientSecret");
  const optionalClient = {
    ...(clientId === undefined ? {} : { clientId }),
    ...(clientSecret === undefined ? {} : { clientSecret }),
  };
  if (user !== undefined || password !== undefined) {
    if (user === undefined || password === undefined) {
      const missing = user === undefined ? "user" : "password";
      throw new PromotionError(
        "PROMOTION_CONNECTION_CONFIG",
        `Cloud Foundry ${user === undefined ? "password" : "user"} is set but ${missing} is not: set stack config ${CONFIG_NAMESPACE}:${missing} or environment variable ${envName(missing)}.`,
      );
    }
    const origin = value("origin");
    return {
      kind: "password",
      username: user,
      password,
      ...(origin === undefined ? {} : { origin }),
      ...optionalClient,
    };
  }
  const refreshToken = value("refreshToken");
  if (clientId !== undefined && clientSecret !== undefined && refreshToken === undefined) {
    return { kind: "clientCredentials", clientId, clientSecret };
  }
  if (refreshToken !== undefined) return { kind: "refreshToken", refreshToken, ...optionalClient };
  const accessToken = value("accessToken");
  if (accessToken !== undefined) return { kind: "accessToken", accessToken };
  if (clientId !== undefined || clientSecret !== undefined) {
    const missing = clientId === undefined ? "cfClientId" : "cfClientSecret";
    throw new PromotionError(
      "PROMOTION_CONNECTION_CONFIG",
      `Cloud Foundry client credentials are incomplete: set stack config ${CONFIG_NAMESPACE}:${missing} or environment variable ${envName(missing)}.`,
    );
  }
  return undefined;
}

function envName(key: ConnectionSettingKey): string {
  return CONNECTION_SETTINGS.find((s) => s.key === key)?.env ?? key;
}

function credentialKeys(name: (key: ConnectionSettingKey) => string): string {
  return [
    `${name("user")} + ${name("password")}`,
    `${name("cfClientId")} + ${name("cfClientSecret")}`,
    name("refreshToken"),
    name("accessToken"),
  ].join(", ");
}

function parseFlag(raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  const lower = raw.toLowerCase();
  if (["true", "1", "yes"].includes(lower)) return true;
  if (["false", "0", "no"].includes(lower)) return false;
  throw new PromotionError(
    "PROMOTION_CONNECTION_CONFIG",
    `skipSslValidation must be true or false (stack config ${CONFIG_NAMESPACE}:skipSslValidation or CF_SKIP_SSL_VALIDATION), not "${raw}".`,
  );
}
