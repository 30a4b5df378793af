import { isLoopbackUrl as isLoopback } from "./loopback-url.js";
import { API_POLL_FLOOR_SECONDS } from "./promotion-inputs.js";

/**
 * Milliseconds between two reads while waiting: `pollIntervalSeconds`, raised to
 * {@link API_POLL_FLOOR_SECONDS} unless the API is on loopback (a simulator or a tunnel the user
 * runs), so a small value meant for tests never hammers a shared Cloud Controller.
 */
export function pollIntervalMs(pollIntervalSeconds: number, apiUrl: string): number {
  return Math.max(pollIntervalSeconds, isLoopback(apiUrl) ? 0 : API_POLL_FLOOR_SECONDS) * 1000;
}

/**
 * The least time between two reads of a waiting deployment, whatever the tick-aware schedule
 * would like: {@link API_POLL_FLOOR_SECONDS}, none on loopback.
 */
export function pollFloorMs(apiUrl: string): number {
  return isLoopback(apiUrl) ? 0 : API_POLL_FLOOR_SECONDS * 1000;
}

/** The client's least watch interval (`lateDelivery.pollIntervalMs`). */
const MIN_WATCH_INTERVAL_MS = 100;

/**
 * The late-delivery watch of a continue or cancel in doubt: `lateDeliverySeconds` long, reading
 * the deployment as often as the promotion itself does (never below the client's 100 ms).
 */
export function lateDeliveryWindow(
  settings: { lateDeliverySeconds: number; pollIntervalSeconds: number },
  apiUrl: string,
): { windowMs: number; pollIntervalMs: number } {
  return {
    windowMs: Math.round(settings.lateDeliverySeconds * 1000),
    pollIntervalMs: Math.max(
      MIN_WATCH_INTERVAL_MS,
      Math.ceil(pollIntervalMs(settings.pollIntervalSeconds, apiUrl)),
    ),
  };
}
