import { describe, expect, it } from "vitest";
import {
  checkPromotionInputs,
  parsePromotionInputs,
  promotionSettingsOf,
  promotionTargetOf,
} from "../../src/provider/promotion-inputs.js";
import { UNKNOWN_VALUE } from "../../src/provider/unknown-value.js";

const GUID = "8a1b7b9c-0d2e-4f3a-9b8c-7d6e5f4a3b2c";
const OTHER = "11111111-2222-3333-4444-555555555555";

describe("checkPromotionInputs", () => {
  it("accepts each of the four target forms", () => {
    expect(checkPromotionInputs({ deploymentGuid: GUID })).toEqual([]);
    expect(checkPromotionInputs({ appGuid: GUID })).toEqual([]);
    expect(checkPromotionInputs({ appName: "web", spaceGuid: GUID })).toEqual([]);
    expect(checkPromotionInputs({ appName: "web", spaceName: "prod", orgName: "acme" })).toEqual(
      [],
    );
  });

  it("names the property of every mistake at once", () => {
    expect(
      checkPromotionInputs({
        deploymentGuid: "not-a-guid",
        appGuid: GUID,
        toStep: 0,
        onTimeout: "rollback",
        timeoutSeconds: -1,
        pollIntervalSeconds: "3",
        requireHealthyCanary: "yes",
        expectedDropletGuid: "droplet",
      }),
    ).toEqual([
      {
        property: "deploymentGuid",
        reason: "must be a GUID such as 8a1b7b9c-0d2e-4f3a-9b8c-7d6e5f4a3b2c",
      },
      { property: "toStep", reason: "must be a whole number of at least 1" },
      {
        property: "expectedDropletGuid",
        reason: "must be a GUID such as 8a1b7b9c-0d2e-4f3a-9b8c-7d6e5f4a3b2c",
      },
      { property: "timeoutSeconds", reason: "must be a number of seconds greater than 0" },
      { property: "onTimeout", reason: 'must be "fail" or "cancel"' },
      {
        property: "pollIntervalSeconds",
        reason:
          'must be a number, not the string "3" (read stack config with config.requireNumber, or convert with Number(…))',
      },
      { property: "requireHealthyCanary", reason: "must be true or false" },
      {
        property: "appGuid",
        reason:
          "conflicts with deploymentGuid: give exactly one target: deploymentGuid, appGuid, or appName with spaceGuid (or with spaceName and orgName)",
      },
    ]);
  });

  it("says a toStep given as a string must be a number, and how to get one from config", () => {
    expect(checkPromotionInputs({ deploymentGuid: GUID, toStep: "2" })).toEqual([
      {
        property: "toStep",
        reason:
          'must be a number, not the string "2" (read stack config with config.requireNumber, or convert with Number(…))',
      },
    ]);
  });

  it("rejects a fractional toStep", () => {
    expect(checkPromotionInputs({ deploymentGuid: GUID, toStep: 1.5 })).toEqual([
      { property: "toStep", reason: "must be a whole number of at least 1" },
    ]);
  });

  it("reports a missing target under deploymentGuid with the three ways to give one", () => {
    expect(checkPromotionInputs({ toStep: 2 })).toEqual([
      {
        property: "deploymentGuid",
        reason:
          "is missing: give exactly one target: deploymentGuid, appGuid, or appName with spaceGuid (or with spaceName and orgName)",
      },
    ]);
  });

  it("explains what appName needs and what space properties conflict", () => {
    expect(checkPromotionInputs({ appName: "web" })).toEqual([
      {
        property: "spaceGuid",
        reason: "is missing: appName needs spaceGuid, or spaceName with orgName",
      },
    ]);
    expect(checkPromotionInputs({ appName: "web", spaceName: "prod" })).toEqual([
      { property: "orgName", reason: "is missing: spaceName needs orgName" },
    ]);
    expect(
      checkPromotionInputs({ appName: "web", spaceGuid: GUID, spaceName: "prod", orgName: "o" }),
    ).toEqual([{ property: "spaceName", reason: "conflicts with spaceGuid: give one of them" }]);
    expect(checkPromotionInputs({ deploymentGuid: GUID, spaceGuid: OTHER })).toEqual([
      { property: "spaceGuid", reason: "is only used with appName" },
    ]);
    expect(checkPromotionInputs({ appName: " ", spaceGuid: GUID })).toEqual([
      { property: "appName", reason: "must not be empty" },
    ]);
  });

  it("rejects unknown properties and suggests the intended one", () => {
    expect(checkPromotionInputs({ deploymentGuid: GUID, tostep: 2, colour: "red" })).toEqual([
      { property: "tostep", reason: "is not a DeploymentPromotion input; did you mean toStep?" },
      {
        property: "colour",
        reason: expect.stringContaining(
          "is not a DeploymentPromotion input (known inputs: deploymentGuid, appGuid,",
        ),
      },
    ]);
  });

  it("lets preview's unknown values through, but still applies the target rules to them", () => {
    expect(
      checkPromotionInputs({
        appName: UNKNOWN_VALUE,
        spaceGuid: UNKNOWN_VALUE,
        toStep: UNKNOWN_VALUE,
      }),
    ).toEqual([]);
    expect(checkPromotionInputs({ deploymentGuid: UNKNOWN_VALUE, appGuid: GUID })).toEqual([
      expect.objectContaining({ property: "appGuid" }),
    ]);
  });

  it("ignores __provider and absent values", () => {
    expect(
      checkPromotionInputs({
        __provider: "exports.handler = …",
        deploymentGuid: GUID,
        toStep: undefined,
      }),
    ).toEqual([]);
  });
});

describe("parsePromotionInputs", () => {
  it("returns typed inputs without __provider", () => {
    expect(parsePromotionInputs({ __provider: "x", appGuid: GUID, toStep: 2 })).toEqual({
      appGuid: GUID,
      toStep: 2,
    });
  });

  it("throws with every failure when the inputs were never checked", () => {
    expect(() => parsePromotionInputs({ toStep: UNKNOWN_VALUE, appGuid: "x" })).toThrow(
      "invalid DeploymentPromotion inputs: appGuid must be a GUID such as 8a1b7b9c-0d2e-4f3a-9b8c-7d6e5f4a3b2c; toStep is not known yet",
    );
    expect(() => parsePromotionInputs({ appGuid: "x" })).toThrow(
      expect.objectContaining({ name: "PromotionError", code: "PROMOTION_INVALID_INPUTS" }),
    );
  });
});

describe("promotionTargetOf and promotionSettingsOf", () => {
  it("picks the target the inputs name", () => {
    expect(promotionTargetOf({ appName: "web", spaceName: "s", orgName: "o" })).toEqual({
      appName: "web",
      spaceName: "s",
      orgName: "o",
    });
    expect(promotionTargetOf({ deploymentGuid: GUID })).toEqual({ deploymentGuid: GUID });
  });

  it("fills the documented defaults", () => {
    expect(promotionSettingsOf({ deploymentGuid: GUID })).toEqual({
      goal: { kind: "deployed" },
      expectedDropletGuid: null,
      timeoutSeconds: 600,
      onTimeout: "fail",
      pollIntervalSeconds: 3,
      gates: {
        healthy: { forSeconds: 0 },
        soakSeconds: 0,
        webhook: null,
        command: null,
        deprecatedAlias: false,
      },
      onGateFailure: "fail",
      lateDeliverySeconds: 60,
    });
    expect(
      promotionSettingsOf({ deploymentGuid: GUID, toStep: 2, onTimeout: "cancel" }),
    ).toMatchObject({
      goal: { kind: "step", step: 2 },
      onTimeout: "cancel",
    });
  });
});
