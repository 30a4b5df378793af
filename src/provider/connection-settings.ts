import { type CredentialSource, cfCliConfigPath } from "../client/index.js";
import { PromotionError } from "./promotion-error.js";

/**
 * The connection settings: each stack-config key (namespace `cloudfoundry`, as the Pulumi Cloud
 * Foundry provider names them) with its environment variable (as the official Terraform provider
 * reads them). Never resource inputs: inputs land in state.
 */
const CONNECTION_SETTINGS = {
  apiUrl: "CF_API_URL",
  user: "CF_USER",
  password: "CF_PASSWORD",
  origin: "CF_ORIGIN",
  cfClientId: "CF_CLIENT_ID",
  cfClientSecret: "CF_CLIENT_SECRET",
  accessToken: "CF_ACCESS_TOKEN",
  refreshToken: "CF_REFRESH_TOKEN",
  skipSslValidation: "CF_SKIP_SSL_VALIDATION",
} as const;

/** A connection setting's stack-config key (without the `cloudfoundry:` namespace). */
export type ConnectionSettingKey = keyof typeof CONNECTION_SETTINGS;

const SETTING_KEYS = Object.keys(CONNECTION_SETTINGS) as ConnectionSettingKey[];

/**
 * The kinds of credentials, each by the settings that make it up, in the order they are listed
 * when none is found; the first setting of a kind is the one that says the kind was chosen.
 */
const CREDENTIAL_KINDS: readonly (readonly [ConnectionSettingKey, ...ConnectionSettingKey[]])[] = [
  ["user", "password"],
  ["cfClientId", "cfClientSecret"],
  ["refreshToken"],
  ["accessToken"],
];

/** Connection settings as plain strings, each absent when not set. */
export type ConnectionSettings = Partial<Record<ConnectionSettingKey, string>>;

/** The stack-config namespace the settings are read from. */
const CONFIG_NAMESPACE = "cloudfoundry";

/**
 * Reads the `cloudfoundry:*` settings from the config object the host hands to `configure`.
 * Secret values arrive there already decrypted (`GetPackageConfig` in pulumi
 * pkg/resource/deploy/target.go); they are kept in memory in the host only, never returned,
 * printed or stored.
 */
export function readStackConnectionSettings(config: {
  get(key: string): string | undefined;
}): ConnectionSettings {
  const settings: ConnectionSettings = {};
  for (const key of SETTING_KEYS) {
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
interface ConnectionSources {
  /** The `cloudfoundry:*` settings from `configure`. */
  stack: ConnectionSettings;
  /** The environment of the provider process. */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory (for `~/.cf/config.json`). */
  homeDir: string;
  fileExists: (file: string) => boolean;
}

/**
 * Resolves the connection: each setting from stack config, else from its environment variable;
 * if neither gives any credentials, the cf CLI's `config.json` (`$CF_HOME/.cf/config.json`, else
 * `~/.cf/config.json`, CLI `util/configv3/load_config.go`). When nothing is found it throws one
 * error that lists every place looked, so the user can fix it in one go.
 */
export function resolveConnection(sources: ConnectionSources): ResolvedConnection {
  const settings = settingsFrom(sources);
  const value = (key: ConnectionSettingKey) => settings[key]?.value;
  const skipSsl = parseFlag(value("skipSslValidation"));
  const skipSslValidation = skipSsl === undefined ? {} : { skipSslValidation: skipSsl };
  const credentials = credentialsFrom(value);
  const { CF_HOME, CF_API_URL } = sources.env;
  const cfHome = CF_HOME?.trim() || undefined;
  // The client is always told where to look, so it never falls back to its own idea of home
  // and reads the same file this check found.
  const cliConfigHome = cfHome ?? sources.homeDir;
  const cliConfigPath = cfCliConfigPath(cliConfigHome);

  if (credentials === undefined) {
    if (sources.fileExists(cliConfigPath)) {
      const apiUrl = value("apiUrl");
      return {
        ...(apiUrl === undefined ? {} : { apiUrl }),
        credentials: { kind: "cfCliConfig", cfHome: cliConfigHome },
        ...skipSslValidation,
        source: `cf CLI config ${cliConfigPath}`,
      };
    }
    throw new PromotionError(
      "PROMOTION_NO_CREDENTIALS",
      [
        "No Cloud Foundry credentials found. Looked in, in this order:",
        `  1. stack config: ${credentialKeys((k) => `${CONFIG_NAMESPACE}:${k}`)}: none set${sources.stack.apiUrl === undefined ? "" : ` (${CONFIG_NAMESPACE}:apiUrl is set)`}`,
        `  2. environment: ${credentialKeys((k) => CONNECTION_SETTINGS[k])}: none set${CF_API_URL ? " (CF_API_URL is set)" : ""}`,
        `  3. cf CLI config: ${cliConfigPath} (${cfHome === undefined ? "~/.cf, CF_HOME is not set" : "from CF_HOME"}): not found`,
        `Set ${CONFIG_NAMESPACE}:apiUrl with user and password (pulumi config set --secret ${CONFIG_NAMESPACE}:password …), or CF_API_URL with CF_USER and CF_PASSWORD, or run \`cf login\`.`,
      ].join("\n"),
    );
  }

  const apiUrl = value("apiUrl");
  if (apiUrl === undefined) {
    const chosen = CREDENTIAL_KINDS.map(([first]) => settings[first]).find((s) => s !== undefined);
    const from = chosen?.origin === "stack" ? "stack config" : "the environment";
    throw new PromotionError(
      "PROMOTION_CONNECTION_CONFIG",
      `Cloud Foundry credentials were found in ${from}, but no API URL. Looked for stack config ${CONFIG_NAMESPACE}:apiUrl and environment variable CF_API_URL: neither is set. Set one of them to the Cloud Controller URL (e.g. https://api.example.com).`,
    );
  }

  const origins = new Set(Object.values(settings).map((setting) => setting.origin));
  const source =
    origins.size === 2
      ? "stack config (cloudfoundry:*) and environment (CF_*)"
      : origins.has("stack")
        ? "stack config (cloudfoundry:*)"
        : "environment (CF_*)";
  return { apiUrl, credentials, ...skipSslValidation, source };
}

/** A setting's value and where it came from. */
interface ResolvedSetting {
  value: string;
  origin: "stack" | "env";
}

/** Each setting from stack config, else from its environment variable (blank counts as unset). */
function settingsFrom(
  sources: ConnectionSources,
): Partial<Record<ConnectionSettingKey, ResolvedSetting>> {
  const settings: Partial<Record<ConnectionSettingKey, ResolvedSetting>> = {};
  for (const key of SETTING_KEYS) {
    const fromStack = sources.stack[key];
    const fromEnv = sources.env[CONNECTION_SETTINGS[key]]?.trim();
    if (fromStack !== undefined) settings[key] = { value: fromStack, origin: "stack" };
    else if (fromEnv !== undefined && fromEnv !== "")
      settings[key] = { value: fromEnv, origin: "env" };
  }
  return settings;
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
        `Cloud Foundry ${user === undefined ? "password" : "user"} is set but ${missing} is not: set stack config ${CONFIG_NAMESPACE}:${missing} or environment variable ${CONNECTION_SETTINGS[missing]}.`,
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
      `Cloud Foundry client credentials are incomplete: set stack config ${CONFIG_NAMESPACE}:${missing} or environment variable ${CONNECTION_SETTINGS[missing]}.`,
    );
  }
  return undefined;
}

function credentialKeys(name: (key: ConnectionSettingKey) => string): string {
  return CREDENTIAL_KINDS.map((keys) => keys.map(name).join(" + ")).join(", ");
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
