import { request } from "node:https";
import { describe, expect } from "vitest";
import { it } from "../support/index.js";

interface TlsAnswer {
  status: number;
  body: unknown;
}

/** One HTTPS request through `node:https`, trusting `ca` when given (fetch takes no CA). */
function httpsCall(
  url: string,
  options: {
    ca?: string | undefined;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
  } = {},
): Promise<TlsAnswer> {
  return new Promise((resolve, reject) => {
    const { body, ...rest } = options;
    const req = request(url, { agent: false, ...rest }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
        });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("tls: true", () => {
  it("serves the API over HTTPS to a client that trusts caCertificate", async ({ startSim }) => {
    const sim = await startSim({ tls: true });
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.uaaUrl).toBe(`${sim.url}/uaa`);
    expect(sim.caCertificate).toMatch(
      /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/,
    );
    const root = await httpsCall(`${sim.url}/`, { ca: sim.caCertificate });
    expect(root.status).toBe(200);
    expect(root.body).toMatchObject({
      links: { self: { href: sim.url }, uaa: { href: sim.uaaUrl } },
    });
    const byName = sim.url.replace("127.0.0.1", "localhost");
    expect((await httpsCall(`${byName}/v3/info`, { ca: sim.caCertificate })).status).toBe(200);
  });

  it("refuses a client that does not trust the certificate", async ({ startSim }) => {
    const sim = await startSim({ tls: true });
    await expect(httpsCall(`${sim.url}/v3/info`)).rejects.toMatchObject({
      code: "DEPTH_ZERO_SELF_SIGNED_CERT",
      message: "self-signed certificate",
    });
  });

  it("serves the UAA and the control API over HTTPS too", async ({ startSim }) => {
    const sim = await startSim({ tls: true });
    const promoter = sim.clients["promoter"];
    const token = await httpsCall(`${sim.uaaUrl}/oauth/token`, {
      ca: sim.caCertificate,
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: promoter?.clientId ?? "",
        client_secret: promoter?.clientSecret ?? "",
      }).toString(),
    });
    expect(token.status).toBe(200);
    expect(token.body).toHaveProperty("access_token");
    await sim.control.tick();
    expect((await sim.control.requests()).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      "POST /uaa/oauth/token 200",
    ]);
  });

  it("serves plain HTTP without a certificate by default", async ({ sim }) => {
    expect(sim.url).toMatch(/^http:\/\//);
    expect(sim.caCertificate).toBeUndefined();
  });
});
