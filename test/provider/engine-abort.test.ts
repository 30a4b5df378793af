import { describe, expect, it } from "vitest";
import type { CallOptions } from "../../src/client/index.js";
import { abortWhenEngineGone } from "../../src/provider/engine-abort.js";
import type { PromotionClient } from "../../src/provider/promotion-client.js";
import { createPromotion } from "../../src/provider/promotion-lifecycle.js";
import { createProviderRuntime } from "../../src/provider/provider-runtime.js";
import { signalledClient } from "../../src/provider/signalled-client.js";
import { pollUntil } from "../support/poll.js";
import { DEPLOYMENT_GUID, FakePromotionClient, SPACE_GUID } from "./fake-promotion-client.js";

const GONE = "the Pulumi engine (pid 42) that started the provider host has exited";

describe("abortWhenEngineGone", () => {
  it("aborts the signal with PROMOTION_ENGINE_GONE at the first check that finds the engine gone, then stops checking", async () => {
    let gone = false;
    let checks = 0;
    const engine = abortWhenEngineGone(() => {
      checks += 1;
      return gone ? GONE : undefined;
    }, 5);
    expect(engine.signal.aborted).toBe(false);
    gone = true;
    await pollUntil("the abort", () => engine.signal.aborted);
    expect(engine.signal.reason).toMatchObject({
      name: "PromotionError",
      code: "PROMOTION_ENGINE_GONE",
      message: `stopped the provider call: ${GONE}, so nothing more is sent (run the update again to keep going)`,
    });
    const after = checks;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(checks).toBe(after);
    engine.stop();
  });

  it("aborts at once when the engine is already gone, and stop() ends the checks of a call that ended", async () => {
    expect(abortWhenEngineGone(() => GONE, 5).signal.aborted).toBe(true);
    let checks = 0;
    const engine = abortWhenEngineGone(() => {
      checks += 1;
      return undefined;
    }, 5);
    engine.stop();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(checks).toBe(1);
    expect(engine.signal.aborted).toBe(false);
  });
});

/** A client whose every method records the options it got, at the place it takes them. */
function recordingClient() {
  const seen: Array<[string, CallOptions | undefined]> = [];
  const record =
    (method: string, at: number) =>
    async (...args: unknown[]) => {
      seen.push([method, args[at] as CallOptions | undefined]);
      return undefined;
    };
  const client = {
    apiUrl: "https://api.example.test",
    credentialSourceDescription: "a recording client",
    findOrganizationByName: record("findOrganizationByName", 1),
    findSpaceByName: record("findSpaceByName", 2),
    findAppByName: record("findAppByName", 2),
    getApp: record("getApp", 1),
    getDeployment: record("getDeployment", 1),
    listDeployments: record("listDeployments", 1),
    getActiveDeployment: record("getActiveDeployment", 1),
    continueDeployment: record("continueDeployment", 1),
    cancelDeployment: record("cancelDeployment", 1),
    getProcessStats: record("getProcessStats", 1),
    listAuditEvents: record("listAuditEvents", 1),
    actorGuid: record("actorGuid", 0),
    close: async () => undefined,
  } as unknown as PromotionClient;
  return { client, seen };
}

describe("signalledClient", () => {
  it("gives every call the operation's signal, joined with the caller's own, keeping the other options", async () => {
    const { client, seen } = recordingClient();
    const operation = new AbortController();
    const wrapped = signalledClient(client, operation.signal);
    const own = new AbortController();
    await wrapped.findOrganizationByName("org");
    await wrapped.findSpaceByName("org-guid", "space");
    await wrapped.findAppByName("space-guid", "web", { deadline: 7 });
    await wrapped.getApp("app");
    await wrapped.getDeployment("d", { deadline: 8, signal: own.signal });
    await wrapped.listDeployments({ guids: ["d"] }, { deadline: 11 });
    await wrapped.getActiveDeployment("app");
    await wrapped.continueDeployment("d", { deadline: 9 });
    await wrapped.cancelDeployment("d");
    await wrapped.getProcessStats("p");
    await wrapped.listAuditEvents({ types: ["t"] });
    await wrapped.actorGuid({ deadline: 10 });
    expect(seen.map(([method, options]) => [method, options?.deadline])).toEqual([
      ["findOrganizationByName", undefined],
      ["findSpaceByName", undefined],
      ["findAppByName", 7],
      ["getApp", undefined],
      ["getDeployment", 8],
      ["listDeployments", 11],
      ["getActiveDeployment", undefined],
      ["continueDeployment", 9],
      ["cancelDeployment", undefined],
      ["getProcessStats", undefined],
      ["listAuditEvents", undefined],
      ["actorGuid", 10],
    ]);
    own.abort(new Error("the caller's own"));
    expect(seen[4]?.[1]?.signal?.aborted).toBe(true);
    expect(seen[0]?.[1]?.signal?.aborted).toBe(false);
    operation.abort(new Error("engine gone"));
    expect(seen.every(([, options]) => options?.signal?.aborted === true)).toBe(true);
    expect(wrapped.apiUrl).toBe("https://api.example.test");
  });

  it("rejects a call made after the abort with its reason, without calling the client", async () => {
    const { client, seen } = recordingClient();
    const reason = new Error("engine gone");
    const wrapped = signalledClient(client, AbortSignal.abort(reason));
    await expect(wrapped.continueDeployment("d")).rejects.toBe(reason);
    expect(seen).toEqual([]);
  });
});

describe("the real runtime's sleep", () => {
  it("ends an hour's wait at the abort, with the signal's reason", async () => {
    const { sleep } = createProviderRuntime({}, { engineGone: () => undefined });
    const controller = new AbortController();
    const reason = new Error("engine gone");
    const waiting = sleep(3_600_000, controller.signal);
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await expect(sleep(1, AbortSignal.abort(reason))).rejects.toBe(reason);
    await expect(sleep(1)).resolves.toBeUndefined();
  });
});

describe("a create whose engine dies while the client waits inside the continue", () => {
  it("ends the wait within a check interval: PROMOTION_ENGINE_GONE for the deployment, one continue", async () => {
    const client = new FakePromotionClient();
    let engineThere = true;
    // The continue went out and the client now waits to re-send it, until its signal aborts.
    client.continueDeployment = async (guid: string, options?: CallOptions) => {
      client.calls.push(`POST /v3/deployments/${guid}/actions/continue`);
      engineThere = false;
      const signal = options?.signal;
      if (signal === undefined) throw new Error("no signal given to continueDeployment");
      return new Promise((_, reject) =>
        signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
      );
    };
    const runtime = createProviderRuntime(
      { apiUrl: "https://api.example.test", accessToken: "SECRET-TOKEN" },
      {
        env: {},
        fileExists: () => false,
        print: () => undefined,
        createClient: () => client,
        engineGone: () => (engineThere ? undefined : GONE),
      },
    );
    const error = await createPromotion(runtime, {
      appName: "web",
      spaceGuid: SPACE_GUID,
      __provider: "p",
    }).catch((e) => e);
    expect(error.name).toBe("PromotionPartialFailure");
    expect(error.message).toBe(
      `stopped promoting deployment ${DEPLOYMENT_GUID} of app web: ${GONE}, so nothing more is sent (run the update again to keep going) (this operation had already sent a continue whose outcome is unknown; the resource is kept in state with what happened)`,
    );
    expect(client.posts()).toHaveLength(1);
    expect(client.closed).toBe(1);
  });
});
