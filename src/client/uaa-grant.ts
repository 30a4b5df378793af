/**
 * One request to UAA's `/oauth/token`, as the cf CLI makes it (cf CLI `api/uaa/auth.go`,
 * `api/uaa/refresh_token.go`).
 */
export interface UaaGrant {
  /** `grant_type`, for messages. */
  grantType: "password" | "refresh_token" | "client_credentials";
  /** Form fields (sent `application/x-www-form-urlencoded`). */
  form: Record<string, string>;
  /** HTTP Basic client credentials, when the grant uses them. */
  basicAuth?: { clientId: string; clientSecret: string };
  /** Query parameters (`login_hint` for an identity-provider origin). */
  query?: Record<string, string>;
}

/** Password grant with HTTP Basic `client:secret` (`cf:` by default) and an optional origin. */
export function passwordGrant(
  username: string,
  password: string,
  client: { clientId: string; clientSecret: string },
  origin?: string,
): UaaGrant {
  const grant: UaaGrant = {
    grantType: "password",
    form: { grant_type: "password", username, password },
    basicAuth: client,
  };
  // `cf login --origin` sends `login_hint={"origin":"<origin>"}` as a query parameter.
  if (origin !== undefined) grant.query = { login_hint: JSON.stringify({ origin }) };
  return grant;
}

/** Refresh-token grant with HTTP Basic `client:secret` (`cf:` by default). */
export function refreshTokenGrant(
  refreshToken: string,
  client: { clientId: string; clientSecret: string },
): UaaGrant {
  return {
    grantType: "refresh_token",
    form: { grant_type: "refresh_token", refresh_token: refreshToken },
    basicAuth: client,
  };
}

/** Client-credentials grant: id and secret in the form, no Basic header (as the cf CLI does). */
export function clientCredentialsGrant(clientId: string, clientSecret: string): UaaGrant {
  return {
    grantType: "client_credentials",
    form: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
  };
}

/** The `Authorization: Basic …` value for a UAA client. */
export function basicAuthorization(client: { clientId: string; clientSecret: string }): string {
  // Not form-encoded first: the cf CLI uses Go's `SetBasicAuth`, which UAA accepts.
  return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
}
