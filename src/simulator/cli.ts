#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseSeedDescription, type SeedDescription } from "./seed-schema.js";
import { startSimulator } from "./server.js";
import type { SimulatorOptions } from "./simulator-options.js";
import type { SimulatorHandle } from "./simulator-types.js";

const USAGE = `Usage: cf-capi-sim [--port N] [--host H] [--tick-ms N] [--token-ttl-s N]
                   [--rate-limit N --rate-limit-window-s N] [--seed default|empty|FILE]
                   [--log-requests] [--tls]

Starts a Cloud Controller V3 + UAA simulator, prints one JSON line (URLs, credentials, seeded
GUIDs), then serves until SIGINT, SIGTERM or SIGHUP, or until the process that started it exits.`;

function integer(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) {
    throw new Error(`--${flag} must be an integer ≥ ${min}, got '${value}'`);
  }
  return parsed;
}

function loadSeed(value: string | undefined): "default" | "empty" | SeedDescription {
  if (value === undefined || value === "default" || value === "empty") return value ?? "default";
  let text: string;
  try {
    text = readFileSync(value, "utf8");
  } catch (error) {
    throw new Error(`--seed: cannot read ${value}: ${(error as Error).message}`);
  }
  try {
    return parseSeedDescription(JSON.parse(text));
  } catch (error) {
    throw new Error(`--seed ${value}: ${(error as Error).message}`);
  }
}

/** Parses the command line into simulator options. */
export function parseCliOptions(argv: string[]): SimulatorOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "tick-ms": { type: "string" },
      "token-ttl-s": { type: "string" },
      "rate-limit": { type: "string" },
      "rate-limit-window-s": { type: "string" },
      seed: { type: "string" },
      "log-requests": { type: "boolean" },
      tls: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help === true) return "help";
  const options: SimulatorOptions = { seed: loadSeed(values.seed) };
  const port = integer("port", values.port, 0);
  if (port !== undefined) options.port = port;
  if (values.host !== undefined) options.host = values.host;
  const tickMs = integer("tick-ms", values["tick-ms"], 0);
  if (tickMs !== undefined) options.tickMs = tickMs;
  const ttl = integer("token-ttl-s", values["token-ttl-s"], 1);
  if (ttl !== undefined) options.tokenTtlSeconds = ttl;
  const limit = integer("rate-limit", values["rate-limit"], 1);
  const windowSeconds = integer("rate-limit-window-s", values["rate-limit-window-s"], 1);
  if (limit !== undefined) options.rateLimit = { limit, windowSeconds: windowSeconds ?? 3600 };
  else if (windowSeconds !== undefined) throw new Error("--rate-limit-window-s needs --rate-limit");
  if (values["log-requests"] === true) options.logRequests = true;
  if (values.tls === true) options.tls = true;
  return options;
}

const CLOSE_TIMEOUT_MS = 5_000;
const PARENT_POLL_MS = 250;

/**
 * Calls `onGone` once the process that started us has exited, seen as our parent pid changing
 * (an orphan is re-parented to init or a subreaper). `npx cf-capi-sim & kill $!` signals npm's
 * wrapper, not us; without this the simulator would keep serving after its CI job step ended.
 * Stdin is no signal here: a shell's `&` gives a background job /dev/null, which is closed at once.
 */
function watchParent(onGone: () => void): void {
  const parent = process.ppid;
  // Started by init itself, there is no parent to outlive.
  if (parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, PARENT_POLL_MS);
  timer.unref();
}

async function main(): Promise<void> {
  let options: SimulatorOptions | "help";
  try {
    options = parseCliOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`cf-capi-sim: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Signal handlers go in before anything is printed: a caller may stop us as soon as it has
  // read the line. A second signal while closing is ignored rather than killing the process.
  let handle: SimulatorHandle | undefined;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Open connections are closed by force, so this bound only guards against a stuck close.
    setTimeout(() => process.exit(0), CLOSE_TIMEOUT_MS).unref();
    (handle?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stop);
  watchParent(stop);
  handle = await startSimulator(options);
  if (stopping) {
    await handle.close();
    return;
  }
  const { close: _close, control: _control, ...info } = handle;
  process.stdout.write(`${JSON.stringify(info)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`cf-capi-sim: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
