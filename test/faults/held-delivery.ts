import type { SimulatorHandle } from "../../src/simulator/index.js";
import { pollUntil } from "../support/poll.js";
import type { BeforeSend } from "./secret-watch.js";

/** When a held action is let through, counted in reads of the deployment after it was sent. */
export type Delivery = "before" | "after" | "beyond";

/**
 * Reads after the POST before which the held action is let through: `before` its read back
 * (1), `after` it, at the first read of the late-delivery watch (2), or `beyond` the call (never
 * during it: the caller lets it through once the call gave up).
 */
const READS_BEFORE_RELEASE: Record<Delivery, number> = { before: 1, after: 2, beyond: 0 };

/** Lets held requests through and waits until the simulator has logged them handled. */
export async function releaseHeld(sim: SimulatorHandle): Promise<number> {
  const handledBefore = await heldHandled(sim);
  const released = await sim.control.releaseHeld();
  await pollUntil(
    "the held request to be handled",
    async () => (await heldHandled(sim)) >= handledBefore + released,
    { tries: 100, intervalMs: 10 },
  );
  return released;
}

/** How many requests a `holdMs` fault held the simulator has handled so far. */
export async function heldHandled(sim: SimulatorHandle): Promise<number> {
  return (await sim.control.requests()).filter((entry) => entry.held === true).length;
}

/**
 * A {@link BeforeSend} hook that lets a held `action` through right before the client's `nth`
 * read of `read` after sending it (see {@link READS_BEFORE_RELEASE}); `armed` says, per POST,
 * which delivery applies (none: the hook does nothing).
 */
export function releaseBeforeRead(
  sim: SimulatorHandle,
  armed: () => { action: string; read: string; delivery: Delivery } | undefined,
): BeforeSend {
  let readsLeft = 0;
  return (request) => {
    const plan = armed();
    if (plan === undefined) return undefined;
    if (request.method === "POST" && request.path === plan.action) {
      readsLeft = READS_BEFORE_RELEASE[plan.delivery];
    }
    if (readsLeft === 0 || request.method !== "GET" || request.path !== plan.read) return undefined;
    readsLeft -= 1;
    return readsLeft === 0 ? releaseHeld(sim).then(() => undefined) : undefined;
  };
}
