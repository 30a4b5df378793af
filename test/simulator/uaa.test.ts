/**
 * The simulator's UAA: grants, token shape and error bodies (UAA `docs/UAA-Tokens.md`, cf CLI `api/uaa/`).
 */
import { describe, expect } from "vitest";
import {
  call,
  expectCfError,
  invalidAuthToken,
  it,
  jwtClaims,
  seededClient,
  seededUser,
  send,
  type TokenResponse,
  tokenFor,
  tokenRequest,
} from "../support/index.js";

// The cf CLI authenticates its password and refresh grants as client `cf` with an empty secret.
const CF = { user: "cf", password: "" };

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
  const badCredentials = { error: "unauthorized", error_description: "Bad credentials" };
  const unauthorized = expect.objectContaining({ error: "unauthorized" });
  const refresh = {
    error: "invalid_token",
    error_description: "The token expired, was revoked, or the token ID is incorrect.",
  };
  const unsupported = {
    error: "unsupported_grant_type",
    error_description: "Unsupported grant type: implicit",
  };
  // [what, the form as a query string, Basic cf: or not, status, body]
  it.for<[string, string, typeof CF | undefined, number, unknown]>([
    [
      "a password grant without Basic cf:",
      "grant_type=password&username=developer&password=developer-password",
      undefined,
      401,
      badCredentials,
    ],
    [
      "a wrong password",
      "grant_type=password&username=developer&password=wrong",
      CF,
      401,
      badCredentials,
    ],
    ["an unknown user", "grant_type=password&username=nobody&password=x", CF, 401, unauthorized],
    ["a bad refresh token", "grant_type=refresh_token&refresh_token=garbage", CF, 401, refresh],
    [
      "a wrong client secret",
      "grant_type=client_credentials&client_id=promoter&client_secret=x",
      undefined,
      401,
      badCredentials,
    ],
    [
      "an unknown client",
      "grant_type=client_credentials&client_id=nobody&client_secret=x",
      undefined,
      401,
      unauthorized,
    ],
    ["an unsupported grant type", "grant_type=implicit", undefined, 400, unsupported],
  ])("refuses %s with %i", async ([, query, basic, status, body], { sim }) => {
    const answer = await tokenRequest(sim, Object.fromEntries(new URLSearchParams(query)), basic);
    expect(answer.status).toBe(status);
    expect(answer.json).toEqual(body);
  });

  it("issues a password-grant token with exp, scope, user_id and user_name", async ({
    startSim,
  }) => {
    const sim = await startSim({ tokenTtlSeconds: 600 });
    const answer = await tokenRequest(
      sim,
      { grant_type: "password", username: "developer", password: "developer-password" },
      CF,
    );
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
    expectCfError(stale, invalidAuthToken);
  });
});

describe("UAA token endpoint", () => {
  it("issues a bearer JWT to the password grant with Basic cf: and the fields UAA returns", async ({
    sim,
    time,
  }) => {
    const developer = seededUser(sim, "developer");
    if (developer === undefined) throw new Error("no developer");
    const before = Math.floor(time.now() / 1000);
    const result = await tokenRequest(
      sim,
      { grant_type: "password", username: developer.username, password: developer.password },
      CF,
    );
    expect(result.status, result.text).toBe(200);
    expect(result.headers.get("content-type")).toMatch(/^application\/json/);
    const body = result.json as TokenResponse;
    expect(body).toEqual(
      expect.objectContaining({
        access_token: expect.any(String),
        token_type: "bearer",
        refresh_token: expect.any(String),
        expires_in: expect.any(Number),
        scope: expect.any(String),
        jti: expect.any(String),
      }),
    );
    expect(body.expires_in).toBeGreaterThan(1190);
    expect(body.expires_in).toBeLessThanOrEqual(1200);
    const scopes = String(body.scope).split(" ");
    expect(scopes).toEqual(
      expect.arrayContaining(["cloud_controller.read", "cloud_controller.write"]),
    );
    const claims = jwtClaims(String(body.access_token));
    expect(claims).toEqual(
      expect.objectContaining({
        user_id: expect.any(String),
        client_id: "cf",
        user_name: developer.username,
        scope: expect.arrayContaining(["cloud_controller.read", "cloud_controller.write"]),
        exp: expect.any(Number),
      }),
    );
    expect(Number(claims.exp)).toBeGreaterThanOrEqual(before + 1190);
    expect(Number(claims.exp)).toBeLessThanOrEqual(before + 1202);
  });

  it("honours tokenTtlSeconds in expires_in and exp", async ({ startSim, time }) => {
    const sim = await startSim({ tokenTtlSeconds: 90 });
    const admin = seededUser(sim, "admin");
    if (admin === undefined) throw new Error("no admin");
    const result = await tokenRequest(
      sim,
      { grant_type: "password", username: admin.username, password: admin.password },
      CF,
    );
    const body = result.json as { expires_in: number; access_token: string };
    expect(body.expires_in).toBeGreaterThan(80);
    expect(body.expires_in).toBeLessThanOrEqual(90);
    const exp = Number(jwtClaims(body.access_token).exp);
    expect(exp - Math.floor(time.now() / 1000)).toBeLessThanOrEqual(91);
  });

  it("gives the admin cloud_controller.admin and the reader no cloud_controller.write", async ({
    sim,
  }) => {
    const scopesOf = async (user: string) => {
      const creds = sim.users[user];
      if (creds === undefined) throw new Error(`no ${user}`);
      const result = await tokenRequest(
        sim,
        { grant_type: "password", username: creds.username, password: creds.password },
        CF,
      );
      return jwtClaims((result.json as { access_token: string }).access_token).scope as string[];
    };
    expect(await scopesOf("admin")).toContain("cloud_controller.admin");
    const reader = await scopesOf("reader");
    expect(reader).toContain("cloud_controller.read");
    expect(reader).not.toContain("cloud_controller.write");
    expect(await scopesOf("developer")).not.toContain("cloud_controller.admin");
  });

  it("refreshes with grant_type=refresh_token and Basic cf:, yielding a working token", async ({
    sim,
  }) => {
    const creds = seededUser(sim, "developer");
    if (creds === undefined) throw new Error("no developer");
    const first = await tokenRequest(
      sim,
      { grant_type: "password", username: creds.username, password: creds.password },
      CF,
    );
    const { refresh_token: refreshToken } = first.json as { refresh_token: string };
    await sim.control.expireTokens();
    const refreshed = await tokenRequest(
      sim,
      { grant_type: "refresh_token", refresh_token: refreshToken },
      CF,
    );
    expect(refreshed.status, refreshed.text).toBe(200);
    const body = refreshed.json as {
      access_token: string;
      token_type: string;
      refresh_token: string;
    };
    expect(body.token_type).toBe("bearer");
    expect(typeof body.refresh_token).toBe("string");
    const api = await call(sim, "GET", "/v3/deployments", { token: body.access_token });
    expect(api.status, api.text).toBe(200);
  });

  it("issues a client-credentials token with client_id and no user_id or refresh token", async ({
    sim,
  }) => {
    const promoter = seededClient(sim, "promoter");
    if (promoter === undefined) throw new Error("no promoter client");
    const result = await tokenRequest(sim, {
      grant_type: "client_credentials",
      client_id: promoter.clientId,
      client_secret: promoter.clientSecret,
    });
    expect(result.status, result.text).toBe(200);
    const body = result.json as TokenResponse;
    expect(body.token_type).toBe("bearer");
    expect(body.refresh_token).toBeUndefined();
    const claims = jwtClaims(String(body.access_token));
    expect(claims).toMatchObject({ client_id: promoter.clientId, sub: promoter.clientId });
    expect(claims.user_id).toBeUndefined();
    expect(claims.scope).toEqual(expect.arrayContaining(["cloud_controller.write"]));
  });

  it("serves the token endpoint at the login link advertised by GET /, as the cf CLI uses it", async ({
    sim,
  }) => {
    const root = await call(sim, "GET", "/");
    const links = (root.json as { links: Record<string, { href: string }> }).links;
    const creds = seededUser(sim, "developer");
    if (creds === undefined) throw new Error("no developer");
    for (const name of ["login", "uaa"]) {
      const result = await tokenRequest(
        sim,
        { grant_type: "password", username: creds.username, password: creds.password },
        CF,
        links[name]?.href,
      );
      expect(result.status, `${name}: ${result.text}`).toBe(200);
    }
  });

  it("issues tokens the API accepts, and rejects them once expired", async ({ sim }) => {
    const creds = seededUser(sim, "developer");
    if (creds === undefined) throw new Error("no developer");
    const result = await tokenRequest(
      sim,
      { grant_type: "password", username: creds.username, password: creds.password },
      CF,
    );
    const token = (result.json as { access_token: string }).access_token;
    expect((await call(sim, "GET", "/v3/deployments", { token })).status).toBe(200);
    await sim.control.expireTokens();
    const expired = await call(sim, "GET", "/v3/deployments", { token });
    expect(expired.json).toEqual({
      errors: [{ detail: "Invalid Auth Token", title: "CF-InvalidAuthToken", code: 1000 }],
    });
    expect(expired.status).toBe(401);
  });
});

describe("UAA token endpoint: cf CLI variants", () => {
  it("accepts the password grant with a login_hint origin query, as cf login --origin sends", async ({
    sim,
  }) => {
    const creds = seededUser(sim, "developer");
    const hint = encodeURIComponent(JSON.stringify({ origin: "uaa" }));
    const response = await fetch(`${sim.uaaUrl}/oauth/token?login_hint=${hint}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: `Basic ${Buffer.from("cf:").toString("base64")}`,
      },
      body: new URLSearchParams({
        grant_type: "password",
        username: creds.username,
        password: creds.password,
      }).toString(),
    });
    expect(response.status).toBe(200);
    await response.text();
  });
});
