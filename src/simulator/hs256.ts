import { createHmac, timingSafeEqual } from "node:crypto";

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

/** Signs `claims` as a compact HS256 JWT. */
export function signJwt(claims: object, secret: Buffer): string {
  const header = base64url(JSON.stringify({ alg: "HS256", kid: "sim-key", typ: "JWT" }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  return `${header}.${payload}.${base64url(signature)}`;
}

/**
 * Verifies an HS256 JWT's signature and returns its claims, or undefined when the token is
 * malformed or wrongly signed. Expiry is the caller's business (it owns the clock).
 */
export function verifyJwt(token: string, secret: Buffer): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const actual = Buffer.from(signature, "base64url");
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  try {
    const decodedHeader: unknown = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
    if (!isObject(decodedHeader)) return undefined;
    const { alg } = decodedHeader;
    if (alg !== "HS256") return undefined;
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return isObject(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
