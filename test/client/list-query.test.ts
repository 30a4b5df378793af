import { describe, expect, it } from "vitest";
import { escapeListValue, listQuery } from "../../src/client/list-query.js";

describe("listQuery", () => {
  it("escapes only what CC's split-then-unescape would change: commas and percent signs", () => {
    expect(["web", "my org", "a,b", "50%", "x+y"].map(escapeListValue)).toEqual([
      "web",
      "my org",
      "a%2Cb",
      "50%25",
      "x+y",
    ]);
    expect(listQuery().list("names", ["a,b", "c"]).params.toString()).toBe("names=a%252Cb%2Cc");
  });

  it("omits absent and empty filters and writes timestamp operators", () => {
    const query = listQuery()
      .list("app_guids", undefined)
      .list("states", [])
      .set("order_by", undefined)
      .timestamps("created_ats", { gt: "2026-01-01T00:00:00Z" })
      .timestamps("updated_ats", ["2026-01-02T00:00:00Z"]);
    expect([...query.params]).toEqual([
      ["created_ats[gt]", "2026-01-01T00:00:00Z"],
      ["updated_ats", "2026-01-02T00:00:00Z"],
    ]);
  });
});
