import { afterEach, describe, expect, it, vi } from "vitest";
import { gatheredCalls } from "../../src/provider/gathered-calls.js";

/** A gatherer that records each request it sends: `alone:key` or `together:k1,k2`. */
function recorder(spec: { chunkSize?: number; loneCallWaits?: boolean } = {}) {
  const sent: string[] = [];
  const call = gatheredCalls<string>({
    ...spec,
    alone: async (key) => {
      sent.push(`alone:${key}`);
      return `${key}!`;
    },
    together: async (keys) => {
      sent.push(`together:${keys.join(",")}`);
      return new Map(keys.filter((k) => k !== "gone").map((k) => [k, `${k}!`]));
    },
  });
  return { sent, call };
}

describe("gatheredCalls", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends calls made in the same turn as one request, each caller getting its own answer", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    const { sent, call } = recorder();
    const answers = Promise.all([call("a", {}), call("b", {}), call("gone", {})]);
    await vi.advanceTimersByTimeAsync(0);
    expect(await answers).toEqual(["a!", "b!", "gone!"]);
    // A key the shared request did not answer is asked alone.
    expect(sent).toEqual(["together:a,b,gone", "alone:gone"]);
  });

  it("splits the keys into chunks", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    const { sent, call } = recorder({ chunkSize: 2 });
    const answers = Promise.all(["a", "b", "c"].map((key) => call(key, {})));
    await vi.advanceTimersByTimeAsync(0);
    await answers;
    expect(sent).toEqual(["together:a,b", "alone:c"]);
  });

  it("sends a lone call at once (the engine's Checks come one after another), and gathers for 25 ms while one is in flight", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    let answerFirst: (value: Map<string, string>) => void = () => undefined;
    const sent: string[] = [];
    const call = gatheredCalls<string>({
      alone: async (key) => {
        sent.push(`alone:${key}`);
        if (key !== "a") return `${key}!`;
        return new Promise<string>((resolve) => {
          answerFirst = (m) => resolve(m.get("a") ?? "");
        });
      },
      together: async (keys) => {
        sent.push(`together:${keys.join(",")}`);
        return new Map(keys.map((k) => [k, `${k}!`]));
      },
    });
    const first = call("a", {});
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(["alone:a"]);
    // While "a" is in flight, later calls wait 25 ms for company.
    const b = call("b", {});
    await vi.advanceTimersByTimeAsync(10);
    const c = call("c", {});
    await vi.advanceTimersByTimeAsync(14);
    expect(sent).toEqual(["alone:a"]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await Promise.all([b, c])).toEqual(["b!", "c!"]);
    expect(sent).toEqual(["alone:a", "together:b,c"]);
    answerFirst(new Map([["a", "a!"]]));
    expect(await first).toBe("a!");
    // Nothing in flight again: the next lone call goes at once.
    const d = call("d", {});
    await vi.advanceTimersByTimeAsync(0);
    expect(await d).toBe("d!");
  });

  it("runs the shared request to the latest caller's deadline, so one at its end fails no other", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    const given: Array<number | undefined> = [];
    const call = gatheredCalls<string>({
      alone: async (key) => key,
      together: async (keys, options) => {
        given.push(options.deadline);
        return new Map(keys.map((k) => [k, k]));
      },
    });
    const ending = Promise.all([call("a", { deadline: 1_000 }), call("b", { deadline: 90_000 })]);
    await vi.advanceTimersByTimeAsync(0);
    await ending;
    const open = Promise.all([call("c", { deadline: 1_000 }), call("d", {})]);
    await vi.advanceTimersByTimeAsync(0);
    await open;
    // A caller without a deadline: the shared request has none either.
    expect(given).toEqual([90_000, undefined]);
  });

  it("tells every caller's onResponse of the shared request's answers", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    const meta = {
      method: "GET",
      path: "/v3/deployments",
      status: 200,
      sentAtMs: 1,
      receivedAtMs: 2,
    } as const;
    const call = gatheredCalls<string>({
      alone: async (key) => key,
      together: async (keys, options) => {
        options.onResponse?.(meta);
        return new Map(keys.map((k) => [k, k]));
      },
    });
    const told: string[] = [];
    const both = Promise.all(
      ["a", "b"].map((key) => call(key, { onResponse: (m) => told.push(`${key} ${m.status}`) })),
    );
    await vi.advanceTimersByTimeAsync(0);
    await both;
    expect(told).toEqual(["a 200", "b 200"]);
  });

  it("lets a lone call wait the window too when asked (a fleet's polls come in waves)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    const { sent, call } = recorder({ loneCallWaits: true });
    const first = call("a", {});
    await vi.advanceTimersByTimeAsync(20);
    const second = call("b", {});
    await vi.advanceTimersByTimeAsync(5);
    expect(await Promise.all([first, second])).toEqual(["a!", "b!"]);
    expect(sent).toEqual(["together:a,b"]);
  });
});
