import type { CallOptions } from "../client/index.js";

/** One call's own options (its deadline, its signal). */
export type GatheredOptions = CallOptions;

/** How calls by key are gathered into one request (see {@link gatheredCalls}). */
export interface GatherSpec<R> {
  /**
   * How long a call waits for others to join it before it is sent, while another call is pending
   * or in flight; with none, it waits only for the calls made in the same turn of the event loop.
   * The engine runs Check of one resource after another (`stepGenerator` in pulumi
   * pkg/resource/deploy/step_generator.go), so a window on a lone call would hold up a whole
   * fleet's registration, one window a resource. @default 25
   */
  gatherMs?: number;
  /**
   * Whether a call with no other pending or in flight waits `gatherMs` too: for reads that come
   * in waves (a fleet's polls after each tick) and hold nobody up. @default false
   */
  loneCallWaits?: boolean;
  /** Keys per request, to keep its URL short. @default 50 */
  chunkSize?: number;
  /** Whether a call should wait for others at all. @default always */
  gather?: () => boolean;
  /** The call for one key alone (also for a key `together` did not answer). */
  alone(key: string, options: GatheredOptions): Promise<R>;
  /** One request for several keys; a key missing from the map is then called alone. */
  together(keys: string[], options: GatheredOptions): Promise<Map<string, R>>;
}

interface Waiter<R> {
  key: string;
  options: GatheredOptions;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * Calls by key that arrive within `gatherMs` of each other go out as one request per chunk of
 * keys, each caller still getting its own answer; a lone call is sent as it is. The shared request
 * runs to the latest deadline among its callers (none if one has none): a caller at the end of its
 * own time must not fail the others' reads with its timeout (a promotion with `onTimeout: cancel`
 * would cancel on it), and one past its deadline gets its answer a request late and stops at its
 * own next check. It carries the first caller's signal (a host's provider calls are all aborted
 * together when its engine goes), and tells every caller's `onResponse` of its answers. A failure
 * of the shared request is every caller's failure.
 */
export function gatheredCalls<R>(
  spec: GatherSpec<R>,
): (key: string, options: GatheredOptions) => Promise<R> {
  const gatherMs = spec.gatherMs ?? 25;
  const chunkSize = spec.chunkSize ?? 50;
  let pending: Array<Waiter<R>> = [];
  let scheduled = false;
  // Calls pending or in flight.
  let busy = 0;

  const alone = (waiter: Waiter<R>) =>
    spec.alone(waiter.key, waiter.options).then(waiter.resolve, waiter.reject);

  async function send(waiters: Array<Waiter<R>>): Promise<void> {
    const keys = [...new Set(waiters.map((w) => w.key))];
    if (keys.length === 1) {
      await Promise.all(waiters.map(alone));
      return;
    }
    const first = waiters[0]?.options;
    const deadlines = waiters.map((w) => w.options.deadline);
    const deadline = deadlines.includes(undefined)
      ? undefined
      : Math.max(...(deadlines as number[]));
    const listeners = waiters.flatMap((w) =>
      w.options.onResponse === undefined ? [] : [w.options.onResponse],
    );
    let answers: Map<string, R>;
    try {
      answers = await spec.together(keys, {
        ...(first?.signal === undefined ? {} : { signal: first.signal }),
        ...(deadline === undefined ? {} : { deadline }),
        // Each caller is told of the answers it got, as it would be alone.
        ...(listeners.length === 0
          ? {}
          : {
              onResponse: (meta) => {
                for (const listener of listeners) listener(meta);
              },
            }),
      });
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    await Promise.all(
      waiters.map((waiter) => {
        if (!answers.has(waiter.key)) return alone(waiter);
        waiter.resolve(answers.get(waiter.key) as R);
        return undefined;
      }),
    );
  }

  function flush(): void {
    scheduled = false;
    const batch = pending;
    pending = [];
    const keys = [...new Set(batch.map((w) => w.key))];
    for (let start = 0; start < keys.length; start += chunkSize) {
      const chunk = new Set(keys.slice(start, start + chunkSize));
      void send(batch.filter((waiter) => chunk.has(waiter.key)));
    }
  }

  return (key, options) =>
    new Promise<R>((resolve, reject) => {
      const waiter: Waiter<R> = {
        key,
        options,
        resolve: (value) => {
          busy -= 1;
          resolve(value);
        },
        reject: (error) => {
          busy -= 1;
          reject(error);
        },
      };
      const othersBusy = busy > 0;
      busy += 1;
      if (spec.gather?.() === false) {
        void alone(waiter);
        return;
      }
      pending.push(waiter);
      if (!scheduled) setTimeout(flush, othersBusy || spec.loneCallWaits ? gatherMs : 0);
      scheduled = true;
    });
}
