/**
 * CC renders timestamps as ISO-8601 UTC with whole seconds, e.g. `2018-04-25T22:42:10Z`
 * in every V3 presenter. The simulator keeps milliseconds internally so that ordering by
 * creation time stays exact when several resources are created within one second.
 */
export function formatTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
