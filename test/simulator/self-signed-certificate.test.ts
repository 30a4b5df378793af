import { createPrivateKey, X509Certificate } from "node:crypto";
import { describe, expect } from "vitest";
import { createSelfSignedCertificate } from "../../src/simulator/http/self-signed-certificate.js";
import { it } from "../support/index.js";

describe("self-signed certificate", () => {
  it("parses as X.509, names the loopback addresses and verifies with its own key", () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    const { cert, key } = createSelfSignedCertificate({ now, validDays: 30 });
    const x509 = new X509Certificate(cert);
    expect(x509.subject).toBe("CN=cf-capi-sim");
    expect(x509.issuer).toBe("CN=cf-capi-sim");
    expect(x509.subjectAltName).toBe(
      "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
    );
    expect(x509.ca).toBe(true);
    expect(x509.checkHost("localhost")).toBe("localhost");
    expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(x509.checkIP("::1")).toBe("::1");
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(new Date(x509.validFrom).toISOString()).toBe("2026-02-28T12:00:00.000Z");
    expect(new Date(x509.validTo).toISOString()).toBe("2026-03-31T12:00:00.000Z");
    expect(x509.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: "prime256v1" });
  });

  it("makes a new key and serial number each time, and other names on request", () => {
    const first = new X509Certificate(createSelfSignedCertificate().cert);
    const second = new X509Certificate(
      createSelfSignedCertificate({
        commonName: "sim.example",
        dnsNames: [
          "sim.example",
          "a-much-longer-name-so-that-lengths-need-more-than-one-byte.example",
        ],
        ipAddresses: ["10.0.0.1", "fe80::1:2"],
      }).cert,
    );
    expect(first.serialNumber).not.toBe(second.serialNumber);
    expect(first.publicKey.export({ type: "spki", format: "pem" })).not.toEqual(
      second.publicKey.export({ type: "spki", format: "pem" }),
    );
    expect(second.subject).toBe("CN=sim.example");
    expect(second.subjectAltName).toBe(
      "DNS:sim.example, DNS:a-much-longer-name-so-that-lengths-need-more-than-one-byte.example, IP Address:10.0.0.1, IP Address:FE80:0:0:0:0:0:1:2",
    );
    expect(second.verify(second.publicKey)).toBe(true);
    expect(() => createSelfSignedCertificate({ ipAddresses: ["localhost"] })).toThrow(
      "not an IP address: localhost",
    );
  });
});
