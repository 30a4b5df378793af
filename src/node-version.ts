/**
 * The oldest Node.js this package runs on: `@pulumi/pulumi` 3.276 declares `engines.node >= 22`
 * and undici 8 `>= 22.19.0`; on Node 20 undici fails while loading
 * (`lib/interceptor/decompress.js`), far from anything that says why.
 */
export const MINIMUM_NODE_VERSION = "22.19.0";

/** Whether `version` ("22.23.3") is at least {@link MINIMUM_NODE_VERSION}. */
export function isSupportedNodeVersion(version: string): boolean {
  const have = version.split(".").map(Number);
  const need = MINIMUM_NODE_VERSION.split(".").map(Number);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/**
 * Throws a clear error when the running Node.js is too old. `where` names what was loading
 * ("the Pulumi program", "the provider"), because the pulumi CLI starts the program and the
 * provider host with the first `node` on PATH, which may differ from the user's shell.
 */
export function assertSupportedNode(
  where: string,
  runtime: { version: string; execPath: string } = {
    version: process.versions.node,
    execPath: process.execPath,
  },
): void {
  if (isSupportedNodeVersion(runtime.version)) return;
  throw new Error(
    `cf-deployment-promotion needs Node.js >= ${MINIMUM_NODE_VERSION}, but ${where} runs on Node.js v${runtime.version} (${runtime.execPath}). The pulumi CLI starts programs and providers with the first node on PATH: put Node.js ${MINIMUM_NODE_VERSION} or newer first on PATH and run the command again.`,
  );
}
