import { describe, expect, it } from "vitest";
import { decodeJwtClaims, jwtExpiresAt, stripBearer } from "../../src/client/jwt.js";
import { makeJwt } from "../support/index.js";

describe("jwt", () => {
  it("reads exp as epoch milliseconds, with or without the cf CLI's bearer prefix", () => {
    const token = makeJwt({ exp: 1_800_000_000, user_name: "developer" });
    expect(jwtExpiresAt(token)).toBe(1_800_000_000_000);
    expect(jwtExpiresAt(`bearer ${token}`)).toBe(1_800_000_000_000);
    expect(decodeJwtClaims(`Bearer ${token}`)).toEqual({
      exp: 1_800_000_000,
      user_name: "developer",
    });
  });

  it("returns undefined for opaque tokens, garbage and payloads without exp", () => {
    expect(jwtExpiresAt("opaque-token")).toBeUndefined();
    expect(jwtExpiresAt("a.%%%.c")).toBeUndefined();
    expect(jwtExpiresAt(makeJwt({ exp: "soon" }))).toBeUndefined();
    expect(decodeJwtClaims(`x.${Buffer.from("[1]").toString("base64url")}.y`)).toBeUndefined();
  });

  it("strips the bearer prefix in any case", () => {
    expect(stripBearer("bearer abc")).toBe("abc");
    expect(stripBearer("BEARER  abc")).toBe("abc");
    expect(stripBearer("abc")).toBe("abc");
  });
});
