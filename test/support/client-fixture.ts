import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CloudFoundryClient,
  type CloudFoundryClientOptions,
  createCloudFoundryClient,
  type Deployment,
} from "../../src/client/index.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { webDeployment } from "./deployments.js";
import { test as simulatorTest } from "./fixture.js";
import { startTinyServer, type TinyHandler, type TinyServer } from "./tiny-server.js";
import { seededUser } from "./uaa.js";

/** A logger that keeps every line. */
export function recordingLogger() {
  const warnings: string[] = [];
  const debug: string[] = [];
  return {
    warnings,
    debug,
    logger: {
      warn: (message: string) => warnings.push(message),
      debug: (message: string) => debug.push(message),
    },
  };
}

export type RecordingLogger = ReturnType<typeof recordingLogger>;

/** Password credentials of a seeded user (`developer` by default). */
export function passwordOf(sim: Pick<SimulatorHandle, "users">, user = "developer") {
  const { username, password } = seededUser(sim, user);
  return { kind: "password" as const, username, password };
}

/** Another client on `sim`, the fake clock and `log`, closed after the test. */
export type MakeClient = (overrides?: Partial<CloudFoundryClientOptions>) => CloudFoundryClient;

/** The seeded web deployment as a client read it, and the names of its path. */
interface LoggedIn {
  guid: string;
  deployment: Deployment;
  /** `/v3/deployments/<guid>` */
  path: string;
  /** `GET /v3/deployments/<guid>`, the start of its request lines. */
  get: string;
}

/** Keeps what a fixture made and undoes it after the test, the last made first. */
function undoAfterTest<T>(
  onCleanup: (cleanup: () => Promise<void>) => void,
  undo: (made: T) => unknown,
): (made: T) => T {
  const kept: T[] = [];
  onCleanup(async () => {
    for (const made of kept.splice(0).reverse()) await undo(made);
  });
  return (made) => {
    kept.push(made);
    return made;
  };
}

/**
 * Has `client` read the seeded web deployment (so it holds a token), then clears the request
 * log: the test sees only its own requests.
 */
export async function loggedIn(
  sim: SimulatorHandle,
  client: CloudFoundryClient,
): Promise<LoggedIn> {
  const guid = webDeployment(sim);
  const deployment = await client.getDeployment(guid);
  await sim.control.clearRequests();
  const path = `/v3/deployments/${guid}`;
  return { guid, deployment, path, get: `GET ${path}` };
}

/**
 * The client test fixture: the simulator fixture plus a client on the same simulator and clock.
 *
 * - `log`: a recording logger every client of `makeClient` writes to.
 * - `clientOptions`: options of every `makeClient` client; vary them per describe with
 *   `test.override({ clientOptions: { … } })`.
 * - `clientUser`: the seeded user `makeClient` logs in as (`developer`); vary it like
 *   `clientOptions`.
 * - `makeClient(overrides)`: a client logged in as `clientUser` with the password grant, on the
 *   fake clock, `random` 0.5 (no jitter spread) and backoff 1 s up to 8 s; closed after the test.
 * - `client`: the first such client.
 * - `tokenClient(apiUrl, options)`: a client with a static opaque token, for a tiny server.
 * - `tinyServer(handler)`: a raw HTTP server, closed with its connections after the test.
 * - `cfHome(config)`: a temporary CF_HOME whose `.cf/config.json` holds `config` (an object, or
 *   raw text), removed after the test.
 *
 * Every fixture is lazy: a test that names only `tinyServer` starts no simulator.
 */
export const test = simulatorTest
  .extend("log", (): RecordingLogger => recordingLogger())
  .extend("clientOptions", {} as Partial<CloudFoundryClientOptions>)
  .extend("clientUser", "developer")
  .extend(
    "makeClient",
    ({ sim, time, log, clientOptions, clientUser }, { onCleanup }): MakeClient => {
      const closeLater = undoAfterTest(onCleanup, (client: CloudFoundryClient) => client.close());
      return (more = {}) =>
        closeLater(
          createCloudFoundryClient({
            apiUrl: sim.url,
            credentials: passwordOf(sim, clientUser),
            logger: log.logger,
            now: time.now,
            sleep: time.sleep,
            random: () => 0.5,
            ...clientOptions,
            ...more,
            retry: { baseDelayMs: 1_000, maxDelayMs: 8_000, ...clientOptions.retry, ...more.retry },
          }),
        );
    },
  )
  .extend("client", ({ makeClient }) => makeClient())
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
  .extend("tokenClient", ({}, { onCleanup }) => {
    const closeLater = undoAfterTest(onCleanup, (client: CloudFoundryClient) => client.close());
    return (
      apiUrl: string,
      options: Omit<CloudFoundryClientOptions, "apiUrl" | "credentials"> = {},
    ): CloudFoundryClient =>
      closeLater(
        createCloudFoundryClient({
          apiUrl,
          credentials: { kind: "accessToken", accessToken: "opaque-token" },
          ...options,
        }),
      );
  })
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
  .extend("tinyServer", ({}, { onCleanup }) => {
    const closeLater = undoAfterTest(onCleanup, (server: TinyServer) => server.close());
    return async (handler?: TinyHandler) => closeLater(await startTinyServer(handler));
  })
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
  .extend("cfHome", ({}, { onCleanup }) => {
    const removeLater = undoAfterTest(onCleanup, (home: string) =>
      rmSync(home, { recursive: true, force: true }),
    );
    return (config: unknown): string => {
      const home = removeLater(mkdtempSync(join(tmpdir(), "cf-home-")));
      mkdirSync(join(home, ".cf"));
      const text = typeof config === "string" ? config : JSON.stringify(config);
      writeFileSync(join(home, ".cf", "config.json"), text);
      return home;
    };
  });

export const it = test;
