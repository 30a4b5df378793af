import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Agent } from "undici";
import { describe, expect } from "vitest";
import {
  type CredentialSource,
  createCloudFoundryClient,
  isCloudFoundryError,
} from "../../src/client/index.js";
import { test } from "../support/client-fixture.js";
import {
  closeServer,
  makeJwt,
  rejectionOf,
  type SeenRequest,
  webDeployment,
} from "../support/index.js";

const pkg = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as {
  name: string;
  version: string;
};

/** A minimal deployment body, enough for the schema. */
function deploymentJson(guid: string) {
  return {
    guid,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    status: {
      value: "ACTIVE",
      reason: "PAUSED",
      details: {
        last_successful_healthcheck: "2026-01-01T00:00:00Z",
        last_status_change: "2026-01-01T00:00:00Z",
      },
      canary: { steps: { current: 1, total: 2 } },
    },
    strategy: "canary",
    options: { max_in_flight: 1 },
    droplet: { guid: "droplet-new" },
    previous_droplet: { guid: "droplet-old" },
    new_processes: [{ guid: "process-new", type: "web" }],
    revision: null,
    relationships: { app: { data: { guid: "app-1" } } },
    metadata: { labels: {}, annotations: {} },
    links: { self: { href: "https://elsewhere.example/v3/deployments/x" } },
  };
}

// `apiAndUaa(uaaHref?)`: a tiny UAA on its own origin and a tiny API whose root document points
// at it (or at `uaaHref(uaaUrl)`), and `clientOf(credentials)` for that API, closed after the test.
const it = test.extend(
  "apiAndUaa",
  ({ tinyServer, onTestFinished }) =>
    async (uaaHref?: (uaaUrl: string) => string) => {
      const accessToken = makeJwt({
        exp: Math.floor(Date.now() / 1000) + 3600,
        user_name: "developer",
      });
      const uaa = await tinyServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            access_token: accessToken,
            token_type: "bearer",
            refresh_token: "rt-1",
            expires_in: 3600,
          }),
        );
      });
      const api = await tinyServer((req, res) => {
        res.writeHead(200, { "content-type": "application/json", "x-vcap-request-id": "req-1" });
        if (req.url === "/") {
          const href = uaaHref?.(uaa.url) ?? uaa.url;
          res.end(
            JSON.stringify({ links: { self: { href: "x" }, login: { href }, uaa: { href } } }),
          );
        } else {
          res.end(JSON.stringify(deploymentJson("d1")));
        }
      });
      const clientOf = (credentials: CredentialSource) => {
        const client = createCloudFoundryClient({ apiUrl: api.url, credentials });
        onTestFinished(() => client.close());
        return client;
      };
      return { api, uaa, accessToken, clientOf };
    },
);

const headersOf = (seen: SeenRequest[]) =>
  seen.map((r) => ({
    url: r.url,
    authorization: r.headers.authorization,
    ua: r.headers["user-agent"],
  }));

describe("transport", () => {
  it("sends the bearer token only to the API origin; UAA gets Basic cf: and a form, GET / nothing", async ({
    apiAndUaa,
  }) => {
    const { api, uaa, accessToken, clientOf } = await apiAndUaa();
    const client = clientOf({ kind: "password", username: "developer", password: "pw-1234" });
    await client.getDeployment("d1");
    const ua = `${pkg.name}/${pkg.version} (node ${process.versions.node}; undici)`;
    expect(headersOf(api.seen)).toEqual([
      { url: "/", authorization: undefined, ua },
      { url: "/v3/deployments/d1", authorization: `bearer ${accessToken}`, ua },
    ]);
    expect(api.seen[1]?.headers.accept).toBe("application/json");
    expect(headersOf(uaa.seen)).toEqual([
      { url: "/oauth/token", authorization: `Basic ${Buffer.from("cf:").toString("base64")}`, ua },
    ]);
    expect(uaa.seen[0]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(uaa.seen[0]?.body))).toEqual({
      grant_type: "password",
      username: "developer",
      password: "pw-1234",
    });
  });

  it("sends the identity-provider origin as login_hint, as cf login --origin does", async ({
    apiAndUaa,
  }) => {
    const { uaa, clientOf } = await apiAndUaa();
    const client = clientOf({
      kind: "password",
      username: "u",
      password: "p-secret",
      origin: "ldap",
    });
    await client.getDeployment("d1");
    expect(uaa.seen[0]?.url).toBe(
      `/oauth/token?login_hint=${encodeURIComponent('{"origin":"ldap"}')}`,
    );
  });

  it("sends client credentials in the form without a Basic header", async ({ apiAndUaa }) => {
    const { uaa, clientOf } = await apiAndUaa();
    const client = clientOf({
      kind: "clientCredentials",
      clientId: "promoter",
      clientSecret: "s3cret-value",
    });
    await client.getDeployment("d1");
    expect(uaa.seen[0]?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(uaa.seen[0]?.body))).toEqual({
      grant_type: "client_credentials",
      client_id: "promoter",
      client_secret: "s3cret-value",
    });
  });

  it("refuses a discovered UAA URL on plain http to another host", async ({ apiAndUaa }) => {
    const { clientOf } = await apiAndUaa(() => "http://uaa.example.com");
    const client = clientOf({ kind: "password", username: "u", password: "p-secret" });
    const error = await rejectionOf(client.getDeployment("d1"));
    expect(isCloudFoundryError(error, "CF_CONFIG_ERROR")).toBe(true);
    expect(error.message).toBe(
      "links.login.href of GET / http://uaa.example.com uses plain http:// to a host that is not loopback, which would send credentials unencrypted; use https:// or set allowInsecureHttp: true.",
    );
  });

  it("keeps connections alive across requests", async ({ tokenClient, apiAndUaa }) => {
    const { api } = await apiAndUaa();
    const client = tokenClient(api.url);
    for (let i = 0; i < 6; i++) await client.getDeployment("d1");
    expect(api.seen).toHaveLength(6);
    // undici's pool may open a second socket while the first is finishing a response.
    expect(api.connections()).toBeLessThanOrEqual(2);
  });

  it("closes its own dispatcher on close() and refuses further calls", async ({ apiAndUaa }) => {
    const { api } = await apiAndUaa();
    const client = createCloudFoundryClient({
      apiUrl: api.url,
      credentials: { kind: "accessToken", accessToken: "opaque-token" },
    });
    await client.getDeployment("d1");
    await client.close();
    await client.close();
    const error = await rejectionOf(client.getDeployment("d1"));
    expect(error.message).toBe("This Cloud Foundry client was closed; create a new one.");
  });

  it("leaves an injected dispatcher open on close()", async ({ onTestFinished, apiAndUaa }) => {
    const { api } = await apiAndUaa();
    const dispatcher = new Agent();
    onTestFinished(() => dispatcher.close());
    const client = createCloudFoundryClient({
      apiUrl: api.url,
      credentials: { kind: "accessToken", accessToken: "opaque-token" },
      dispatcher,
    });
    await client.getDeployment("d1");
    await client.close();
    expect(dispatcher.closed).toBe(false);
    const response = await dispatcher.request({
      origin: api.url,
      path: "/v3/deployments/d1",
      method: "GET",
    });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
  });

  it("passes decoded X-Cf-Warnings to the logger", async ({ sim, client, log }) => {
    const guid = webDeployment(sim);
    await sim.control.addFault({
      method: "GET",
      path: `/v3/deployments/${guid}`,
      headers: { "X-Cf-Warnings": "Your+CLI+version+is+outdated%2C+please+upgrade,second+warning" },
    });
    await client.getDeployment(guid);
    expect(log.warnings).toEqual([
      `Cloud Controller warning (GET /v3/deployments/${guid}): Your CLI version is outdated, please upgrade`,
      `Cloud Controller warning (GET /v3/deployments/${guid}): second warning`,
    ]);
  });
});

describe("X-Cf-Warnings over HTTP", () => {
  it("logs every warning of repeated X-Cf-Warnings headers, split on commas and %2C kept inside", async ({
    tinyServer,
  }) => {
    const server = await tinyServer((_req, res) => {
      res.setHeader("x-cf-warnings", ["first%2C+with+a+comma,second", "third+one"]);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ links: {} }));
    });
    const warnings: string[] = [];
    const client = createCloudFoundryClient({
      apiUrl: server.url,
      credentials: { kind: "accessToken", accessToken: "opaque-token" },
      logger: { warn: (line) => warnings.push(line) },
    });
    await client.getRoot();
    await client.close();
    expect(warnings).toEqual([
      "Cloud Controller warning (GET /): first, with a comma",
      "Cloud Controller warning (GET /): second",
      "Cloud Controller warning (GET /): third one",
    ]);
  });
});

describe("TLS", () => {
  // A self-signed certificate for localhost/127.0.0.1, valid for 100 years, made for these tests
  // with `openssl req -x509 … -addext subjectAltName=DNS:localhost,IP:127.0.0.1`.
  const cert = readFileSync(join(__dirname, "fixtures/localhost-cert.pem"), "utf8");
  const key = readFileSync(join(__dirname, "fixtures/localhost-key.pem"), "utf8");

  async function httpsApi(onTestFinished: (cleanup: () => Promise<void>) => void): Promise<string> {
    const server = createHttpsServer({ cert, key }, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(deploymentJson("d1")));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => closeServer(server));
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("verifies certificates by default and does not retry a verification failure", async ({
    time,
    tokenClient,
    onTestFinished,
  }) => {
    const apiUrl = await httpsApi(onTestFinished);
    const client = tokenClient(apiUrl, {
      sleep: time.sleep,
    });
    const error = await rejectionOf(client.getDeployment("d1"));
    expect(isCloudFoundryError(error, "CF_NETWORK_ERROR")).toBe(true);
    expect(error).toMatchObject({ networkCode: "DEPTH_ZERO_SELF_SIGNED_CERT", attempts: 1 });
    expect(error.message).toMatch(/^GET \/v3\/deployments\/d1 failed: self-signed certificate/);
    expect(time.sleeps).toEqual([]);
  });

  it("trusts a custom CA bundle", async ({ tokenClient, onTestFinished }) => {
    const apiUrl = await httpsApi(onTestFinished);
    const client = tokenClient(apiUrl, {
      caCertificates: cert,
    });
    expect((await client.getDeployment("d1")).guid).toBe("d1");
  });

  it("skips verification only when asked, and warns once", async ({
    log,
    tokenClient,
    onTestFinished,
  }) => {
    const apiUrl = await httpsApi(onTestFinished);
    const client = tokenClient(apiUrl, {
      skipSslValidation: true,
      logger: log.logger,
    });
    await client.getDeployment("d1");
    await client.getDeployment("d1");
    expect(log.warnings).toEqual([
      `TLS certificate verification is off for ${apiUrl} (skipSslValidation); anyone on the network path can read the credentials. Prefer caCertificates.`,
    ]);
  });
});
