/**
 * A fake clock shared by the simulator and the client: `sleep` records the delay, advances the
 * clock by it and returns at once, so tests assert exact delays and never wait.
 */
export interface FakeTime {
  now(): number;
  advance(ms: number): void;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Every delay passed to `sleep`, in order. */
  readonly sleeps: number[];
  /** Runs during the next sleeps (first in, first used): "meanwhile, elsewhere…". */
  duringSleep(action: () => Promise<void>): void;
}

/** A fake clock starting at `start` (epoch ms). */
export function fakeTime(start = Date.parse("2026-03-01T12:00:00Z")): FakeTime {
  let current = start;
  const sleeps: number[] = [];
  const meanwhile: Array<() => Promise<void>> = [];
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
    async sleep(ms, signal) {
      signal?.throwIfAborted();
      sleeps.push(ms);
      current += ms;
      await meanwhile.shift()?.();
    },
    sleeps,
    duringSleep(action) {
      meanwhile.push(action);
    },
  };
}

/**
 * The wall clock in the same shape, for suites that need real time (a simulator ticking on its
 * own timer, a provider host): `sleep` really waits, and still records the delay.
 */
export function realTime(): FakeTime {
  const sleeps: number[] = [];
  return {
    now: () => Date.now(),
    advance() {
      throw new Error("realTime() cannot be advanced");
    },
    sleep(ms, signal) {
      signal?.throwIfAborted();
      sleeps.push(ms);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      });
    },
    sleeps,
    duringSleep() {
      throw new Error("realTime() has no scripted sleeps");
    },
  };
}
