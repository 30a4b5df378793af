/**
 * Shared helpers for the simulator conformance suite: start a simulator per test (closed when the
 * test finishes), get tokens through its UAA, and make real HTTP calls.
 *
 * The suite is deliberately independent of the simulator's own types: it declares the handle as
 * `/work/contracts.md` §1 describes it and checks the simulator against
 * `shared/reference/capi-deployments.md`, the way CC's `spec/request/deployments_spec.rb` would.
 */
import { expect, onTestFinished } from "vitest";
import * as simulatorModule from "../../src/simulator/index.js";

/** The users of the default seed (issue 2). */
export type SeedUser =
  | "admin"
  | "developer"
  | "supporter"
  | "manager"
  | "auditor"
  | "outsider"
  | "reader";

/** The apps of the default seed (issue 2). */
export type SeedApp = "web" | "api" | "worker";

/** A user's password-grant credentials. */
export interface Credentials {
  username: string;
  password: string;
}

/** A UAA client's credentials. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** A seeded app as the handle describes it. */
export interface SeedAppInfo {
  guid: string;
  name: string;
  webProcessGuid: string;
  stagedDropletGuid: string | null;
}

/** The simulator handle as the contract (§1) describes it. */
export interface SimHandle {
  url: string;
  uaaUrl: string;
  users: Record<SeedUser, Credentials> & Record<string, Credentials>;
  clients: { promoter: ClientCredentials } & Record<string, ClientCredentials>;
  org: { guid: string; name: string };
  space: { guid: string; name: string };
  apps: Record<SeedApp, SeedAppInfo> & Record<string, SeedAppInfo>;
  deployments: { web: string } & Record<string, string>;
  close(): Promise<void>;
  control: {
    tick(count?: number): Promise<void>;
    addFault(rule: Record<string, unknown>): Promise<void>;
    clearFaults(): Promise<void>;
    requests(): Promise<Array<{ method: string; path: string; status: number }>>;
    clearRequests(): Promise<void>;
    setInstanceState(
      processGuid: string,
      index: number,
      state: "RUNNING" | "CRASHED" | "DOWN",
    ): Promise<void>;
    expireTokens(): Promise<void>;
    auditEvents(filter?: { types?: string[]; targetGuids?: string[] }): Promise<unknown[]>;
  };
}

type StartSimulator = (options?: Record<string, unknown>) => Promise<SimHandle>;

/** Starts a simulator with manual ticks (unless overridden) and closes it when the test ends. */
export async function startSim(options: Record<string, unknown> = {}): Promise<SimHandle> {
  const start = (simulatorModule as unknown as { startSimulator?: StartSimulator }).startSimulator;
  if (typeof start !== "function") {
    throw new Error("src/simulator/index.ts does not export startSimulator (yet)");
  }
  const sim = await start({ tickMs: 0, ...options });
  onTestFinished(() => sim.close());
  return sim;
}

/** A parsed HTTP response. `json` is `undefined` when the body is empty or not JSON. */
export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** Options for {@link call}. */
export interface CallOptions {
  /** Access token; sent as `Authorization: bearer <token>`. */
  token?: string;
  /** JSON body (serialized, with `Content-Type: application/json`). */
  body?: unknown;
  /** A body sent verbatim, with `Content-Type: application/json`. */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** Makes one real HTTP request against the simulator's API root. */
export async function call(
  sim: { url: string },
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<HttpResult> {
  const headers: Record<string, string> & { Authorization?: string } = { ...options.headers };
  if (options.token !== undefined) headers.Authorization = `bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (options.rawBody !== undefined) body = options.rawBody;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return parse(response);
}

async function parse(response: Response): Promise<HttpResult> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** POSTs a form to the simulator's UAA token endpoint. */
export async function tokenRequest(
  sim: { uaaUrl: string },
  form: Record<string, string>,
  basic?: { user: string; password: string },
  base?: string,
): Promise<HttpResult> {
  const headers: Record<string, string> & { Authorization?: string } = {
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
  };
  if (basic !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${basic.user}:${basic.password}`).toString("base64")}`;
  }
  const response = await fetch(`${base ?? sim.uaaUrl}/oauth/token`, {
    method: "POST",
    headers,
    body: new URLSearchParams(form).toString(),
  });
  return parse(response);
}

const tokenCache = new WeakMap<SimHandle, Map<string, string>>();

/** Forgets the cached tokens of a simulator, e.g. after `control.expireTokens()`. */
export function forgetTokens(sim: SimHandle): void {
  tokenCache.delete(sim);
}

/** An access token for a seeded user, from the password grant with Basic `cf:` (reference §9.2). */
export async function tokenFor(sim: SimHandle, user: string): Promise<string> {
  let cache = tokenCache.get(sim);
  if (cache === undefined) {
    cache = new Map();
    tokenCache.set(sim, cache);
  }
  const cached = cache.get(user);
  if (cached !== undefined) return cached;
  const credentials = sim.users[user];
  if (credentials === undefined) throw new Error(`the seed has no user '${user}'`);
  const result = await tokenRequest(
    sim,
    { grant_type: "password", username: credentials.username, password: credentials.password },
    { user: "cf", password: "" },
  );
  expect(result.status, `password grant for ${user}: ${result.text}`).toBe(200);
  const token = (result.json as { access_token: string }).access_token;
  cache.set(user, token);
  return token;
}

/** An access token for a seeded UAA client, from the client-credentials grant. */
export async function clientTokenFor(sim: SimHandle, client: string): Promise<string> {
  const credentials = sim.clients[client];
  if (credentials === undefined) throw new Error(`the seed has no client '${client}'`);
  const result = await tokenRequest(sim, {
    grant_type: "client_credentials",
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  });
  expect(result.status, `client_credentials for ${client}: ${result.text}`).toBe(200);
  return (result.json as { access_token: string }).access_token;
}

/** The JWT claims the suite reads (reference §9.2). */
export interface JwtClaims {
  user_id?: string;
  client_id?: string;
  user_name?: string;
  scope?: string[];
  exp?: number;
}

/** A UAA token response (reference §9.2). */
export interface TokenResponse {
  access_token?: string;
  token_type?: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
  jti?: string;
}

/** Decodes a JWT's claims without verifying it. */
export function jwtClaims(token: string): JwtClaims {
  const payload = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as JwtClaims;
}

/** Asserts a V3 error envelope exactly: status and the one `{detail, title, code}` entry. */
export function expectCfError(
  result: HttpResult,
  status: number,
  code: number,
  title: string,
  detail: string,
): void {
  expect({ status: result.status, body: result.json }).toEqual({
    status,
    body: { errors: [{ detail, title, code }] },
  });
}

/** Asserts a V3 error envelope whose detail starts with the given prefix. */
export function expectCfErrorPrefix(
  result: HttpResult,
  status: number,
  code: number,
  title: string,
  detailPrefix: string,
): string {
  expect(result.status, result.text).toBe(status);
  const body = result.json as { errors: Array<{ detail: string; title: string; code: number }> };
  expect(body.errors).toHaveLength(1);
  const error = body.errors[0];
  expect(error).toEqual({ detail: expect.any(String), title, code });
  expect(error?.detail.startsWith(detailPrefix), error?.detail).toBe(true);
  return error?.detail ?? "";
}

/** The parts of the deployment JSON the suite reads. */
export interface DeploymentJson {
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
  droplet: { guid: string | null };
  previous_droplet: { guid: string | null };
  new_processes: Array<{ guid: string; type: string }>;
  revision: { guid: string; version: number } | null;
  relationships: { app: { data: { guid: string } } };
  metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  links: Record<string, { href: string; method?: string }>;
}

/** GET /v3/deployments/:guid as admin; asserts 200. */
export async function getDeployment(sim: SimHandle, guid: string): Promise<DeploymentJson> {
  const result = await call(sim, "GET", `/v3/deployments/${guid}`, {
    token: await tokenFor(sim, "admin"),
  });
  expect(result.status, result.text).toBe(200);
  return result.json as DeploymentJson;
}

/** `value/reason` of a deployment, read through the API. */
export async function statusOf(sim: SimHandle, guid: string): Promise<string> {
  const deployment = await getDeployment(sim, guid);
  return `${deployment.status.value}/${deployment.status.reason}`;
}

/**
 * Ticks the updater one tick at a time until the deployment's `value/reason` equals `target`.
 * Returns the number of ticks it took; fails after `maxTicks`.
 */
export async function tickUntil(
  sim: SimHandle,
  guid: string,
  target: string,
  maxTicks = 30,
): Promise<number> {
  for (let ticks = 0; ticks <= maxTicks; ticks++) {
    if ((await statusOf(sim, guid)) === target) return ticks;
    if (ticks < maxTicks) await sim.control.tick();
  }
  throw new Error(`deployment ${guid} did not reach ${target} within ${maxTicks} ticks`);
}

/** The seeded `web` canary (steps 25/50/75), ticked until it is PAUSED at step 1. */
export async function pausedWebDeployment(sim: SimHandle): Promise<string> {
  const guid = sim.deployments.web;
  if (guid === undefined) throw new Error("the seed has no deployment for 'web'");
  await tickUntil(sim, guid, "ACTIVE/PAUSED");
  return guid;
}

/** POST /v3/deployments as the given user; returns the raw result. */
export async function createDeployment(
  sim: SimHandle,
  user: string,
  body: Record<string, unknown>,
): Promise<HttpResult> {
  return call(sim, "POST", "/v3/deployments", { token: await tokenFor(sim, user), body });
}

/** Creates a deployment for a seeded app as admin and asserts 201. */
export async function createDeploymentFor(
  sim: SimHandle,
  appName: string,
  extra: Record<string, unknown> = {},
): Promise<DeploymentJson> {
  const app = sim.apps[appName];
  if (app === undefined) throw new Error(`the seed has no app '${appName}'`);
  const body: Record<string, unknown> = {
    relationships: { app: { data: { guid: app.guid } } },
    ...(app.stagedDropletGuid === null ? {} : { droplet: { guid: app.stagedDropletGuid } }),
    ...extra,
  };
  const result = await createDeployment(sim, "admin", body);
  expect(result.status, result.text).toBe(201);
  return result.json as DeploymentJson;
}

/** POSTs an action (`continue` or `cancel`) as the given user. */
export async function action(
  sim: SimHandle,
  user: string,
  guid: string,
  name: "continue" | "cancel",
): Promise<HttpResult> {
  return call(sim, "POST", `/v3/deployments/${guid}/actions/${name}`, {
    token: await tokenFor(sim, user),
  });
}

/** Number of instances `GET /v3/processes/:guid/stats` lists (asserts 200). */
export async function instanceCount(sim: SimHandle, processGuid: string): Promise<number> {
  const result = await call(sim, "GET", `/v3/processes/${processGuid}/stats`, {
    token: await tokenFor(sim, "admin"),
  });
  expect(result.status, result.text).toBe(200);
  return (result.json as { resources: unknown[] }).resources.length;
}

/** A seeded app's guid. */
export function appGuid(sim: SimHandle, name: string): string {
  const app = sim.apps[name];
  if (app === undefined) throw new Error(`the seed has no app '${name}'`);
  return app.guid;
}

/** Whole-second ISO-8601 UTC, as CC renders timestamps (`2018-04-25T22:42:10Z`). */
export const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** A lowercase UUID. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
