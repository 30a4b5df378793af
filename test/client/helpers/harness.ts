import { afterEach } from "vitest";
import {
  type CloudFoundryClient,
  type CloudFoundryClientOptions,
  createCloudFoundryClient,
} from "../../../src/client/index.js";
import {
  type SimulatorHandle,
  type SimulatorOptions,
  startSimulator,
} from "../../../src/simulator/index.js";
import { recordingLogger } from "../../support/client-fixture.js";

export { recordingLogger } from "../../support/client-fixture.js";
export { rejectionOf } from "../../support/index.js";

/**
 * A fake clock shared by the simulator and the client: `sleep` records the delay, advances the
 * clock by it and returns at once, so tests assert exact delays and never wait.
 */
export interface FakeTime {
  now(): number;
  advance(ms: number): void;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Every delay passed to `sleep`, in order. */
  readonly sleeps: number[];
  /** Runs during the next sleeps (first in, first used): "meanwhile, elsewhere…". */
  duringSleep(action: () => Promise<void>): void;
}

/** A fake clock starting at `start` (epoch ms). */
export function fakeTime(start = Date.parse("2026-03-01T12:00:00Z")): FakeTime {
  let current = start;
  const sleeps: number[] = [];
  const meanwhile: Array<() => Promise<void>> = [];
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
    async sleep(ms, signal) {
      signal?.throwIfAborted();
      sleeps.push(ms);
      current += ms;
      await meanwhile.shift()?.();
    },
    sleeps,
    duringSleep(action) {
      meanwhile.push(action);
    },
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Registers something to undo after the current test. */
export function onCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/** A simulator with manual ticks on the fake clock, closed after the test. */
export async function startSim(
  time: FakeTime,
  options: SimulatorOptions = {},
): Promise<SimulatorHandle> {
  const sim = await startSimulator({ tickMs: 0, now: time.now, ...options });
  onCleanup(() => sim.close());
  return sim;
}

/** Everything a behaviour test needs: simulator, clock, logger and a client, all cleaned up. */
export interface Setup {
  sim: SimulatorHandle;
  time: FakeTime;
  log: ReturnType<typeof recordingLogger>;
  client: CloudFoundryClient;
  /** Another client on the same simulator, clock and logger. */
  makeClient(overrides?: Partial<CloudFoundryClientOptions>): CloudFoundryClient;
}

/** Password credentials of a seeded user (`developer` by default). */
export function passwordOf(sim: SimulatorHandle, user = "developer") {
  const creds = sim.users[user];
  if (creds === undefined) throw new Error(`no seeded user ${user}`);
  return { kind: "password" as const, username: creds.username, password: creds.password };
}

/** Starts a simulator and a client logged in as `developer` with the password grant. */
export async function setup(
  overrides: Partial<CloudFoundryClientOptions> = {},
  simOptions: SimulatorOptions = {},
): Promise<Setup> {
  const time = fakeTime();
  const sim = await startSim(time, simOptions);
  const log = recordingLogger();
  const makeClient = (more: Partial<CloudFoundryClientOptions> = {}) => {
    const client = createCloudFoundryClient({
      apiUrl: sim.url,
      credentials: passwordOf(sim),
      logger: log.logger,
      now: time.now,
      sleep: time.sleep,
      random: () => 0.5,
      ...overrides,
      ...more,
      retry: { baseDelayMs: 1_000, maxDelayMs: 8_000, ...overrides.retry, ...more.retry },
    });
    onCleanup(() => client.close());
    return client;
  };
  return { sim, time, log, client: makeClient(), makeClient };
}

/**
 * {@link setup}, then one GET of the seeded web deployment (so the client is logged in), then
 * a cleared request log: tests see only their own requests.
 */
export async function loggedIn(...args: Parameters<typeof setup>) {
  const context = await setup(...args);
  const guid = webDeploymentGuid(context.sim);
  const deployment = await context.client.getDeployment(guid);
  await context.sim.control.clearRequests();
  const path = `/v3/deployments/${guid}`;
  return { ...context, guid, deployment, path, get: `GET ${path}` };
}

/** The request log as `METHOD path[?query] status` lines. */
export async function requestLines(sim: SimulatorHandle): Promise<string[]> {
  return (await sim.control.requests()).map((entry) => {
    const query = new URLSearchParams(entry.query).toString();
    return `${entry.method} ${entry.path}${query === "" ? "" : `?${query}`} ${entry.status}`;
  });
}

/** GUID of the seeded `web` canary deployment. */
export function webDeploymentGuid(sim: SimulatorHandle): string {
  const guid = sim.deployments["web"];
  if (guid === undefined) throw new Error("no seeded web deployment");
  return guid;
}

/** A client with a static (opaque) token for `apiUrl`, closed after the test. */
export function tokenClient(
  apiUrl: string,
  options: Omit<CloudFoundryClientOptions, "apiUrl" | "credentials"> = {},
): CloudFoundryClient {
  const client = createCloudFoundryClient({
    apiUrl,
    credentials: { kind: "accessToken", accessToken: "opaque-token" },
    ...options,
  });
  onCleanup(() => client.close());
  return client;
}
