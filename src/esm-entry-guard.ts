import { extname } from "node:path";

/** What the guard needs of a CommonJS module record (`require.cache` entries). */
interface LoadedModule {
  filename?: string;
  parent?: { filename?: string } | null | undefined;
}

const RUNNER = /@pulumi[\\/]pulumi[\\/]cmd[\\/]run[\\/]run\.js$/;

/**
 * Refuses the one way an ES-module Pulumi program silently declares nothing: an `.mts`/`.mjs`
 * entry (Pulumi.yaml `main`) in a package whose package.json does not say `"type": "module"`.
 * Pulumi's runner then loads it with `require()` (the nearest package.json's `"type"` decides;
 * @pulumi/pulumi cmd/run/run.ts), gets the module namespace back and never calls its default
 * export, so `pulumi up` succeeds with no resource at all. Such an entry is the ES module in
 * `require.cache` that the runner itself required; this package is imported by it, so its load
 * is the first moment anything can say so.
 */
export function assertEsmEntryIsLoadable(
  cache: Readonly<Record<string, LoadedModule | undefined>> = require.cache,
): void {
  for (const loaded of Object.values(cache)) {
    const file = loaded?.filename ?? "";
    if (![".mts", ".mjs"].includes(extname(file))) continue;
    if (!RUNNER.test(loaded?.parent?.filename ?? "")) continue;
    throw new Error(
      `The Pulumi program ${file} is an ES module in a CommonJS package (its package.json does not say "type": "module"), so Pulumi loads it with require() and never calls its default export: nothing would be declared. Add "type": "module" to the package.json (Pulumi then imports the entry), or make the entry a .ts file.`,
    );
  }
}
