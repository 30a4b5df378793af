import { describe, expect, it } from "vitest";
import { gatesPreviewLine } from "../../src/provider/gates/gate-preview.js";
import { gateSettingsOf } from "../../src/provider/gates/gates-input.js";

const continuing = { action: "continue" } as const;

describe("the preview's gates line", () => {
  it("names every gate that is on, never a header value or the webhook's query", () => {
    const gates = gateSettingsOf(
      {
        healthy: { forSeconds: 30 },
        soakSeconds: 300,
        webhook: {
          url: "https://ci.example.com/gate?key=q-s3cret",
          headers: { Authorization: "Bearer h-s3cret", "X-Team": "web" },
        },
        command: { argv: ["./smoke-test.sh", "--token-file", "t"] },
      },
      undefined,
    );
    expect(gatesPreviewLine({ gates, onGateFailure: "cancel" }, continuing)).toBe(
      "plan: before each continue, the gates healthy (every instance RUNNING for 30s), soak (300s paused at the step), webhook (POST https://ci.example.com/…, 30s, 2 secret headers), command (./smoke-test.sh, 30s) (onGateFailure: cancel)",
    );
  });

  it("says when there are none, and when the deprecated requireHealthyCanary was used", () => {
    const gates = gateSettingsOf(undefined, false);
    expect(gatesPreviewLine({ gates, onGateFailure: "fail" }, { action: "wait" })).toBe(
      "plan: no gates before each continue (requireHealthyCanary is deprecated: use gates.healthy)",
    );
  });

  it("is left out when the plan sends no continue", () => {
    const gates = gateSettingsOf(undefined, undefined);
    expect(gatesPreviewLine({ gates, onGateFailure: "fail" }, { action: "done" })).toBeUndefined();
    expect(gatesPreviewLine({ gates, onGateFailure: "fail" }, { action: "fail" })).toBeUndefined();
  });
});
