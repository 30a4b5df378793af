import { describe, expect, it } from "vitest";
import {
  refreshChangedRecord,
  rememberRefresh,
  takeRefresh,
} from "../../src/provider/refresh-observations.js";

const before = { statusReason: "PAUSED", __provider: "old code" };
const after = { statusReason: "CANCELED", __provider: "old code" };

describe("what a refresh's read tells the diff that follows it", () => {
  it("is found once, by the outputs read returned (the serialized code aside)", () => {
    rememberRefresh("d1", { before, after }, {});
    expect(takeRefresh("d1", { ...before })).toBeUndefined();
    const found = takeRefresh("d1", { ...after, __provider: "other code" });
    expect(found).toEqual({ before, after });
    expect(found && refreshChangedRecord(found)).toBe(true);
    expect(takeRefresh("d1", after)).toBeUndefined();
  });

  it("says no change when read left the record as it was", () => {
    rememberRefresh("d2", { before, after: before }, {});
    const found = takeRefresh("d2", before);
    expect(found && refreshChangedRecord(found)).toBe(false);
  });

  it("is not kept under PULUMI_ENABLE_LEGACY_REFRESH_DIFF, whose engine sends no diff after read", () => {
    rememberRefresh("d3", { before, after }, { PULUMI_ENABLE_LEGACY_REFRESH_DIFF: "true" });
    expect(takeRefresh("d3", after)).toBeUndefined();
  });
});
