import type { CfCliConfig } from "./cf-cli-config.js";
import { CF_CLI_CLIENT_ID } from "./credential-source.js";
import { decodeJwtClaims } from "./jwt.js";

/** A UAA OAuth client. */
export interface UaaClient {
  /** Client id. */
  clientId: string;
  /** Client secret (empty for the cf CLI's public client). */
  clientSecret: string;
}

/**
 * A credential source after option normalization: defaults filled in, the cf CLI config read.
 * Internal; the public shape is `CredentialSource`.
 */
export type ResolvedCredentials =
  | { kind: "accessToken"; accessToken: string }
  | { kind: "refreshToken"; refreshToken: string; client: UaaClient }
  | { kind: "password"; username: string; password: string; origin?: string; client: UaaClient }
  | { kind: "clientCredentials"; client: UaaClient }
  | { kind: "cfCliConfig"; config: CfCliConfig };

/** Every secret in `credentials`, for the redactor. */
export function credentialSecrets(credentials: ResolvedCredentials): string[] {
  switch (credentials.kind) {
    case "accessToken":
      return [credentials.accessToken];
    case "refreshToken":
      return [credentials.refreshToken, credentials.client.clientSecret];
    case "password":
      return [credentials.password, credentials.client.clientSecret];
    case "clientCredentials":
      return [credentials.client.clientSecret];
    case "cfCliConfig": {
      const { accessToken, refreshToken, clientSecret } = credentials.config;
      return [accessToken, refreshToken, clientSecret].filter((s) => s !== undefined);
    }
  }
}

/** ` with client 'x'` for any client but the cf CLI's own, which goes without saying. */
const clientSuffix = (client: UaaClient): string =>
  client.clientId === CF_CLI_CLIENT_ID ? "" : ` with client '${client.clientId}'`;

/**
 * Which credential source is in use, for messages: never a secret (user and client names are
 * not secrets; the cf CLI prints them too).
 */
export function describeCredentials(credentials: ResolvedCredentials): string {
  switch (credentials.kind) {
    case "accessToken":
      return "static access token";
    case "refreshToken":
      return `refresh token${clientSuffix(credentials.client)}`;
    case "password": {
      const origin = credentials.origin === undefined ? "" : ` (origin '${credentials.origin}')`;
      return `password grant for user '${credentials.username}'${origin}${clientSuffix(credentials.client)}`;
    }
    case "clientCredentials":
      return `client credentials for client '${credentials.client.clientId}'`;
    case "cfCliConfig": {
      const { config } = credentials;
      const user =
        config.accessToken === undefined
          ? undefined
          : decodeJwtClaims(config.accessToken)?.user_name;
      const who =
        config.grantType === "client_credentials"
          ? ` (client '${config.clientId}')`
          : user === undefined
            ? ""
            : ` (user '${user}')`;
      return `cf CLI login from ${config.path}${who}`;
    }
  }
}

/**
 * What to do when the credentials are refused, one clause in the client's own terms (the kind
 * travels with the error as `credentialKind`, so a caller such as the provider can name its own
 * settings instead).
 */
export function credentialAdvice(credentials: ResolvedCredentials): string {
  switch (credentials.kind) {
    case "accessToken":
      return "pass a fresh one (e.g. from `cf oauth-token`) or use credentials that can refresh";
    case "refreshToken":
      return "the refresh token is expired or revoked; get a new one with `cf login`";
    case "password":
      return "check the user name and password";
    case "clientCredentials":
      return "check the client id and secret";
    case "cfCliConfig":
      return credentials.config.grantType === "client_credentials"
        ? "run `cf auth <client> <secret> --client-credentials` again, or pass clientCredentials, since the cf CLI does not store the client secret"
        : "run `cf login` again";
  }
}
