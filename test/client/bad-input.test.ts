import { describe, expect } from "vitest";
import {
  type CloudFoundryClientOptions,
  createCloudFoundryClient,
  isCloudFoundryError,
} from "../../src/client/index.js";
import { loggedIn, test } from "../support/client-fixture.js";
import { rejectionOf, requestLines } from "../support/index.js";

// `errorFor(fault)`: the error of one GET of the deployment after `fault` was set on it, by a
// client that does not retry.
const it = test.extend(
  "errorFor",
  ({ sim, makeClient }) =>
    async (fault: Record<string, unknown>, options: Partial<CloudFoundryClientOptions> = {}) => {
      const client = makeClient({ retry: { maxAttempts: 1 }, ...options });
      const context = await loggedIn(sim, client);
      await sim.control.addFault({ method: "GET", path: context.path, ...fault });
      const error = await rejectionOf(client.getDeployment(context.guid));
      return { ...context, error };
    },
);

describe("bad input from the server", () => {
  it("names an HTML page sent with 200 as not JSON", async ({ errorFor }) => {
    const { error, path } = await errorFor({
      status: 200,
      headers: { "Content-Type": "text/html" },
      body: "<!DOCTYPE html><html><body><h1>Welcome to nginx</h1></body></html>",
    });
    expect(isCloudFoundryError(error, "CF_RESPONSE_ERROR")).toBe(true);
    expect(error.message).toBe(
      `GET ${path} → 200 with a body that is not valid JSON (an HTML page, e.g. from a proxy) where a Deployment was expected.`,
    );
    expect(error).toMatchObject({
      status: 200,
      method: "GET",
      path,
      requestId: expect.any(String),
    });
  });

  it("names an HTML error page from a proxy as such", async ({ errorFor }) => {
    const { error, path } = await errorFor({
      status: 502,
      headers: { "Content-Type": "text/html" },
      body: "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
    });
    expect(error.message).toBe(
      `GET ${path} → 502 Bad Gateway with an HTML page (a proxy or load balancer answered, not the Cloud Controller).`,
    );
    expect(error).toMatchObject({ code: "CF_API_ERROR", status: 502, cfCode: undefined });
  });

  it("names a truncated JSON body", async ({ sim, client, errorFor }) => {
    const { deployment } = await loggedIn(sim, client);
    const { error, path } = await errorFor({
      status: 200,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(deployment).slice(0, 120),
    });
    expect(isCloudFoundryError(error, "CF_RESPONSE_ERROR")).toBe(true);
    expect(error.message).toMatch(
      new RegExp(
        `^GET ${path} → 200 with a body that is not valid JSON \\(application/json; .+\\) where a Deployment was expected\\.$`,
      ),
    );
  });

  it("names an empty body where JSON is due", async ({ errorFor }) => {
    const { error, path } = await errorFor({ status: 200 });
    expect(error.message).toBe(
      `GET ${path} → 200 with an empty body where a Deployment was expected.`,
    );
  });

  it("names the failing field of schema-violating JSON", async ({ sim, client, errorFor }) => {
    const { deployment } = await loggedIn(sim, client);
    const { droplet: _dropped, ...withoutDroplet } = deployment;
    const { error, path } = await errorFor({ status: 200, body: withoutDroplet });
    expect(isCloudFoundryError(error, "CF_RESPONSE_ERROR")).toBe(true);
    expect(error).toMatchObject({ fieldPath: "droplet", status: 200 });
    expect(error.message).toMatch(
      new RegExp(
        `^GET ${path} → 200 with a Deployment that does not match the expected shape at droplet: .+\\.$`,
      ),
    );
  });

  it("refuses an unknown status.reason, showing the value", async ({ sim, client, errorFor }) => {
    const { deployment } = await loggedIn(sim, client);
    const body = { ...deployment, status: { ...deployment.status, reason: "EXPLODING" } };
    const { error, path } = await errorFor({ status: 200, body });
    expect(error).toMatchObject({ code: "CF_RESPONSE_ERROR", fieldPath: "status.reason" });
    expect(error.message).toMatch(
      new RegExp(
        `^GET ${path} → 200 with a Deployment that does not match the expected shape at status\\.reason: .+ \\(got "EXPLODING"\\)\\.$`,
      ),
    );
  });

  it("keeps every V3 error of a compound error", async ({ errorFor }) => {
    const { error, path } = await errorFor({
      status: 422,
      body: {
        errors: [
          { code: 10008, title: "CF-UnprocessableEntity", detail: "first problem" },
          { code: 10008, title: "CF-UnprocessableEntity", detail: "second problem" },
        ],
      },
    });
    expect(error.message).toBe(
      `GET ${path} → 422 CF-UnprocessableEntity (10008): first problem; CF-UnprocessableEntity (10008): second problem`,
    );
    expect((error as unknown as { errors: unknown[] }).errors).toHaveLength(2);
  });

  it("names a plain-text error body as not a Cloud Controller error", async ({ errorFor }) => {
    const { error, path } = await errorFor({ status: 404, body: "404 page not found" });
    expect(error.message).toBe(
      `GET ${path} → 404 Not Found with a text/plain body that is not a Cloud Controller error.`,
    );
  });

  it("does not follow a redirect to another host, and nothing reaches that host", async ({
    sim,
    tinyServer,
    errorFor,
  }) => {
    const elsewhere = await tinyServer();
    const { error, path } = await errorFor({
      status: 302,
      headers: { Location: `${elsewhere.url}/v3/deployments/stolen?token=x` },
    });
    expect(isCloudFoundryError(error, "CF_RESPONSE_ERROR")).toBe(true);
    expect(error.message).toBe(
      `GET ${path} → 302 redirect to ${elsewhere.url} was not followed (the client never follows redirects, so credentials stay with ${sim.url}); check that the configured URL is the service's own URL.`,
    );
    expect(elsewhere.seen).toEqual([]);
    expect(await requestLines(sim)).toEqual([`GET ${path} 302`]);
  });

  it("never follows pagination links: page numbers are computed and sent to the configured API", async ({
    sim,
    client,
    tinyServer,
  }) => {
    const elsewhere = await tinyServer();
    const { deployment } = await loggedIn(sim, client);
    await sim.control.addFault({
      method: "GET",
      path: "/v3/deployments",
      status: 200,
      body: {
        pagination: {
          total_results: 2,
          total_pages: 2,
          first: { href: `${elsewhere.url}/v3/deployments?page=1` },
          last: { href: `${elsewhere.url}/v3/deployments?page=2` },
          next: { href: `${elsewhere.url}/v3/deployments?page=2` },
          previous: null,
        },
        resources: [deployment],
      },
    });
    const all = await client.listDeployments({ perPage: 1 });
    // Page 1 from the fault; page 2 from the simulator, which has only one deployment.
    expect(all.map((d) => d.guid)).toEqual([deployment.guid]);
    expect(await requestLines(sim)).toEqual([
      "GET /v3/deployments?per_page=1&page=1 200",
      "GET /v3/deployments?per_page=1&page=2 200",
    ]);
    expect(elsewhere.seen).toEqual([]);
  });

  it("stops reading a body larger than maxResponseBytes", async ({ errorFor }) => {
    const { error, path } = await errorFor(
      { status: 200, body: `{"padding":"${"x".repeat(10_000)}"}` },
      { maxResponseBytes: 4_096 },
    );
    expect(isCloudFoundryError(error, "CF_RESPONSE_ERROR")).toBe(true);
    expect(error.message).toBe(
      `GET ${path} → 200 with a body larger than the 4096 bytes limit (maxResponseBytes); it was not read.`,
    );
  });

  it("does not hang on an endless body: the default 8 MiB cap ends it", async ({
    tokenClient,
    tinyServer,
  }) => {
    const endless = await tinyServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {
          // keep writing until the socket pushes back
        }
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
    });
    const client = tokenClient(endless.url, {
      retry: { maxAttempts: 1 },
    });
    const error = await rejectionOf(client.getDeployment("d1"));
    expect(error.message).toBe(
      "GET /v3/deployments/d1 → 200 with a body larger than the 8 MiB limit (maxResponseBytes); it was not read.",
    );
  });

  it("refuses a declared Content-Length above the cap without reading the body", async ({
    tokenClient,
    tinyServer,
  }) => {
    const big = await tinyServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(1 << 30) });
      res.write("{");
    });
    const client = tokenClient(big.url, {
      retry: { maxAttempts: 1 },
    });
    const error = await rejectionOf(client.getDeployment("d1"));
    expect(error).toMatchObject({ code: "CF_RESPONSE_ERROR", status: 200 });
  });

  it("ends an attempt whose body trickles in without end within requestTimeoutMs, not at the size cap", async ({
    tinyServer,
  }) => {
    // undici's bodyTimeout is an idle timeout: a byte every 50 ms keeps it from ever firing.
    const server = await tinyServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
      const timer = setInterval(() => res.write(" "), 50);
      res.on("close", () => clearInterval(timer));
    });
    const client = createCloudFoundryClient({
      apiUrl: server.url,
      credentials: { kind: "accessToken", accessToken: "opaque-token" },
      requestTimeoutMs: 300,
      retry: { maxAttempts: 1 },
    });
    const started = Date.now();
    const error = await rejectionOf(client.getRoot());
    await client.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(isCloudFoundryError(error, "CF_TIMEOUT")).toBe(true);
    expect(error.message).toBe(
      `GET / timed out: the body did not arrive within 300 ms (ETIMEDOUT) (1 attempt); check that ${server.url} is reachable, or raise requestTimeoutMs.`,
    );
  }, 10_000);
});
