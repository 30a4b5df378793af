/**
 * The longest stretch of a value the client echoes into a message or an error field: long
 * enough to recognise a path, a detail or a body, short enough that an error always crosses
 * the Pulumi engine's gRPC link and stays readable in a terminal.
 */
export const ECHO_LIMIT = 200;

/**
 * `text` on one line (every run of whitespace, newlines included, made one space) and cut to
 * `limit` characters with an ellipsis and the original length, e.g. `/v3/apps?names=aaa… (1048590
 * characters)`.
 */
export function bounded(text: string, limit = ECHO_LIMIT): string {
  const line = text.length > limit * 4 ? text.slice(0, limit * 4) : text;
  const flat = line.replace(/\s+/g, " ").trim();
  if (flat.length <= limit && line.length === text.length) return flat;
  return `${flat.slice(0, limit)}… (${text.length} characters)`;
}
