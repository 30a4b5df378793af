/**
 * What a secret is replaced with in every error message, log line and error property.
 */
export const REDACTED = "[REDACTED]";

// Shapes that are secrets whatever their value: a JWT (UAA access and refresh tokens are JWTs,
// UAA `docs/UAA-Tokens.md`), an `Authorization` value, and the secret fields of the UAA token
// grants (cf CLI `api/uaa/auth.go`). These catch secrets the redactor was never told about,
// such as a token a proxy echoes back in an HTML error page.
const SECRET_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [
    /\b(access_token|refresh_token|id_token|password|client_secret|assertion)(["']?\s*[=:]\s*["']?)[^\s&"',}]+/gi,
    `$1$2${REDACTED}`,
  ],
];

/** Secrets shorter than this are not replaced verbatim: it would shred ordinary words. */
const MIN_SECRET_LENGTH = 4;

/**
 * Removes secrets from text before it reaches an error, a log line or a thrown value.
 *
 * Pulumi prints provider errors and output verbatim, and UAA echoes a
 * rejected refresh token in its `error_description`, so redaction happens on everything that
 * came from outside, not only on what the client wrote itself.
 */
export interface Redactor {
  /** Registers a value (password, client secret, token) that must never appear in output. */
  add(secret: string | undefined): void;
  /** Returns `text` with every registered secret and every secret-shaped substring replaced. */
  redact(text: string): string;
}

/** Creates a {@link Redactor}; the secrets live in a closure, never on an enumerable property. */
export function createRedactor(initial: Iterable<string | undefined> = []): Redactor {
  const secrets = new Set<string>();
  // Longest first, so a secret containing another is replaced whole. Sorted once per change:
  // every header value of every answer passes through `redact`.
  let longestFirst: readonly string[] = [];
  const add = (secret: string | undefined): void => {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) return;
    const size = secrets.size;
    secrets.add(secret);
    // A token also travels URL-encoded (form bodies) and as "bearer <token>".
    secrets.add(encodeURIComponent(secret));
    if (secrets.size !== size) longestFirst = [...secrets].sort((a, b) => b.length - a.length);
  };
  for (const secret of initial) add(secret);
  return {
    add,
    redact(text: string): string {
      let out = text;
      for (const secret of longestFirst) {
        if (out.includes(secret)) out = out.split(secret).join(REDACTED);
      }
      return redactSecretPatterns(out);
    },
  };
}

/** Replaces secret-shaped substrings (JWTs, `bearer …`, `password=…`) in `text`. */
export function redactSecretPatterns(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
