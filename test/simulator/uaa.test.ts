import { describe, expect } from "vitest";
import { cfError, it, send, tokenFor } from "../support/index.js";

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const cfBasic = `Basic ${Buffer.from("cf:").toString("base64")}`;
const formHeaders = { "content-type": "application/x-www-form-urlencoded" };

interface Claims {
  user_id?: string;
  exp: number;
  iat: number;
}
interface TokenBody {
  access_token: string;
  refresh_token?: string;
  jti: string;
}

function claims(jwt: string): Claims {
  const payload = jwt.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Claims;
}

describe("simulated UAA", () => {
  it("issues a password-grant token with exp, scope, user_id and user_name", async ({
    startSim,
  }) => {
    const sim = await startSim({ tokenTtlSeconds: 600 });
    const answer = await send(`${sim.uaaUrl}/oauth/token`, {
      method: "POST",
      headers: { ...formHeaders, authorization: cfBasic },
      body: form({ grant_type: "password", username: "developer", password: "developer-password" }),
    });
    expect(answer.status).toBe(200);
    const body = answer.body as TokenBody;
    expect(body).toMatchObject({
      token_type: "bearer",
      expires_in: 600,
      scope: "openid cloud_controller.read cloud_controller.write",
    });
    expect(typeof body.refresh_token).toBe("string");
    const access = claims(body.access_token);
    expect(access).toMatchObject({
      user_name: "developer",
      client_id: "cf",
      scope: ["openid", "cloud_controller.read", "cloud_controller.write"],
      jti: body.jti,
    });
    expect(access.user_id).toEqual(expect.any(String));
    expect(access.exp - access.iat).toBe(600);
  });

  it("refuses a wrong password with UAA's 401 Bad credentials", async ({ sim }) => {
    const answer = await send(`${sim.uaaUrl}/oauth/token`, {
      method: "POST",
      headers: { ...formHeaders, authorization: cfBasic },
      body: form({ grant_type: "password", username: "developer", password: "nope" }),
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: "unauthorized", error_description: "Bad credentials" });
  });

  it("refuses a password grant without Basic cf: as Bad credentials", async ({ sim }) => {
    const answer = await send(`${sim.uaaUrl}/oauth/token`, {
      method: "POST",
      headers: formHeaders,
      body: form({ grant_type: "password", username: "developer", password: "developer-password" }),
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: "unauthorized", error_description: "Bad credentials" });
  });

  it("refreshes with the refresh_token grant and the new token works", async ({ sim }) => {
    const first = await send(`${sim.uaaUrl}/oauth/token`, {
      method: "POST",
      headers: { ...formHeaders, authorization: cfBasic },
      body: form({ grant_type: "password", username: "developer", password: "developer-password" }),
    });
    const refreshToken = (first.body as { refresh_token: string }).refresh_token;
    await sim.control.expireTokens();
    const refreshed = await send(`${sim.uaaUrl}/oauth/token`, {
      method: "POST",
      headers: { ...formHeaders, authorization: cfBasic },
      body: form({ grant_type: "refresh_token", refresh_token: refreshToken }),
    });
    expect(refreshed.status).toBe(200);
    const access = (refreshed.body as { access_token: string }).access_token;
    const answer = await send(`${sim.url}/v3/deployments`, {
      headers: { authorization: `bearer ${access}` },
    });
    expect(answer.status).toBe(200);
  });

  it("refuses a bad refresh token with 401 invalid_token", async ({ sim }) => {
    const answer = await send(`${sim.uaaUrl}/oauth/token`, {
      method: "POST",
      headers: { ...formHeaders, authorization: cfBasic },
      body: form({ grant_type: "refresh_token", refresh_token: "garbage" }),
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      error: "invalid_token",
      error_description: "The token expired, was revoked, or the token ID is incorrect.",
    });
  });

  it("issues client_credentials tokens with client_id and no refresh token", async ({ sim }) => {
    const answer = await send(`${sim.uaaUrl}/oauth/token`, {
      method: "POST",
      headers: formHeaders,
      body: form({
        grant_type: "client_credentials",
        client_id: "promoter",
        client_secret: "promoter-secret",
      }),
    });
    expect(answer.status).toBe(200);
    const body = answer.body as TokenBody;
    expect(body.refresh_token).toBeUndefined();
    const access = claims(body.access_token);
    expect(access).toMatchObject({ client_id: "promoter", sub: "promoter" });
    expect(access.user_id).toBeUndefined();
  });

  it("refuses a wrong client secret with 401 unauthorized", async ({ sim }) => {
    const answer = await send(`${sim.uaaUrl}/oauth/token`, {
      method: "POST",
      headers: formHeaders,
      body: form({ grant_type: "client_credentials", client_id: "promoter", client_secret: "x" }),
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: "unauthorized", error_description: "Bad credentials" });
  });

  it("rejects an unsupported grant type with 400", async ({ sim }) => {
    const answer = await send(`${sim.uaaUrl}/oauth/token`, {
      method: "POST",
      headers: formHeaders,
      body: form({ grant_type: "implicit" }),
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: "unsupported_grant_type",
      error_description: "Unsupported grant type: implicit",
    });
  });

  it("makes every issued access token invalid after POST /_sim/tokens/expire", async ({ sim }) => {
    const token = await tokenFor(sim, "developer");
    await sim.control.expireTokens();
    const answer = await send(`${sim.url}/v3/deployments`, {
      headers: { authorization: `bearer ${token}` },
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(cfError(1000, "CF-InvalidAuthToken", "Invalid Auth Token"));
  });

  it("expires access tokens when the clock passes exp", async ({ startSim }) => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const sim = await startSim({ now: () => now, tokenTtlSeconds: 60 });
    const token = await tokenFor(sim, "developer");
    now += 59_000;
    const fresh = await send(`${sim.url}/v3/deployments`, {
      headers: { authorization: `bearer ${token}` },
    });
    expect(fresh.status).toBe(200);
    now += 1_000;
    const stale = await send(`${sim.url}/v3/deployments`, {
      headers: { authorization: `bearer ${token}` },
    });
    expect(stale.status).toBe(401);
    expect(stale.body).toEqual(cfError(1000, "CF-InvalidAuthToken", "Invalid Auth Token"));
  });
});
