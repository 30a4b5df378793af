/**
 * Where the client's access token comes from: exactly one kind.
 *
 * - `accessToken`: a static token (with or without `bearer `); cannot be refreshed.
 * - `refreshToken`: exchanged at UAA with `grant_type=refresh_token` (client `cf`, empty secret,
 *   unless given), as the cf CLI does (`api/uaa/refresh_token.go`).
 * - `password`: `grant_type=password` with HTTP Basic client `cf:` (cf CLI `api/uaa/auth.go`),
 *   optional identity-provider `origin`; refreshed with the refresh token it returns.
 * - `clientCredentials`: `grant_type=client_credentials`, id and secret in the form.
 * - `cfCliConfig`: the cf CLI's own login from `<cfHome>/.cf/config.json`, or
 *   `~/.cf/config.json` without `cfHome` (`Target`, `AccessToken`, `RefreshToken`,
 *   `AuthorizationEndpoint`, `SSLDisabled`, …), so a user who ran `cf login` needs nothing else.
 *   The file is only read, never written; `CF_HOME` is not read (pass it as `cfHome`).
 */
export type CredentialSource =
  | { kind: "accessToken"; accessToken: string }
  | { kind: "refreshToken"; refreshToken: string; clientId?: string; clientSecret?: string }
  | {
      kind: "password";
      username: string;
      password: string;
      origin?: string;
      clientId?: string;
      clientSecret?: string;
    }
  | { kind: "clientCredentials"; clientId: string; clientSecret: string }
  | { kind: "cfCliConfig"; cfHome?: string };

/** The cf CLI's UAA client (`util/configv3/defaults.go`: `cf` with an empty secret). */
export const CF_CLI_CLIENT_ID = "cf";
