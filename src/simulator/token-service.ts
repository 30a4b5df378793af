import { randomBytes } from "node:crypto";
import { z } from "zod";
import { GuidGenerator } from "./guid-generator.js";
import { signJwt, verifyJwt } from "./hs256.js";
import type { Actor } from "./model.js";
import type { Store } from "./store.js";

/** UAA's `/oauth/token` success body (UAA `docs/UAA-Tokens.md`). */
export interface TokenResponse {
  access_token: string;
  token_type: "bearer";
  refresh_token?: string;
  expires_in: number;
  scope: string;
  jti: string;
}

/** Who a valid access token speaks for, with the scopes the token (not the actor) carries. */
export interface Principal {
  actor: Actor;
  scopes: ReadonlySet<string>;
}

/** The `email` claim of a user's tokens (CC audits a user by it, `UserAuditInfo#user_email`). */
export function userEmail(actor: Actor): string {
  return `${actor.name}@example.com`;
}

/** The `cf` CLI's UAA client (CFD `cf-deployment.yml`: secret `''`, refresh 30 days). */
export const CF_CLIENT_ID = "cf";
const REFRESH_TOKEN_TTL_SECONDS = 2_592_000;

/** The claims the simulator reads back from its own tokens. */
const claimsSchema = z.looseObject({
  jti: z.string(),
  sub: z.string(),
  exp: z.number(),
  scope: z.array(z.string()),
  client_id: z.string(),
  user_id: z.string().optional(),
  typ: z.string().optional(),
});

/**
 * Issues and checks the simulator's JWTs. Tokens are HS256-signed with a secret drawn per
 * simulator, so a token from one simulator is an invalid token for another. `expireAll()` makes
 * every access token issued so far expired (refresh tokens keep working, as after a real expiry).
 */
export class TokenService {
  private readonly secret = randomBytes(32);
  private readonly jtis = new GuidGenerator("cf-capi-sim-token");
  private readonly live = new Set<string>();
  private readonly expired = new Set<string>();

  /**
   * @param store where actors live
   * @param ttlSeconds access-token lifetime
   * @param issuer the `iss` claim (the token endpoint URL)
   */
  constructor(
    private readonly store: Store,
    private readonly ttlSeconds: number,
    private readonly issuer: string,
  ) {}

  /** Issues an access token (and a refresh token unless `withRefresh` is false). */
  issue(actor: Actor, grantType: string, clientId: string, withRefresh: boolean): TokenResponse {
    const iat = Math.floor(this.store.now() / 1000);
    const jti = this.jtis.next().replaceAll("-", "");
    const identity =
      actor.kind === "user"
        ? {
            sub: actor.guid,
            user_id: actor.guid,
            user_name: actor.name,
            email: userEmail(actor),
            origin: "uaa",
          }
        : { sub: actor.name };
    const common = {
      ...identity,
      scope: actor.scopes,
      client_id: clientId,
      cid: clientId,
      azp: clientId,
      grant_type: grantType,
      iss: this.issuer,
      zid: "uaa",
      aud: [...new Set(actor.scopes.map((s) => s.split(".")[0] ?? s)), clientId],
    };
    const access = signJwt({ jti, ...common, iat, exp: iat + this.ttlSeconds }, this.secret);
    this.live.add(jti);
    const response: TokenResponse = {
      access_token: access,
      token_type: "bearer",
      expires_in: this.ttlSeconds,
      scope: actor.scopes.join(" "),
      jti,
    };
    if (withRefresh) {
      response.refresh_token = signJwt(
        { jti: `${jti}-r`, ...common, iat, exp: iat + REFRESH_TOKEN_TTL_SECONDS, typ: "refresh" },
        this.secret,
      );
    }
    return response;
  }

  /** The actor a valid, unexpired refresh token was issued to (and for which client). */
  checkRefreshToken(token: string): { actor: Actor; clientId: string } | undefined {
    const claims = this.verify(token);
    if (claims?.typ !== "refresh") return undefined;
    const actor = this.actorOf(claims);
    return actor === undefined ? undefined : { actor, clientId: claims.client_id };
  }

  /** The principal of a valid, unexpired access token, or undefined (CC: Invalid Auth Token). */
  authenticate(token: string): Principal | undefined {
    const claims = this.verify(token);
    if (claims === undefined || claims.typ === "refresh" || this.expired.has(claims.jti)) {
      return undefined;
    }
    const actor = this.actorOf(claims);
    return actor === undefined ? undefined : { actor, scopes: new Set(claims.scope) };
  }

  /** Every access token issued so far becomes expired. */
  expireAll(): void {
    for (const jti of this.live) this.expired.add(jti);
    this.live.clear();
  }

  /** Signature, shape and expiry (`exp` is in seconds, the clock in ms). */
  private verify(token: string): z.infer<typeof claimsSchema> | undefined {
    const parsed = claimsSchema.safeParse(verifyJwt(token, this.secret));
    if (!parsed.success || parsed.data.exp <= this.store.now() / 1000) return undefined;
    return parsed.data;
  }

  private actorOf(claims: z.infer<typeof claimsSchema>): Actor | undefined {
    if (claims.user_id !== undefined) {
      const actor = this.store.actors.get(claims.user_id);
      return actor?.kind === "user" ? actor : undefined;
    }
    return this.store.findActor("client", claims.sub);
  }
}
