import { expect } from "vitest";
import type { Deployment } from "../../src/client/index.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { type Answer, call } from "./http.js";
import { tokenFor } from "./uaa.js";

/** A deployment as the simulator renders it: the client's type plus the links it reads. */
export type DeploymentJson = Deployment & { links: DeploymentLinks };

interface Link {
  href: string;
  method?: string;
}

type DeploymentLinks = { self: Link; app: Link; cancel?: Link; continue?: Link } & Record<
  string,
  Link
>;

/** Whole-second ISO-8601 UTC, as CC renders timestamps (`2018-04-25T22:42:10Z`). */
export const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** A lowercase UUID. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** GUID of the seeded `web` canary deployment. */
export function webDeployment(sim: SimulatorHandle): string {
  const guid = sim.deployments["web"];
  if (guid === undefined) throw new Error("the seed has no deployment for 'web'");
  return guid;
}

/** A seeded app's start-up info. */
export function seededApp(sim: SimulatorHandle, name: string) {
  const app = sim.apps[name];
  if (app === undefined) throw new Error(`the seed has no app '${name}'`);
  return app;
}

export function appGuid(sim: SimulatorHandle, name: string): string {
  return seededApp(sim, name).guid;
}

/** The request log as `METHOD path[?query] status` lines. */
export async function requestLines(sim: SimulatorHandle): Promise<string[]> {
  return (await sim.control.requests()).map((entry) => {
    const query = new URLSearchParams(entry.query).toString();
    return `${entry.method} ${entry.path}${query === "" ? "" : `?${query}`} ${entry.status}`;
  });
}

/** GET /v3/deployments/:guid as admin; asserts 200. */
export async function getDeployment(sim: SimulatorHandle, guid: string): Promise<DeploymentJson> {
  const result = await call(sim, "GET", `/v3/deployments/${guid}`, {
    token: await tokenFor(sim, "admin"),
  });
  expect(result.status, result.text).toBe(200);
  return result.json as DeploymentJson;
}

/** `value/reason` of a deployment, read through the API. */
export async function statusOf(sim: SimulatorHandle, guid: string): Promise<string> {
  const deployment = await getDeployment(sim, guid);
  return `${deployment.status.value}/${deployment.status.reason}`;
}

/**
 * Ticks the updater one tick at a time until the deployment's `value/reason` equals `target`.
 * Returns the number of ticks it took; fails after `maxTicks`.
 */
export async function tickUntil(
  sim: SimulatorHandle,
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
export async function pausedWebDeployment(sim: SimulatorHandle): Promise<string> {
  const guid = webDeployment(sim);
  await tickUntil(sim, guid, "ACTIVE/PAUSED");
  return guid;
}

/** POST /v3/deployments as the given user; returns the raw result. */
export async function createDeployment(
  sim: SimulatorHandle,
  user: string,
  body: Record<string, unknown>,
): Promise<Answer> {
  return call(sim, "POST", "/v3/deployments", { token: await tokenFor(sim, user), body });
}

/** Creates a deployment for a seeded app as admin and asserts 201. */
export async function createDeploymentFor(
  sim: SimulatorHandle,
  appName: string,
  extra: Record<string, unknown> = {},
): Promise<DeploymentJson> {
  const app = seededApp(sim, appName);
  const body: Record<string, unknown> = {
    relationships: { app: { data: { guid: app.guid } } },
    ...(app.stagedDropletGuid === null ? {} : { droplet: { guid: app.stagedDropletGuid } }),
    ...extra,
  };
  const result = await createDeployment(sim, "admin", body);
  expect(result.status, result.text).toBe(201);
  return result.json as DeploymentJson;
}

export type DeploymentAction = "continue" | "cancel";

/** POSTs an action (`continue` or `cancel`) as the given user. */
export async function action(
  sim: SimulatorHandle,
  user: string,
  guid: string,
  name: DeploymentAction,
): Promise<Answer> {
  return call(sim, "POST", `/v3/deployments/${guid}/actions/${name}`, {
    token: await tokenFor(sim, user),
  });
}

/** Number of instances `GET /v3/processes/:guid/stats` lists (asserts 200). */
export async function instanceCount(sim: SimulatorHandle, processGuid: string): Promise<number> {
  const result = await call(sim, "GET", `/v3/processes/${processGuid}/stats`, {
    token: await tokenFor(sim, "admin"),
  });
  expect(result.status, result.text).toBe(200);
  return (result.json as { resources: unknown[] }).resources.length;
}
