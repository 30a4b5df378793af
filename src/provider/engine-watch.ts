import { readFileSync } from "node:fs";
import { type EngineAddress, engineAddressOf, watchEngineAddress } from "./engine-address.js";

/**
 * The provider host is a child of the Pulumi engine (or of `runLocal`), started through the shell
 * shim `pulumi-resource-pulumi-nodejs`, which does not `exec` node, so the engine may be our
 * grandparent (@pulumi/pulumi pulumi-resource-pulumi-nodejs; `ExecPlugin` in pulumi
 * sdk/go/common/resource/plugin/plugin.go). When the engine dies the host is not told: it keeps
 * serving a gRPC port nobody dials. Whoever started us is recorded when this module loads, in
 * the host's first provider call, while the engine is surely there.
 */
const parent = process.ppid;
const engine = isShim(parent) ? parentOf(parent) : undefined;

/**
 * The engine's gRPC address, watched only inside the provider host (its entry is
 * @pulumi/pulumi cmd/dynamic-provider): where /proc cannot be read (macOS) the process checks
 * above see only the shim, which outlives the engine.
 */
const insideHost = /cmd[\\/]dynamic-provider/.test(process.argv[1] ?? "");
const address: EngineAddress | undefined = insideHost ? engineAddressOf(process.argv) : undefined;
const addressWatch = address === undefined ? undefined : watchEngineAddress(address);

/**
 * Why the engine that asked for this promotion is gone, or `undefined` while it is there: our
 * parent changed (we were re-parented), the shim between us lost its own parent, or the engine's
 * gRPC server, seen listening before, refuses connections. A promotion nobody records must not
 * send anything more. Cheap: two small /proc reads and at most one loopback connect a second.
 */
export function engineGone(): string | undefined {
  if (process.ppid !== parent) {
    return `the process that started the provider host (pid ${parent}) has exited`;
  }
  if (engine !== undefined && parentOf(parent) !== engine) {
    return `the Pulumi engine (pid ${engine}) that started the provider host has exited`;
  }
  if (address !== undefined && addressWatch?.refused() === true) {
    return `the Pulumi engine's gRPC server at ${address.host}:${address.port} no longer accepts connections (the engine has exited)`;
  }
  return undefined;
}

let watching = false;

/**
 * Ends this process once the engine is gone (see {@link engineGone}), at most once per process.
 * The Node.js dynamic provider host serves its gRPC port until someone kills it (`main` in
 * @pulumi/pulumi cmd/dynamic-provider/index.ts), and an engine that was SIGKILLed kills nothing,
 * so the host would otherwise stay, idle, for good.
 */
export function endHostWhenEngineGone(): void {
  if (watching) return;
  watching = true;
  startEngineWatchdog(engineGone, () => process.exit(1));
}

/**
 * Calls `exit` once `gone` names a reason, checking every `intervalMs`; the timer alone does not
 * keep the process alive.
 */
export function startEngineWatchdog(
  gone: () => string | undefined,
  exit: () => void,
  intervalMs = 1000,
): NodeJS.Timeout {
  const timer = setInterval(() => {
    if (gone() === undefined) return;
    clearInterval(timer);
    exit();
  }, intervalMs);
  timer.unref();
  return timer;
}

/** The parent of `pid` from `/proc` (Linux); `undefined` where that cannot be read. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so split after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

function isShim(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("pulumi-resource-pulumi-nodejs");
  } catch {
    return false;
  }
}
