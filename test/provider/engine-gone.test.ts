import { afterEach, describe, expect, it, vi } from "vitest";
import { startEngineWatchdog } from "../../src/provider/engine-watch.js";
import { createPromotion } from "../../src/provider/promotion-lifecycle.js";
import { DEPLOYMENT_GUID, type FakePromotionClient, SPACE_GUID } from "./fake-promotion-client.js";
import { fakeRuntime } from "./fake-runtime.js";

/** A runtime whose engine is gone once `gone()` says so. */
function setup(gone: (client: FakePromotionClient) => boolean) {
  return fakeRuntime((client) =>
    gone(client) ? "the Pulumi engine (pid 42) has exited" : undefined,
  );
}

const inputs = { appName: "web", spaceGuid: SPACE_GUID, __provider: "p" };

describe("a promotion whose engine is gone", () => {
  it("reads and sends nothing when the engine is gone as the call starts", async () => {
    const { client, runtime } = setup(() => true);
    const error = await createPromotion(runtime, inputs).catch((e) => e);
    expect(error.code).toBe("PROMOTION_ENGINE_GONE");
    expect(error.message).toBe(
      "stopped the provider call: the Pulumi engine (pid 42) has exited, so nothing more is sent (run the update again to keep going)",
    );
    expect(client.calls).toEqual([]);
  });

  it("sends nothing when the engine goes while the target is looked up and checked", async () => {
    // The app, its active deployment, the canary's stats: then the continue would go out.
    const { client, runtime } = setup((c) => c.calls.length >= 3);
    const error = await createPromotion(runtime, inputs).catch((e) => e);
    expect(error.code).toBe("PROMOTION_ENGINE_GONE");
    expect(error.message).toBe(
      `stopped promoting deployment ${DEPLOYMENT_GUID} of app web: the Pulumi engine (pid 42) has exited, so nothing more is sent (run the update again to keep going)`,
    );
    expect(client.posts()).toEqual([]);
  });

  it("stops after the continue in flight, in the wait that follows it", async () => {
    const { client, runtime } = setup((c) => c.posts().length > 0);
    const error = await createPromotion(runtime, inputs).catch((e) => e);
    expect(error.name).toBe("PromotionPartialFailure");
    expect(error.message).toContain(
      "the Pulumi engine (pid 42) has exited, so nothing more is sent",
    );
    expect(error.message).toContain("this operation had already sent 1 continue");
    expect(client.posts()).toHaveLength(1);
  });
});

describe("the host's engine watchdog", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("ends the host once, at the first check after the engine is gone, and never keeps it alive", () => {
    vi.useFakeTimers();
    let gone: string | undefined;
    const exits: string[] = [];
    const timer = startEngineWatchdog(
      () => gone,
      () => exits.push(gone ?? ""),
      1000,
    );
    expect(timer.hasRef()).toBe(false);
    vi.advanceTimersByTime(5000);
    expect(exits).toEqual([]);
    gone = "the Pulumi engine (pid 42) that started the provider host has exited";
    vi.advanceTimersByTime(999);
    expect(exits).toEqual([]);
    vi.advanceTimersByTime(1);
    vi.advanceTimersByTime(5000);
    expect(exits).toEqual([gone]);
  });
});
