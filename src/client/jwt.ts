/**
 * Claims of a UAA JWT that the client reads (UAA `docs/UAA-Tokens.md`). It never verifies the signature:
 * the Cloud Controller does; the client only needs `exp` to refresh in time and a user name for
 * descriptions.
 */
export interface JwtClaims {
  /** Expiry, epoch seconds. */
  exp?: number;
  /** User name of a user token. */
  user_name?: string;
  /** OAuth client id. */
  client_id?: string;
  /** UAA guid of the user of a user token. */
  user_id?: string;
}

/** Strips the `bearer ` prefix the cf CLI stores tokens with (`AccessToken: "bearer eyJ…"`). */
export function stripBearer(token: string): string {
  return token.replace(/^bearer\s+/i, "").trim();
}

/** The claims of `token` (with or without `bearer `), or `undefined` when it is no JWT. */
export function decodeJwtClaims(token: string): JwtClaims | undefined {
  const payload = stripBearer(token).split(".")[1];
  if (payload === undefined || payload === "") return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
    const claims: JwtClaims = {};
    const {
      exp,
      user_name: userName,
      client_id: clientId,
      user_id: userId,
    } = json as Record<string, unknown>;
    if (typeof exp === "number" && Number.isFinite(exp)) claims.exp = exp;
    if (typeof userName === "string") claims.user_name = userName;
    if (typeof clientId === "string") claims.client_id = clientId;
    if (typeof userId === "string") claims.user_id = userId;
    return claims;
  } catch {
    return undefined;
  }
}

/**
 * The guid the Cloud Controller records as the actor of requests made with `token`: its
 * `user_id`, or its `client_id` for a client's own token (`user_from_token` in cloud_controller_ng
 * lib/cloud_controller/security/security_context_configurer.rb). `undefined` when it is no JWT.
 */
export function actorGuidOf(token: string): string | undefined {
  const claims = decodeJwtClaims(token);
  return claims?.user_id ?? claims?.client_id;
}

/** When `token` expires, epoch milliseconds, or `undefined` when that cannot be read. */
export function jwtExpiresAt(token: string): number | undefined {
  const exp = decodeJwtClaims(token)?.exp;
  return exp === undefined ? undefined : exp * 1000;
}
