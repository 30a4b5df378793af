import type { SimulatorHandle } from "cf-deployment-promotion/simulator";
import { startSimulator } from "cf-deployment-promotion/simulator";
import { passwordGrant } from "../support/index.js";
import { pollUntil } from "../support/poll.js";

export const ORG = "cli-org";
export const SPACE = "cli-space";
export const USER = { username: "ci-bot", password: "ci-bot-password" };

export interface CanaryApp {
  name: string;
  /** Canary step weights; default 25/50/75 (3 steps). */
  steps?: number[];
  /** `false`: the app runs, with no deployment at all. */
  deployment?: false;
}

/**
 * A simulator whose apps each have a canary deployment paused at step 1 (unless told otherwise), and one Space Developer
 * (`ci-bot`). Deployments advance on a short tick so a `pulumi up` sees them scale and pause.
 */
export async function startCanarySimulator(
  apps: readonly CanaryApp[],
  options: { tickMs?: number } = {},
): Promise<SimulatorHandle> {
  return startSimulator({
    tickMs: options.tickMs ?? 150,
    seed: {
      users: [
        {
          username: USER.username,
          password: USER.password,
          roles: [{ type: "space_developer", org: ORG, space: SPACE }],
        },
      ],
      orgs: [
        {
          name: ORG,
          spaces: [
            {
              name: SPACE,
              apps: apps.map((app) => ({
                name: app.name,
                instances: 4,
                ...(app.deployment === false
                  ? {}
                  : {
                      deployment: {
                        strategy: "canary" as const,
                        steps: app.steps ?? [25, 50, 75],
                        paused: true,
                      },
                    }),
              })),
            },
          ],
        },
      ],
    },
  });
}

/** The stack config that points the provider at the simulator as `ci-bot`. */
export function connectionConfig(sim: SimulatorHandle, project: string): Record<string, string> {
  return {
    "cloudfoundry:apiUrl": sim.url,
    "cloudfoundry:user": USER.username,
    "cloudfoundry:password": USER.password,
    [`${project}:org`]: ORG,
    [`${project}:space`]: SPACE,
  };
}

/** Requests that change something (every method but GET), without the UAA token requests. */
export async function writesSent(sim: SimulatorHandle) {
  return (await sim.control.requests()).filter(
    (entry) => entry.method !== "GET" && !entry.path.endsWith("/oauth/token"),
  );
}

/** The continue actions the Cloud Controller recorded for a deployment, oldest first. */
export async function continuesRecorded(sim: SimulatorHandle, deploymentGuid: string) {
  const events = await sim.control.auditEvents({ types: ["audit.app.deployment.continue"] });
  return events.filter((event) => event.data["deployment_guid"] === deploymentGuid);
}

/** Waits, up to two minutes, until the Cloud Controller has recorded `count` continues of the deployment. */
export async function continuesReach(
  sim: SimulatorHandle,
  deploymentGuid: string,
  count: number,
): Promise<void> {
  await pollUntil(
    `continue number ${count} of deployment ${deploymentGuid}`,
    async () => (await continuesRecorded(sim, deploymentGuid)).length === count,
    { tries: 1200, intervalMs: 100 },
  );
}

/**
 * What a person does with `cf cancel-deployment` or `cf continue-deployment`: the action on a
 * deployment, with their own login.
 */
export async function actAsPerson(
  sim: SimulatorHandle,
  deploymentGuid: string,
  action: "cancel" | "continue",
): Promise<void> {
  const { access_token: token } = await passwordGrant(sim, USER.username);
  const response = await fetch(`${sim.url}/v3/deployments/${deploymentGuid}/actions/${action}`, {
    method: "POST",
    headers: { authorization: `bearer ${token}` },
  });
  if (response.status !== 200) {
    throw new Error(`${action} of ${deploymentGuid} answered ${response.status}`);
  }
}

/** What `cf push --strategy canary` does last: a new canary deployment of the app's staged droplet. */
export async function pushCanary(sim: SimulatorHandle, app: string): Promise<string> {
  const { access_token: token } = await passwordGrant(sim, USER.username);
  const response = await fetch(`${sim.url}/v3/deployments`, {
    method: "POST",
    headers: { authorization: `bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      strategy: "canary",
      droplet: { guid: sim.apps[app]?.stagedDropletGuid },
      relationships: { app: { data: { guid: sim.apps[app]?.guid } } },
    }),
  });
  if (response.status !== 201) throw new Error(`deployment of ${app} answered ${response.status}`);
  return ((await response.json()) as { guid: string }).guid;
}
