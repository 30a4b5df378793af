import { describe, expect, it } from "vitest";
import { type AttemptResult, withRetry } from "../../src/client/with-retry.js";
import { fakeTime } from "../support/index.js";

/** A loop whose attempts come to `script`, in order; records every `onRetry`. */
function scripted(script: AttemptResult<string, string>[], deadline?: number) {
  const time = fakeTime(0);
  const retried: [string, number, number][] = [];
  const attempted: number[] = [];
  const run = withRetry<string, string>({
    clock: time,
    budget: { deadline },
    attempt: async (n) => {
      attempted.push(n);
      const next = script[n - 1];
      if (next === undefined) throw new Error(`no attempt ${n} scripted`);
      return next;
    },
    onRetry: (last, n, delay) => retried.push([last, n, delay]),
  });
  return { run, time, retried, attempted };
}

describe("withRetry, on an injected clock", () => {
  it("returns the first done value without waiting", async () => {
    const { run, time, attempted } = scripted([{ done: "ok" }]);
    expect(await run).toEqual({ done: "ok", attempts: 1 });
    expect(attempted).toEqual([1]);
    expect(time.sleeps).toEqual([]);
  });

  it("waits exactly as long as each attempt asks, and reports each wait before it", async () => {
    const { run, time, retried } = scripted([
      { last: "503", retryInMs: 750 },
      { last: "429", retryInMs: 7_000 },
      { done: "ok" },
    ]);
    expect(await run).toEqual({ done: "ok", attempts: 3 });
    expect(time.sleeps).toEqual([750, 7_000]);
    expect(time.now()).toBe(7_750);
    expect(retried).toEqual([
      ["503", 1, 750],
      ["429", 2, 7_000],
    ]);
  });

  it("stops with the last result when an attempt asks for no retry", async () => {
    const { run, time } = scripted([
      { last: "503", retryInMs: 500 },
      { last: "500", retryInMs: undefined },
    ]);
    expect(await run).toEqual({ last: "500", attempts: 2 });
    expect(time.sleeps).toEqual([500]);
  });

  it("does not start a wait that would end past the deadline, and says how long it was", async () => {
    const { run, time, retried } = scripted(
      [{ last: "503", retryInMs: 1_000 }, { last: "503", retryInMs: 2_000 }, { done: "late" }],
      2_500,
    );
    expect(await run).toEqual({ last: "503", attempts: 2, deadlineBlockedDelayMs: 2_000 });
    expect(time.sleeps).toEqual([1_000]);
    expect(retried).toEqual([["503", 1, 1_000]]);
  });

  it("waits up to the deadline exactly", async () => {
    const { run, time } = scripted([{ last: "503", retryInMs: 1_000 }, { done: "ok" }], 1_000);
    expect(await run).toEqual({ done: "ok", attempts: 2 });
    expect(time.sleeps).toEqual([1_000]);
  });

  it("rejects with the signal's reason, before the first attempt when already aborted", async () => {
    const reason = new Error("stop");
    let attempts = 0;
    const run = withRetry({
      clock: fakeTime(0),
      budget: { signal: AbortSignal.abort(reason) },
      attempt: async () => {
        attempts++;
        return { done: 1 };
      },
    });
    await expect(run).rejects.toBe(reason);
    expect(attempts).toBe(0);
  });
});
