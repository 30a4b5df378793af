import { bounded } from "../shared/bounded-text.js";

/**
 * Longest piece of a user's input a `check` failure repeats: enough to recognise it, short
 * enough that a mistyped or generated 1 MB value cannot make an error that gRPC or a terminal
 * chokes on.
 */
const INPUT_ECHO_LIMIT = 80;

/** `text` as is when short, else its start and how long it really is. */
export function echoInput(text: string): string {
  return bounded(text, INPUT_ECHO_LIMIT);
}

/** The first `limit` items, and a last one made by `more` for how many were left out. */
export function firstOf<T>(items: readonly T[], limit: number, more: (left: number) => T): T[] {
  if (items.length <= limit) return [...items];
  return [...items.slice(0, limit), more(items.length - limit)];
}
