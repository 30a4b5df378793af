import { describe, expect, it } from "vitest";
import { decodeCfWarnings } from "../../src/client/cf-warnings.js";

describe("decodeCfWarnings", () => {
  it("splits on commas, URL-unescapes CGI.escape encoding and trims, like the cf CLI", () => {
    expect(
      decodeCfWarnings(["Your+CLI+version+is+outdated%2C+please+upgrade, second%20one", "third"]),
    ).toEqual(["Your CLI version is outdated, please upgrade", "second one", "third"]);
  });

  it("returns nothing for an absent or empty header and keeps undecodable text as it is", () => {
    expect(decodeCfWarnings(undefined)).toEqual([]);
    expect(decodeCfWarnings(" , ")).toEqual([]);
    expect(decodeCfWarnings("100%+sure")).toEqual(["100% sure"]);
  });
});
