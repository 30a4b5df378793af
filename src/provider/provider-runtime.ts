import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { setTimeout as delay } from "node:timers/promises";
import { createCloudFoundryClient } from "../client/index.js";
import { pooledClients } from "./client-pool.js";
import type { ConnectionSettings, ResolvedConnection } from "./connection-settings.js";
import { resolveConnection } from "./connection-settings.js";
import { abortWhenEngineGone } from "./engine-abort.js";
import { endHostWhenEngineGone, engineGone } from "./engine-watch.js";
import type { PromotionClient } from "./promotion-client.js";
import { signalledClient } from "./signalled-client.js";

/** How long the read-only look of `check` or `diff` at the Cloud Controller may take. */
export const PLAN_BUDGET_MS = 30_000;

/**
 * Everything the provider methods take from the outside world, injected so tests can replace the
 * clock, the output and the Cloud Controller client.
 */
export interface ProviderRuntime {
  /** The `cloudfoundry:*` stack settings that `configure` read. */
  stack: ConnectionSettings;
  /** The environment (for `CF_*` and `CF_HOME`). */
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  fileExists: (file: string) => boolean;
  now: () => number;
  /** Waits `ms`; rejects with the signal's reason as soon as it aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Prints one line for the user (the host's stdout reaches `pulumi up` since CLI v3.146, pulumi/pulumi#18253). */
  print: (line: string) => void;
  /** Builds a client for a resolved connection. */
  createClient: (connection: ResolvedConnection) => PromotionClient;
  /** Why the engine that asked for this call is gone, or `undefined` while it is there. */
  engineGone: () => string | undefined;
}

/** The runtime of the real provider host: process env, wall clock, stdout, the package's client. */
export function createProviderRuntime(
  stack: ConnectionSettings,
  overrides: Partial<Omit<ProviderRuntime, "stack">> = {},
): ProviderRuntime {
  const print = overrides.print ?? ((line: string) => console.log(line));
  // The real engine watch also ends the host once the engine is gone; a test's own watch does not.
  if (overrides.engineGone === undefined) endHostWhenEngineGone();
  return {
    stack,
    env: process.env,
    homeDir: homedir(),
    fileExists: existsSync,
    now: Date.now,
    sleep: (ms, signal) => sleepUnlessAborted(ms, signal),
    print,
    engineGone,
    createClient:
      overrides.print === undefined ? hostClients : (connection) => clientFor(connection, print),
    ...overrides,
  };
}

/** Waits `ms`; an abort ends the wait (and its timer) with the signal's reason. */
async function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await delay(ms, undefined, signal === undefined ? {} : { signal });
  } catch (error) {
    // timers/promises rejects with its own AbortError; the caller wants the reason.
    throw signal?.aborted === true ? signal.reason : error;
  }
}

/** The package's client for `connection`, printing its warnings with `print`. */
function clientFor(connection: ResolvedConnection, print: (line: string) => void) {
  return createCloudFoundryClient({
    ...(connection.apiUrl === undefined ? {} : { apiUrl: connection.apiUrl }),
    credentials: connection.credentials,
    ...(connection.skipSslValidation === undefined
      ? {}
      : { skipSslValidation: connection.skipSslValidation }),
    // X-Cf-Warnings and the TLS warning, already redacted by the client.
    logger: { warn: (message) => print(`warning: ${message}`) },
  });
}

/** The host's clients, one per connection, shared by every provider call (see `pooledClients`). */
const hostClients = pooledClients((connection) =>
  clientFor(connection, (line) => console.log(line)),
);

/**
 * Resolves the connection, gets its client, runs `use` with it and closes it, whatever happens.
 * The host's own clients are shared by every call on the same connection (see `pooledClients`),
 * and their `close` is a no-op; an injected `createClient` decides for itself. Every client call
 * and wait of `use` takes the call's `signal`, aborted once the engine is gone (see
 * {@link abortWhenEngineGone}), so nothing more is sent even before the host's own watch ends it.
 */
export async function withClient<T>(
  runtime: ProviderRuntime,
  use: (client: PromotionClient, connection: ResolvedConnection, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const connection = resolveConnection({
    stack: runtime.stack,
    env: runtime.env,
    homeDir: runtime.homeDir,
    fileExists: runtime.fileExists,
  });
  const client = runtime.createClient(connection);
  const engine = abortWhenEngineGone(runtime.engineGone);
  try {
    return await use(signalledClient(client, engine.signal), connection, engine.signal);
  } finally {
    engine.stop();
    await client.close();
  }
}

/** The line that says where the provider connects and as whom (never a secret). */
export function describeConnection(
  client: PromotionClient,
  connection: ResolvedConnection,
): string {
  return `cloudfoundry: ${client.apiUrl} as ${client.credentialSourceDescription} (from ${connection.source})`;
}
