import { describe, expect, it } from "vitest";
import { PromotionError } from "../../src/provider/promotion-error.js";
import { PromotionPartialFailure } from "../../src/provider/promotion-partial-failure.js";
import {
  userFacingError,
  userFacingFailures,
  withUserFacingErrors,
} from "../../src/provider/user-facing-errors.js";
import { fakeApiError } from "./fake-promotion-client.js";

describe("errors at the provider's boundary", () => {
  it("puts the stable code in front of a promotion error's message, once", async () => {
    const original = new PromotionError("PROMOTION_WRONG_DROPLET", "deploys droplet d");
    const shown = userFacingError(original);
    expect(shown).toMatchObject({
      name: "PromotionError",
      code: "PROMOTION_WRONG_DROPLET",
      message: "[PROMOTION_WRONG_DROPLET] deploys droplet d",
      cause: original,
    });
    expect((userFacingError(shown) as Error).message).toBe(
      "[PROMOTION_WRONG_DROPLET] deploys droplet d",
    );
    await expect(withUserFacingErrors(async () => Promise.reject(original))).rejects.toThrow(
      "[PROMOTION_WRONG_DROPLET] deploys droplet d",
    );
  });

  it("codes a client error, and lets an error without a stable code pass as it is", () => {
    expect((userFacingError(fakeApiError(404, "App not found")) as Error).message).toBe(
      "[CF_API_ERROR] CF API 404: App not found",
    );
    const plain = new Error("boom");
    expect(userFacingError(plain)).toBe(plain);
  });

  it("keeps what a partial failure carries for the engine, coded by its cause", () => {
    const cause = new PromotionError("PROMOTION_TIMEOUT", "timed out");
    const failure = new PromotionPartialFailure("timed out (had sent 1 continue)", {
      id: "d",
      properties: { statusReason: "PAUSED", __provider: "p" },
      reasons: ["timed out"],
      cause,
    });
    expect(userFacingError(failure)).toMatchObject({
      id: "d",
      properties: { statusReason: "PAUSED", __provider: "p" },
      reasons: ["[PROMOTION_TIMEOUT] timed out"],
      message: "[PROMOTION_TIMEOUT] timed out (had sent 1 continue)",
    });
  });

  it("codes each input failure of check", () => {
    expect(userFacingFailures([{ property: "toStep", reason: "must be a whole number" }])).toEqual([
      { property: "toStep", reason: "[PROMOTION_INVALID_INPUTS] must be a whole number" },
    ]);
  });
});
