import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion, type DeploymentPromotionArgs } from "cf-deployment-promotion";
import { expect } from "vitest";
import { createCloudFoundryClient } from "../../src/client/index.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import type { ConfigValue, RunLocalOptions, RunLocalResult } from "../../src/testing/index.js";
import { hostTest } from "../support/host-fixture.js";
import { createDeployment, seededUser } from "../support/index.js";

// The harness is loaded with Node's own `require`, as users get it (the package's `testing`
// export, i.e. `dist/`, which `npm test` builds before vitest runs).
const nodeRequire = createRequire(__filename);
const testing: typeof import("../../src/testing/index.js") = nodeRequire(
  "cf-deployment-promotion/testing",
);

/** The repository root: the project directory the provider host runs in. */
const projectDir = resolve(__dirname, "../..");

/** Project name, as in the top-level `Pulumi.yaml`. */
export const PROJECT = "cf-deployment-promotion";

/** Stack config for the examples: where `web` lives, fast polling, and the connection. */
export function stackConfig(
  sim: SimulatorHandle,
  extra: Record<string, ConfigValue> = {},
  connection: "stack" | "none" = "stack",
): Record<string, ConfigValue> {
  const user = seededUser(sim, "developer");
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

/** One stack of the repository's project: a state file, and `run` for each operation on it. */
export interface Stack {
  stateFile: string;
  run(
    operation: RunLocalOptions["operation"],
    program: () => unknown,
    config?: Record<string, ConfigValue>,
  ): Promise<RunLocalResult>;
}

/**
 * The end-to-end fixture: the host fixture (real time, `sim` ticking every 20 ms, an isolated
 * `CF_*` environment), plus
 *
 * - `stack`: stack `dev` on `sim`, its state in a temporary file; `run` defaults to
 *   {@link stackConfig}`(sim)`;
 * - `operator`: a client of `sim` as the developer, as another operator would use it (to
 *   cancel, or to look at the deployment), closed after the test.
 */
export const test = hostTest
  .extend("stack", ({ sim, tempDir }): Stack => {
    const stateFile = join(tempDir("state-"), "stack.json");
    return {
      stateFile,
      run: (operation, program, config = stackConfig(sim)) =>
        testing.runLocal({
          operation,
          program: program as () => Promise<Record<string, unknown>>,
          project: PROJECT,
          stack: "dev",
          stateFile,
          projectDir,
          config,
        }),
    };
  })
  .extend("operator", ({ sim }, { onCleanup }) => {
    const user = seededUser(sim, "developer");
    const client = createCloudFoundryClient({
      apiUrl: sim.url,
      credentials: { kind: "password", username: user.username, password: user.password },
    });
    onCleanup(() => client.close());
    return client;
  });

export const it = test;

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

/** `cf push --strategy canary --instance-steps 25,50,75` of `web`'s current droplet: a new deployment. */
export function pushCanary(sim: SimulatorHandle): Promise<string> {
  const { web } = sim.apps;
  return push(sim, {
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
export function pushRolling(sim: SimulatorHandle): Promise<string> {
  const { api } = sim.apps;
  return push(sim, {
    strategy: "rolling",
    droplet: { guid: api?.stagedDropletGuid },
    relationships: { app: { data: { guid: api?.guid } } },
  });
}

/** `POST /v3/deployments` as the developer; resolves to the new deployment's GUID. */
async function push(sim: SimulatorHandle, body: Record<string, unknown>): Promise<string> {
  const result = await createDeployment(sim, "developer", body);
  expect(result.status, `create deployment: ${result.text}`).toBe(201);
  return (result.json as { guid: string }).guid;
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
