import { expect } from "vitest";
import type { FaultRule, SimulatorHandle } from "../../src/simulator/index.js";
import { type Answer, send } from "./http.js";

type Uaa = Pick<SimulatorHandle, "uaaUrl">;

/** POSTs a form to the simulator's UAA token endpoint (or to `base`'s). */
export function tokenRequest(
  sim: Uaa,
  form: Record<string, string>,
  basic?: { user: string; password: string },
  base?: string,
): Promise<Answer> {
  const headers: Record<string, string> = {
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
  };
  if (basic !== undefined) {
    headers["Authorization"] =
      `Basic ${Buffer.from(`${basic.user}:${basic.password}`).toString("base64")}`;
  }
  return send(`${base ?? sim.uaaUrl}/oauth/token`, {
    method: "POST",
    headers,
    body: new URLSearchParams(form).toString(),
  });
}

/** The UAA's whole answer to a password grant for a seeded user (Basic `cf:`, as `cf login`). */
export async function passwordGrant(
  sim: Pick<SimulatorHandle, "uaaUrl" | "users">,
  user: string,
): Promise<{ access_token: string; refresh_token: string }> {
  const creds = sim.users[user];
  if (creds === undefined) throw new Error(`the seed has no user '${user}'`);
  const answer = await tokenRequest(
    sim,
    { grant_type: "password", username: creds.username, password: creds.password },
    { user: "cf", password: "" },
  );
  expect(answer.status, `password grant for ${user}: ${answer.text}`).toBe(200);
  return answer.json as { access_token: string; refresh_token: string };
}

// Tokens are cached per simulator: a grant per request would flood the UAA in tick loops.
const tokenCache = new WeakMap<object, Map<string, string>>();

/** Forgets the cached tokens of a simulator, e.g. after `control.expireTokens()`. */
export function forgetTokens(sim: object): void {
  tokenCache.delete(sim);
}

/** A (cached) password-grant access token for a seeded user. */
export async function tokenFor(sim: SimulatorHandle, user: string): Promise<string> {
  let cache = tokenCache.get(sim);
  if (cache === undefined) {
    cache = new Map();
    tokenCache.set(sim, cache);
  }
  const cached = cache.get(user);
  if (cached !== undefined) return cached;
  const token = (await passwordGrant(sim, user)).access_token;
  cache.set(user, token);
  return token;
}

/** An access token for a seeded UAA client, from the client-credentials grant. */
export async function clientTokenFor(sim: SimulatorHandle, client: string): Promise<string> {
  const credentials = sim.clients[client];
  if (credentials === undefined) throw new Error(`the seed has no client '${client}'`);
  const result = await tokenRequest(sim, {
    grant_type: "client_credentials",
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  });
  expect(result.status, `client_credentials for ${client}: ${result.text}`).toBe(200);
  return (result.json as { access_token: string }).access_token;
}

/** The JWT claims the tests read. */
export interface JwtClaims {
  user_id?: string;
  client_id?: string;
  user_name?: string;
  sub?: string;
  scope?: string[];
  exp?: number;
  iat?: number;
  jti?: string;
}

/** A UAA token response. */
export interface TokenResponse {
  access_token?: string;
  token_type?: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
  jti?: string;
}

/** Decodes a JWT's claims without verifying it. */
export function jwtClaims(token: string): JwtClaims {
  const payload = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as JwtClaims;
}

/** An unsigned JWT with the given claims: enough for the client, which never verifies signatures. */
export function makeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.c2lnbmF0dXJl`;
}

/** A fault: the simulator's UAA refuses the next token request as an expired token. */
export function uaaRefusesToken(description: string): FaultRule {
  return {
    method: "POST",
    path: "/uaa/oauth/token",
    status: 401,
    body: { error: "invalid_token", error_description: description },
  };
}

/** A requester bound to one simulator and one user's token. */
export async function asUser(sim: SimulatorHandle, user: string) {
  const token = await tokenFor(sim, user);
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    send(`${sim.url}${path}`, {
      method,
      headers: {
        authorization: `bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
}

/** A seeded user's password-grant credentials. */
export function seededUser(sim: Pick<SimulatorHandle, "users">, name: string) {
  const creds = sim.users[name];
  if (creds === undefined) throw new Error(`the seed has no user '${name}'`);
  return creds;
}

/** A seeded UAA client's credentials. */
export function seededClient(sim: Pick<SimulatorHandle, "clients">, name: string) {
  const creds = sim.clients[name];
  if (creds === undefined) throw new Error(`the seed has no client '${name}'`);
  return creds;
}
