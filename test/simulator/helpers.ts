import { afterEach } from "vitest";
import {
  type SimulatorHandle,
  type SimulatorOptions,
  startSimulator,
} from "../../src/simulator/index.js";

/** A parsed HTTP answer. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

const running: SimulatorHandle[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

/** Starts a simulator on port 0 with manual ticks; closed after the test. */
export async function start(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const sim = await startSimulator({ tickMs: 0, ...options });
  running.push(sim);
  return sim;
}

/** Sends a request and reads the whole answer. */
export async function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** The CF error envelope for one error. */
export function cfError(code: number, title: string, detail: string) {
  return { errors: [{ detail, title, code }] };
}

/** The UAA's whole answer to a password grant for a seeded user (Basic `cf:`, as `cf login`). */
export async function passwordGrant(
  sim: SimulatorHandle,
  user: string,
): Promise<{ access_token: string; refresh_token: string }> {
  const creds = sim.users[user];
  if (creds === undefined) throw new Error(`no user ${user}`);
  const answer = await send(`${sim.uaaUrl}/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from("cf:").toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({
      grant_type: "password",
      username: creds.username,
      password: creds.password,
    }).toString(),
  });
  if (answer.status !== 200) throw new Error(`login ${user}: ${answer.status} ${answer.text}`);
  return answer.body as { access_token: string; refresh_token: string };
}

/** Password-grant access token for a seeded user (Basic `cf:`). */
export async function tokenFor(sim: SimulatorHandle, user: string): Promise<string> {
  return (await passwordGrant(sim, user)).access_token;
}

/** A client bound to one simulator and one user's token. */
export async function asUser(sim: SimulatorHandle, user: string) {
  const token = await tokenFor(sim, user);
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    send(`${sim.url}${path}`, {
      method,
      headers: {
        authorization: `bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
}

/** GUID of the seeded `web` deployment. */
export function webDeployment(sim: SimulatorHandle): string {
  const { web: guid } = sim.deployments;
  if (guid === undefined) throw new Error("no web deployment");
  return guid;
}

/** The fields of deployment JSON the tests read. */
export interface DeploymentBody {
  guid: string;
  created_at: string;
  updated_at: string;
  status: {
    value: string;
    reason: string;
    details: { last_successful_healthcheck: string; last_status_change: string; error?: string };
    canary?: { steps: { current: number; total: number } };
  };
  strategy: string;
  options: Record<string, unknown>;
  droplet: { guid: string };
  previous_droplet: { guid: string | null };
  new_processes: Array<{ guid: string; type: string }>;
  relationships: { app: { data: { guid: string } } };
  links: {
    self: { href: string };
    app: { href: string };
    cancel?: { href: string; method: string };
    continue?: { href: string; method: string };
  };
}

/** A seeded app's start-up info. */
export function seededApp(sim: SimulatorHandle, name: string) {
  const app = sim.apps[name];
  if (app === undefined) throw new Error(`no seeded app ${name}`);
  return app;
}
