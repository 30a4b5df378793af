import { API_POLL_FLOOR_SECONDS } from "./promotion-inputs.js";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Milliseconds between two reads while waiting: `pollIntervalSeconds`, raised to
 * {@link API_POLL_FLOOR_SECONDS} unless the API is on loopback (a simulator or a tunnel the user
 * runs), so a small value meant for tests never hammers a shared Cloud Controller.
 */
export function pollIntervalMs(pollIntervalSeconds: number, apiUrl: string): number {
  return Math.max(pollIntervalSeconds, isLoopback(apiUrl) ? 0 : API_POLL_FLOOR_SECONDS) * 1000;
}

function isLoopback(apiUrl: string): boolean {
  try {
    const host = new URL(apiUrl).hostname;
    return LOOPBACK_HOSTS.has(host) || host.startsWith("127.");
  } catch {
    return false;
  }
}
