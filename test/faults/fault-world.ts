import {
  type CloudFoundryClient,
  type CloudFoundryClientOptions,
  createCloudFoundryClient,
} from "../../src/client/index.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import type { FakeTime } from "../support/index.js";
import { tickUntil } from "../support/index.js";

export const CONTINUE_EVENT = "audit.app.deployment.continue";
export const CANCEL_EVENT = "audit.app.deployment.cancel";

/** Every line the client logged, kept so the secret scan can read them. */
export interface LogLines {
  lines: string[];
  logger: { warn(message: string): void; debug(message: string): void };
}

export function logLines(): LogLines {
  const lines: string[] = [];
  return {
    lines,
    logger: {
      warn: (message) => lines.push(`warn: ${message}`),
      debug: (message) => lines.push(`debug: ${message}`),
    },
  };
}

/**
 * A client of `sim` as the seeded developer on the fake clock, not yet logged in, so its first
 * request is a token request the matrix can fault too.
 */
export function developerClient(
  sim: SimulatorHandle,
  time: FakeTime,
  log: LogLines,
  random: () => number = () => 0.5,
  overrides: Partial<CloudFoundryClientOptions> = {},
): CloudFoundryClient {
  const user = sim.users["developer"];
  if (user === undefined) throw new Error("the seed has no user 'developer'");
  return createCloudFoundryClient({
    apiUrl: sim.url,
    credentials: { kind: "password", username: user.username, password: user.password },
    logger: log.logger,
    now: time.now,
    sleep: time.sleep,
    random,
    retry: { baseDelayMs: 1_000, maxDelayMs: 8_000 },
    ...overrides,
  });
}

/** Short names of the requests a promotion makes, so a row's expected log fits on one line. */
export async function requestKinds(sim: SimulatorHandle): Promise<string[]> {
  return (await sim.control.requests()).map((entry) => {
    const kind = requestKind(entry.method, entry.path);
    const flags = `${entry.held === true ? " held" : ""}${entry.clientGone === true ? " gone" : ""}`;
    return `${kind} ${entry.status}${flags}`;
  });
}

function requestKind(method: string, path: string): string {
  if (method === "POST" && path === "/uaa/oauth/token") return "token";
  if (method === "GET" && path === "/v3/deployments") return "list";
  if (method === "GET" && /^\/v3\/deployments\/[^/]+$/.test(path)) return "get";
  const action = /^\/v3\/deployments\/[^/]+\/actions\/(continue|cancel)$/.exec(path);
  if (method === "POST" && action !== null) return action[1] ?? path;
  return `${method} ${path}`;
}

/** Continue (or cancel) audit events per deployment, counted from the simulator's audit trail. */
export async function eventsPerDeployment(
  sim: SimulatorHandle,
  type: string = CONTINUE_EVENT,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const event of await sim.control.auditEvents({ types: [type] })) {
    const guid = String(event.data["deployment_guid"]);
    counts.set(guid, (counts.get(guid) ?? 0) + 1);
  }
  return counts;
}

/** The seeded web canary, PAUSED at step 1, with a clean request log. */
export async function pausedWeb(sim: SimulatorHandle): Promise<{ guid: string; appGuid: string }> {
  const guid = sim.deployments["web"];
  const appGuid = sim.apps["web"]?.guid;
  if (guid === undefined || appGuid === undefined) throw new Error("the seed has no web canary");
  await tickUntil(sim, guid, "ACTIVE/PAUSED");
  await sim.control.clearRequests();
  return { guid, appGuid };
}
