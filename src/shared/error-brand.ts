/**
 * Whether `error` is of the error family `name`: its `name` is the family's and its `code` starts
 * with `codePrefix` (and is `code`, when given). A brand rather than `instanceof`, because a
 * process can load a module twice (from source and from `dist/`), each copy with its own class.
 */
export function hasErrorBrand(
  error: unknown,
  name: string,
  codePrefix: string,
  code?: string,
): error is { name: string; code: string } {
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as { name?: unknown; code?: unknown };
  return (
    candidate.name === name &&
    typeof candidate.code === "string" &&
    candidate.code.startsWith(codePrefix) &&
    (code === undefined || candidate.code === code)
  );
}
