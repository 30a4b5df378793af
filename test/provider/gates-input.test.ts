import { describe, expect, it } from "vitest";
import { checkPromotionInputs, promotionSettingsOf } from "../../src/provider/promotion-inputs.js";

const GUID = "8a1b7b9c-0d2e-4f3a-9b8c-7d6e5f4a3b2c";
const check = (extra: Record<string, unknown>) =>
  checkPromotionInputs({ deploymentGuid: GUID, ...extra });

describe("the gates input", () => {
  it("accepts every gate and fills in their defaults", () => {
    const gates = {
      healthy: { forSeconds: 30 },
      soakSeconds: 300,
      webhook: { url: "https://ci.example.com/gate?key=k", headers: { Authorization: "Bearer t" } },
      command: { argv: ["./smoke.sh", "--quick"], timeoutSeconds: 120 },
    };
    expect(check({ gates, onGateFailure: "cancel" })).toEqual([]);
    expect(
      promotionSettingsOf({ deploymentGuid: GUID, gates, onGateFailure: "cancel" }),
    ).toMatchObject({
      gates: {
        healthy: { forSeconds: 30 },
        soakSeconds: 300,
        webhook: {
          url: "https://ci.example.com/gate?key=k",
          timeoutSeconds: 30,
          headers: { Authorization: "Bearer t" },
        },
        command: { argv: ["./smoke.sh", "--quick"], timeoutSeconds: 120 },
        deprecatedAlias: false,
      },
      onGateFailure: "cancel",
    });
  });

  it("leaves gates holding a value not known yet (preview) unchecked", () => {
    const url = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect(check({ gates: { webhook: { url } } })).toEqual([]);
  });

  it("accepts plain http only to this machine", () => {
    expect(check({ gates: { webhook: { url: "http://127.0.0.1:8080/gate" } } })).toEqual([]);
    expect(check({ gates: { webhook: { url: "http://localhost/gate" } } })).toEqual([]);
    expect(check({ gates: { webhook: { url: "http://ci.example.com/gate" } } })).toEqual([
      {
        property: "gates.webhook.url",
        reason:
          "must use https:// (plain http:// is only accepted to this machine, and ci.example.com is not loopback)",
      },
    ]);
  });

  it("names the property of every gate mistake, with did-you-mean for a mistyped key", () => {
    expect(
      check({
        gates: {
          soakSecond: 60,
          healthy: { forSecond: 10 },
          webhook: { url: "ftp://ci.example.com/gate", timeout: 5 },
          command: { argv: [] },
        },
        onGateFailure: "rollback",
      }),
    ).toEqual([
      {
        property: "gates.healthy",
        reason: "must be true, false, or { forSeconds: N }",
      },
      { property: "gates.webhook.url", reason: "must be an https:// URL, not ftp:" },
      {
        property: "gates.webhook.timeout",
        reason:
          "is not a key of gates.webhook; did you mean timeoutSeconds? (it takes url, timeoutSeconds, headers)",
      },
      {
        property: "gates.command.argv",
        reason: 'must not be empty: give the program and its arguments, e.g. ["./smoke-test.sh"]',
      },
      {
        property: "gates.soakSecond",
        reason:
          "is not a key of gates; did you mean soakSeconds? (it takes healthy, soakSeconds, webhook, command)",
      },
      { property: "onGateFailure", reason: 'must be "fail" or "cancel"' },
    ]);
  });

  it("refuses a negative or non-numeric soak, a string timeout and credentials in the URL", () => {
    expect(check({ gates: { soakSeconds: -5 } })).toEqual([
      {
        property: "gates.soakSeconds",
        reason:
          "must be a number of seconds from 0 to 86400 (how long the deployment must stay paused at a step)",
      },
    ]);
    expect(check({ gates: { soakSeconds: "300" } })[0]).toEqual({
      property: "gates.soakSeconds",
      reason:
        'must be a number, not the string "300" (read stack config with config.requireNumber, or convert with Number(…))',
    });
    expect(
      check({ gates: { webhook: { url: "https://user:pw@ci.example.com/", timeoutSeconds: 0 } } }),
    ).toEqual([
      {
        property: "gates.webhook.url",
        reason:
          "must not carry credentials in the URL; send them in headers, which are kept secret",
      },
      {
        property: "gates.webhook.timeoutSeconds",
        reason: "must be a number of seconds greater than 0 to 600 (how long one call may take)",
      },
    ]);
  });

  it("reads requireHealthyCanary as gates.healthy, and refuses the two disagreeing", () => {
    expect(
      promotionSettingsOf({ deploymentGuid: GUID, requireHealthyCanary: false }).gates,
    ).toMatchObject({ healthy: null, deprecatedAlias: true });
    expect(check({ requireHealthyCanary: true, gates: { healthy: { forSeconds: 5 } } })).toEqual(
      [],
    );
    expect(check({ requireHealthyCanary: false, gates: { healthy: true } })).toEqual([
      {
        property: "requireHealthyCanary",
        reason:
          "conflicts with gates.healthy: requireHealthyCanary is the deprecated name of gates.healthy; give only gates.healthy",
      },
    ]);
  });
});
