import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";

/**
 * A self-signed X.509 v3 certificate written by hand in DER, so the simulator can serve HTTPS
 * without a dependency or an `openssl` binary. The key is ECDSA P-256, signed with SHA-256; the
 * certificate is its own CA (`basicConstraints cA`), so a client that trusts it as a CA
 * accepts the server. Encoding rules: ITU-T X.690 (DER) and RFC 5280 (certificate fields).
 */

export interface SelfSignedCertificateOptions {
  /** Subject and issuer common name. @default "cf-capi-sim" */
  commonName?: string;
  /** DNS names for subjectAltName. @default ["localhost"] */
  dnsNames?: string[];
  /** IPv4 and IPv6 addresses for subjectAltName. @default ["127.0.0.1", "::1"] */
  ipAddresses?: string[];
  /** The start of validity, epoch ms; TLS clients check against the real clock. @default Date.now() */
  now?: number;
  /** Days of validity from `now`. @default 30 */
  validDays?: number;
}

export interface SelfSignedCertificate {
  /** The certificate, PEM; also what a client passes as its trusted CA. */
  cert: string;
  /** The private key, PKCS#8 PEM. */
  key: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
};

/** Generates a fresh key pair and a certificate for it (by default for the loopback names). */
export function createSelfSignedCertificate(
  options: SelfSignedCertificateOptions = {},
): SelfSignedCertificate {
  const {
    commonName = "cf-capi-sim",
    dnsNames = ["localhost"],
    ipAddresses = ["127.0.0.1", "::1"],
    now = Date.now(),
    validDays = 30,
  } = options;
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const name = sequence(set(sequence(oid(OID.commonName), utf8String(commonName))));
  const signatureAlgorithm = sequence(oid(OID.ecdsaWithSha256));
  const altNames = sequence(
    ...dnsNames.map((dns) => tagged(0x82, Buffer.from(dns, "ascii"))),
    ...ipAddresses.map((ip) => tagged(0x87, ipBytes(ip))),
  );
  const extensions = sequence(
    sequence(oid(OID.basicConstraints), boolean(true), octetString(sequence(boolean(true)))),
    sequence(oid(OID.subjectAltName), octetString(altNames)),
  );
  const tbs = sequence(
    tagged(0xa0, integer(Buffer.from([2]))),
    integer(serialNumber()),
    signatureAlgorithm,
    name,
    // A day of slack before `now` covers clients whose clocks lag a little.
    sequence(utcTime(new Date(now - DAY_MS)), utcTime(new Date(now + validDays * DAY_MS))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    tagged(0xa3, extensions),
  );
  const signature = sign("sha256", tbs, privateKey);
  const der = sequence(tbs, signatureAlgorithm, bitString(signature));
  return {
    cert: pem("CERTIFICATE", der),
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  // DER wants a positive INTEGER without a redundant leading zero: top bit clear, first byte nonzero.
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes;
}

function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split(".").map(Number));
  if (!isIPv6(ip) || ip.includes(".")) throw new TypeError(`not an IP address: ${ip}`);
  const [head = "", tail] = ip.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const middle = Array<string>(8 - left.length - right.length).fill("0");
  const words = [...left, ...middle, ...right];
  const bytes = Buffer.alloc(16);
  words.forEach((word, i) => {
    bytes.writeUInt16BE(Number.parseInt(word, 16), i * 2);
  });
  return bytes;
}

function tagged(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function sequence(...items: Buffer[]): Buffer {
  return tagged(0x30, Buffer.concat(items));
}

function set(...items: Buffer[]): Buffer {
  return tagged(0x31, Buffer.concat(items));
}

function integer(bytes: Buffer): Buffer {
  return tagged(0x02, bytes);
}

function boolean(value: boolean): Buffer {
  return tagged(0x01, Buffer.from([value ? 0xff : 0x00]));
}

function octetString(content: Buffer): Buffer {
  return tagged(0x04, content);
}

function bitString(content: Buffer): Buffer {
  return tagged(0x03, Buffer.concat([Buffer.from([0]), content]));
}

function utf8String(text: string): Buffer {
  return tagged(0x0c, Buffer.from(text, "utf8"));
}

/** UTCTime, `YYMMDDHHMMSSZ`: RFC 5280 requires it for dates before 2050 (and so does this). */
function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, "").slice(2, 14);
  return tagged(0x17, Buffer.from(`${text}Z`, "ascii"));
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tagged(0x06, Buffer.from(bytes));
}
