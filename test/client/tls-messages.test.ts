/**
 * TLS failures explained on one line, against the simulator's HTTPS (a certificate it makes at
 * start): which certificate problem, and what to do about it.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect } from "vitest";
import {
  type CloudFoundryClientOptions,
  createCloudFoundryClient,
} from "../../src/client/index.js";
import { tlsFailure } from "../../src/client/tls-failure.js";
import { seededUser, it as simTest } from "../support/index.js";
import { NOT_TLS_REFUSAL, SELF_SIGNED_REFUSAL, SKIP_SSL_WARNING } from "../support/tls-messages.js";

const it = simTest.override({ simOptions: { tls: true } });

/** What `getRoot()` of a developer client at `apiUrl` rejects with (or `ok`), and its warnings. */
async function rootOf(
  apiUrl: string,
  sim: Parameters<typeof seededUser>[0],
  options: Partial<CloudFoundryClientOptions> = {},
) {
  const user = seededUser(sim, "developer");
  const warnings: string[] = [];
  const client = createCloudFoundryClient({
    apiUrl,
    credentials: { kind: "password", username: user.username, password: user.password },
    logger: { warn: (message) => warnings.push(message) },
    ...options,
  });
  try {
    const outcome = await client.getRoot().then(
      () => "ok" as const,
      (error: unknown) => error as Error & Record<string, unknown>,
    );
    return { outcome, warnings };
  } finally {
    await client.close();
  }
}

describe("a client of an HTTPS server with a self-signed certificate", () => {
  it("refuses it by default, naming the problem and what to do", async ({ sim }) => {
    const { outcome } = await rootOf(sim.url, sim);
    expect(outcome).toMatchObject({
      code: "CF_NETWORK_ERROR",
      networkCode: "DEPTH_ZERO_SELF_SIGNED_CERT",
      message: SELF_SIGNED_REFUSAL(sim.url),
    });
  });

  it("works with the certificate in caCertificates, and warns of nothing", async ({ sim }) => {
    expect(await rootOf(sim.url, sim, { caCertificates: sim.caCertificate ?? "" })).toEqual({
      outcome: "ok",
      warnings: [],
    });
  });

  it("works with skipSslValidation, and warns that certificates go unchecked", async ({ sim }) => {
    expect(await rootOf(sim.url, sim, { skipSslValidation: true })).toEqual({
      outcome: "ok",
      warnings: [SKIP_SSL_WARNING(sim.url)],
    });
  });
});

describe("a certificate that does not name the host", () => {
  it("is refused with ERR_TLS_CERT_ALTNAME_INVALID and the same advice", async ({ sim }) => {
    // The fixture names localhost and 127.0.0.1; the client goes to ::1.
    const fixture = (name: string) => readFileSync(join(__dirname, "fixtures", name), "utf8");
    const server = createServer({
      cert: fixture("localhost-cert.pem"),
      key: fixture("localhost-key.pem"),
    });
    await new Promise<void>((resolve) => server.listen(0, "::1", resolve));
    try {
      const origin = `https://[::1]:${(server.address() as AddressInfo).port}`;
      const { outcome } = await rootOf(origin, sim, {
        caCertificates: fixture("localhost-cert.pem"),
      });
      expect(outcome).toMatchObject({ networkCode: "ERR_TLS_CERT_ALTNAME_INVALID" });
      expect((outcome as Error).message).toMatch(
        /^GET \/ failed: .+ \(ERR_TLS_CERT_ALTNAME_INVALID\): the server's TLS certificate does not name this host \(1 attempt\); trust the CA/,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("https:// to a plain-HTTP port", () => {
  const plain = simTest.override({ simOptions: {} });
  plain("says the server does not speak TLS, on one line", async ({ sim }) => {
    const origin = sim.url.replace("http:", "https:");
    const { outcome } = await rootOf(origin, sim);
    expect(outcome).toMatchObject({
      code: "CF_NETWORK_ERROR",
      message: NOT_TLS_REFUSAL(origin),
    });
  });
});

describe("tlsFailure", () => {
  simTest.each([
    ["CERT_HAS_EXPIRED", { kind: "certificate", problem: "has expired" }],
    [
      "SELF_SIGNED_CERT_IN_CHAIN",
      { kind: "certificate", problem: "chains up to a self-signed root that is not trusted" },
    ],
    [
      "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      {
        kind: "certificate",
        problem: expect.stringMatching(/^is signed by a CA that is not trusted/),
      },
    ],
    ["ERR_SSL_PACKET_LENGTH_TOO_LONG", { kind: "notTls" }],
    ["ECONNRESET", undefined],
  ])("reads %s", (code, failure) => {
    expect(tlsFailure(code)).toEqual(failure);
  });
});
