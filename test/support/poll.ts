/**
 * Checks `condition` every `intervalMs` of real time, at most `tries` times, and returns the
 * first truthy value; fails with `what` when it never comes. For waits on real timers and other
 * processes, which a fake clock cannot advance.
 */
export async function pollUntil<T>(
  what: string,
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  { tries = 100, intervalMs = 20 }: { tries?: number; intervalMs?: number } = {},
): Promise<T> {
  for (let attempt = 1; attempt <= tries; attempt += 1) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    if (attempt < tries) await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${tries} × ${intervalMs} ms waiting for ${what}`);
}
