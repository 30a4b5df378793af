import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion, type DeploymentPromotionArgs } from "cf-deployment-promotion";
import { afterEach } from "vitest";
import { createCloudFoundryClient } from "../../src/client/index.js";
import {
  type SimulatorHandle,
  type SimulatorOptions,
  startSimulator,
} from "../../src/simulator/index.js";
import type { ConfigValue, RunLocalOptions, RunLocalResult } from "../../src/testing/index.js";

// The harness is loaded with Node's own `require`, as users get it (the package's `testing`
// export, i.e. `dist/`, which `npm test` builds before vitest runs).
const nodeRequire = createRequire(__filename);
export const testing: typeof import("../../src/testing/index.js") = nodeRequire(
  "cf-deployment-promotion/testing",
);

/** The repository root: the project directory the provider host runs in. */
export const projectDir = resolve(__dirname, "../..");
/** Project name, as in the top-level `Pulumi.yaml`. */
export const PROJECT = "cf-deployment-promotion";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts a simulator (default seed), closed after the test. */
export async function startSim(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const sim = await startSimulator({ tickMs: 20, ...options });
  cleanups.push(() => sim.close());
  return sim;
}

/** A fresh directory, removed after the test. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Runs the test with no `CF_*` variable from the developer's environment, and with `CF_HOME` on an
 * empty directory (so no `~/.cf/config.json` is found); extra variables may be set. The provider
 * host inherits this process's environment. Restored after the test.
 */
export function isolateCfEnvironment(extra: Record<string, string> = {}): string {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) {
    if (key.startsWith("CF_")) Reflect.deleteProperty(process.env, key);
  }
  const cfHome = tempDir("cf-home-");
  Object.assign(process.env, { CF_HOME: cfHome, ...extra });
  cleanups.push(() => {
    for (const key of Object.keys(process.env)) {
      if (!(key in saved)) Reflect.deleteProperty(process.env, key);
    }
    Object.assign(process.env, saved);
  });
  return cfHome;
}

/** The seeded developer's credentials. */
export function developer(sim: SimulatorHandle): { username: string; password: string } {
  const { developer: user } = sim.users;
  if (user === undefined) throw new Error("the default seed has no developer");
  return user;
}

/** Stack config for the examples: where `web` lives, fast polling, and the connection. */
export function stackConfig(
  sim: SimulatorHandle,
  extra: Record<string, ConfigValue> = {},
  connection: "stack" | "none" = "stack",
): Record<string, ConfigValue> {
  const user = developer(sim);
  return {
    org: sim.org.name,
    space: sim.space.name,
    pollIntervalSeconds: "0.05",
    ...(connection === "stack"
      ? {
          "cloudfoundry:apiUrl": sim.url,
          "cloudfoundry:user": user.username,
          "cloudfoundry:password": { secret: user.password },
        }
      : {}),
    ...extra,
  };
}

/** A stack: one state file, and `run` for each operation on it. */
export function newStack(sim: SimulatorHandle, stack = "dev") {
  const stateFile = join(tempDir("state-"), "stack.json");
  const run = (
    operation: RunLocalOptions["operation"],
    program: () => unknown,
    config: Record<string, ConfigValue> = stackConfig(sim),
  ): Promise<RunLocalResult> =>
    testing.runLocal({
      operation,
      program: program as () => Promise<Record<string, unknown>>,
      project: PROJECT,
      stack,
      stateFile,
      projectDir,
      config,
    });
  return { stateFile, run };
}

/** The Cloud Controller requests (not UAA) with the given method. */
export async function ccRequests(sim: SimulatorHandle, method?: string) {
  return (await sim.control.requests()).filter(
    (r) => r.path.startsWith("/v3") && (method === undefined || r.method === method),
  );
}

/** POST paths sent to the Cloud Controller. */
export async function posts(sim: SimulatorHandle): Promise<string[]> {
  return (await ccRequests(sim, "POST")).map((r) => r.path);
}

/** A client as another operator would use it (to cancel, or to look at the deployment). */
export function operatorClient(sim: SimulatorHandle) {
  const user = developer(sim);
  const client = createCloudFoundryClient({
    apiUrl: sim.url,
    credentials: { kind: "password", username: user.username, password: user.password },
  });
  cleanups.push(() => client.close());
  return client;
}

/** The seeded `web` deployment's GUID. */
export function webDeployment(sim: SimulatorHandle): string {
  const { web: guid } = sim.deployments;
  if (guid === undefined) throw new Error("the default seed has no web deployment");
  return guid;
}

/** Waits until `condition` holds (polling every 20 ms), or fails after `timeoutMs`. */
export async function eventually(condition: () => Promise<boolean>, timeoutMs = 5_000) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A password-grant login at the simulator's UAA, as `cf login` does (Basic `cf:`). */
export async function login(sim: SimulatorHandle) {
  const user = developer(sim);
  const response = await fetch(`${sim.uaaUrl}/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from("cf:").toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({
      grant_type: "password",
      username: user.username,
      password: user.password,
    }),
  });
  const body = (await response.json()) as { access_token: string; refresh_token: string };
  return { accessToken: body.access_token, refreshToken: body.refresh_token };
}

/** `cf push --strategy canary --instance-steps 25,50,75` of `web`'s current droplet: a new deployment. */
export async function pushCanary(sim: SimulatorHandle): Promise<string> {
  const { web } = sim.apps;
  return createDeployment(sim, {
    strategy: "canary",
    options: {
      canary: {
        steps: [{ instance_weight: 25 }, { instance_weight: 50 }, { instance_weight: 75 }],
      },
    },
    relationships: { app: { data: { guid: web?.guid } } },
  });
}

/** `cf push --strategy rolling` of `api`'s staged droplet: a new rolling deployment. */
export async function pushRolling(sim: SimulatorHandle): Promise<string> {
  const { api } = sim.apps;
  return createDeployment(sim, {
    strategy: "rolling",
    droplet: { guid: api?.stagedDropletGuid },
    relationships: { app: { data: { guid: api?.guid } } },
  });
}

/** `POST /v3/deployments` as the developer; resolves to the new deployment's GUID. */
async function createDeployment(sim: SimulatorHandle, body: unknown): Promise<string> {
  const { accessToken } = await login(sim);
  const response = await fetch(`${sim.url}/v3/deployments`, {
    method: "POST",
    headers: { authorization: `bearer ${accessToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status !== 201)
    throw new Error(`create deployment: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { guid: string }).guid;
}

/**
 * A program with one promotion of `app` (default `web`) in the seeded org and space (stack
 * config `org`, `space`), polling fast, plus `args`.
 */
export function promotionOf(args: Partial<DeploymentPromotionArgs>, app = "web") {
  return () => {
    const config = new pulumi.Config();
    const promotion = new DeploymentPromotion(app, {
      appName: app,
      orgName: config.require("org"),
      spaceName: config.require("space"),
      pollIntervalSeconds: 0.05,
      ...args,
    });
    return {
      strategy: promotion.strategy,
      statusReason: promotion.statusReason,
      canaryStep: promotion.canaryStep,
      continues: promotion.continues,
    };
  };
}
