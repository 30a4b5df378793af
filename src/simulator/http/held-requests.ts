/** A request a fault holds back, as `GET /_sim/held` lists it. */
export interface HeldRequest {
  method: string;
  path: string;
  /** When it arrived (simulator clock, ISO-8601 with milliseconds). */
  arrived: string;
  /** Whether its client is still waiting for the answer. */
  clientConnected: boolean;
}

interface Waiting {
  request: Omit<HeldRequest, "clientConnected">;
  isClientConnected: () => boolean;
  releasable: boolean;
  timer: NodeJS.Timeout;
  /** Ends the wait: `true` handles the request, `false` drops it (the simulator is closing). */
  end: (handle: boolean) => void;
  /** Settles once the request has been handled (or dropped) after the wait. */
  handled: Promise<void>;
}

/** What a held request's caller does with its turn. */
export interface Hold {
  /** Resolves `true` when the request should be handled now, `false` when it is dropped. */
  released: Promise<boolean>;
  /** Marks the request as handled, so a release that let it go can answer. */
  finished(): void;
}

/**
 * Requests waiting on a `delayMs` or `holdMs` fault. Both wait on real timers, since the fake
 * clock of a test only moves when the test says so; a `holdMs` wait also ends on
 * {@link HeldRequests.release}, which lets a test deliver a request late at an exact moment.
 */
export class HeldRequests {
  private readonly waiting = new Set<Waiting>();

  /**
   * Holds a request for `ms` wall-clock milliseconds, or until released when `releasable`.
   * The request is handled afterwards whether or not its client is still there.
   */
  hold(
    request: Omit<HeldRequest, "clientConnected">,
    ms: number,
    options: { releasable: boolean; isClientConnected: () => boolean },
  ): Hold {
    let end: (handle: boolean) => void = () => undefined;
    let finished: () => void = () => undefined;
    const released = new Promise<boolean>((resolve) => {
      end = resolve;
    });
    const handled = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const entry: Waiting = {
      request,
      isClientConnected: options.isClientConnected,
      releasable: options.releasable,
      timer: setTimeout(() => this.end(entry, true), ms),
      end,
      handled,
    };
    this.waiting.add(entry);
    return { released, finished };
  }

  /** The requests a `holdMs` fault is holding, oldest first. */
  list(): HeldRequest[] {
    return [...this.waiting]
      .filter((entry) => entry.releasable)
      .map((entry) => ({ ...entry.request, clientConnected: entry.isClientConnected() }));
  }

  /**
   * Lets every `holdMs` request go now, oldest first, and resolves once all of them have been
   * handled, so the caller sees their effects. Returns how many were released.
   */
  async release(): Promise<number> {
    const released = [...this.waiting].filter((entry) => entry.releasable);
    for (const entry of released) {
      this.end(entry, true);
      await entry.handled;
    }
    return released.length;
  }

  /** Drops every waiting request unhandled; the simulator is closing. */
  dropAll(): void {
    for (const entry of [...this.waiting]) this.end(entry, false);
  }

  private end(entry: Waiting, handle: boolean): void {
    if (!this.waiting.delete(entry)) return;
    clearTimeout(entry.timer);
    entry.end(handle);
  }
}
