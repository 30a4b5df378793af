import type { ServerResponse } from "node:http";
import { inspect } from "node:util";
import { describe, expect } from "vitest";
import { createCloudFoundryClient } from "../../src/client/index.js";
import { it } from "../support/client-fixture.js";
import { passwordGrant, rejectionOf, uaaRefusesToken, webDeployment } from "../support/index.js";

const PASSWORD = "Pa55-SECRET-password-7f3a";
const CLIENT_SECRET = "client-SECRET-9b1c";
const REFRESH_TOKEN = "refresh-SECRET-token-44d2";

/** Every way an error can be shown: message, String(), JSON, inspect (with the cause chain). */
function renderings(error: Error): string[] {
  const out = [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10 })];
  let cause: unknown = error.cause;
  while (cause instanceof Error) {
    out.push(cause.message, String(cause), cause.stack ?? "", inspect(cause, { depth: 10 }));
    cause = cause.cause;
  }
  return out;
}

function expectClean(texts: string[], secrets: string[]): void {
  const all = texts.join("\n");
  for (const secret of secrets) expect(all).not.toContain(secret);
  // Every token the simulator issues is a JWT.
  expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
}

describe("secrets never leak", () => {
  it("keeps passwords, client secrets, refresh and access tokens out of errors and log lines", async ({
    sim,
    log,
    makeClient,
  }) => {
    const guid = webDeployment(sim);
    const path = `/v3/deployments/${guid}`;
    const direct = await passwordGrant(sim, "developer");
    const errors: Error[] = [];

    // A wrong password.
    const wrongPassword = makeClient({
      credentials: { kind: "password", username: "developer", password: PASSWORD },
    });
    errors.push(await rejectionOf(wrongPassword.getDeployment(guid)));

    // A wrong client secret.
    const wrongClient = makeClient({
      credentials: { kind: "clientCredentials", clientId: "promoter", clientSecret: CLIENT_SECRET },
    });
    errors.push(await rejectionOf(wrongClient.getDeployment(guid)));

    // UAA echoing the rejected refresh token (it does: "Invalid refresh token (expired): …").
    await sim.control.addFault(
      uaaRefusesToken(`Invalid refresh token (expired): ${REFRESH_TOKEN}`),
    );
    const refresher = makeClient({
      credentials: { kind: "refreshToken", refreshToken: REFRESH_TOKEN },
    });
    errors.push(await rejectionOf(refresher.getDeployment(guid)));

    // A proxy and the Cloud Controller echoing the bearer token and the password back.
    const staticClient = makeClient({
      credentials: { kind: "accessToken", accessToken: direct.access_token },
      retry: { maxAttempts: 1 },
    });
    const passwordClient = makeClient();
    await sim.control.addFault({
      method: "GET",
      path,
      status: 502,
      headers: { "Content-Type": "text/html" },
      body: `<html>upstream said Authorization: bearer ${direct.access_token}</html>`,
    });
    errors.push(await rejectionOf(staticClient.getDeployment(guid)));
    await sim.control.addFault({
      method: "GET",
      path,
      status: 422,
      body: {
        errors: [
          {
            code: 10008,
            title: "CF-UnprocessableEntity",
            detail: `token ${direct.access_token} refresh ${direct.refresh_token} password ${sim.users["developer"]?.password}`,
          },
        ],
      },
    });
    errors.push(await rejectionOf(passwordClient.getDeployment(guid)));

    // A 401 twice, with the token in the detail, and a warning header carrying it.
    await sim.control.addFault({
      method: "GET",
      path,
      status: 401,
      times: 2,
      headers: { "X-Cf-Warnings": encodeURIComponent(`your token ${direct.access_token} is odd`) },
      body: {
        errors: [
          {
            code: 1000,
            title: "CF-InvalidAuthToken",
            detail: `Invalid Auth Token ${direct.access_token}`,
          },
        ],
      },
    });
    errors.push(await rejectionOf(passwordClient.getDeployment(guid)));

    // A continue whose outcome is unknown because the read-back fails too.
    await sim.control.tick();
    const expected = await passwordClient.getDeployment(guid);
    await sim.control.addFault({
      method: "POST",
      path: `${path}/actions/continue`,
      reset: "after",
    });
    await sim.control.addFault({ method: "GET", path, status: 503, times: 10 });
    errors.push(await rejectionOf(passwordClient.continueDeployment(guid, { expected })));

    expect(errors).toHaveLength(7);
    for (const error of errors) expect(error.message).not.toBe("");
    const secrets = [
      PASSWORD,
      CLIENT_SECRET,
      REFRESH_TOKEN,
      direct.access_token,
      direct.refresh_token,
      sim.users["developer"]?.password ?? "",
    ];
    expectClean(errors.flatMap(renderings), secrets);
    expectClean([...log.warnings, ...log.debug], secrets);
    expect(log.warnings.some((line) => line.includes("your token [REDACTED] is odd"))).toBe(true);
    expect(
      [wrongPassword, wrongClient, refresher, staticClient, passwordClient].map(
        (client) => client.credentialSourceDescription,
      ),
    ).toEqual([
      "password grant for user 'developer'",
      "client credentials for client 'promoter'",
      "refresh token",
      "static access token",
      "password grant for user 'developer'",
    ]);
  });
});

describe("secrets echoed by a server", () => {
  it("keeps an opaque token a server echoes in headers or an error title out of every error", async ({
    tinyServer,
  }) => {
    // Not JWT-shaped, so only the registered-secret redaction can catch it.
    const token = "opaque-SECRET-access-token-5e6f";
    const responses = [
      // An HTML 500 whose request id and content type carry the token.
      (res: ServerResponse, echoed: string) => {
        res.writeHead(500, { "x-vcap-request-id": echoed, "content-type": `text/${echoed}` });
        res.end("oops");
      },
      // A V3 error whose title carries it.
      (res: ServerResponse, echoed: string) => {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ code: 10010, title: echoed, detail: "not found" }] }));
      },
      // A 429 whose Retry-After carries it.
      (res: ServerResponse, echoed: string) => {
        res.writeHead(429, { "retry-after": echoed, "content-type": "application/json" });
        res.end(
          JSON.stringify({
            errors: [{ code: 10013, title: "CF-RateLimitExceeded", detail: "Rate Limit Exceeded" }],
          }),
        );
      },
    ];
    const server = await tinyServer((req, res) => {
      const echoed = (req.headers.authorization ?? "").replace(/^bearer /, "");
      responses.shift()?.(res, echoed);
    });
    const client = createCloudFoundryClient({
      apiUrl: server.url,
      credentials: { kind: "accessToken", accessToken: token },
      retry: { maxAttempts: 1 },
      logger: { warn: () => {} },
    });
    const errors: Error[] = [];
    for (let i = 0; i < 3; i++) errors.push(await rejectionOf(client.getDeployment("d1")));
    await client.close();
    expect(server.seen.map((r) => r.headers.authorization)).toEqual([
      `bearer ${token}`,
      `bearer ${token}`,
      `bearer ${token}`,
    ]);
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual([
      "CF_API_ERROR",
      "CF_API_ERROR",
      "CF_API_ERROR",
    ]);
    expectClean(errors.flatMap(renderings), [token]);
  });
  it("keeps the Basic credentials of a UAA client out of errors when UAA echoes them bare", async ({
    tinyServer,
  }) => {
    const clientSecret = "cli-SECRET-5566";
    const encoded = Buffer.from(`my-cli:${clientSecret}`).toString("base64");
    const server = await tinyServer((req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.url === "/") {
        res.end(JSON.stringify({ links: { login: { href: `${url}/login` } } }));
        return;
      }
      const echoed = (req.headers.authorization ?? "").replace(/^Basic /, "");
      res.writeHead(401);
      res.end(JSON.stringify({ error: "unauthorized", error_description: `client ${echoed}` }));
    });
    const url = server.url;
    const client = createCloudFoundryClient({
      apiUrl: url,
      credentials: {
        kind: "password",
        username: "dev",
        password: "pw-SECRET-1",
        clientId: "my-cli",
        clientSecret,
      },
      logger: { warn: () => {} },
    });
    const error = await rejectionOf(client.getDeployment("d1"));
    await client.close();
    expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /",
      "POST /login/oauth/token",
    ]);
    expect(server.seen[1]?.headers.authorization).toBe(`Basic ${encoded}`);
    expect(error.message).toContain("client [REDACTED]");
    expectClean(renderings(error), [clientSecret, encoded]);
  });
});
