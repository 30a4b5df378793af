import type { SeedDescription, SimulatorHandle } from "../../src/simulator/index.js";

/**
 * A seed of `apps` in `org`/`space`, each with a one-step canary already PAUSED at step 1, and
 * the developer as their Space Developer (and an admin): several deployments to wait on at once.
 */
export function pausedFleetSeed(apps: readonly string[]): SeedDescription {
  return {
    users: [
      { username: "developer", roles: [{ type: "space_developer", org: "org", space: "space" }] },
      { username: "admin", scopes: ["openid", "cloud_controller.admin"] },
    ],
    orgs: [
      {
        name: "org",
        spaces: [
          {
            name: "space",
            apps: apps.map((name) => ({
              name,
              instances: 2,
              deployment: { strategy: "canary", steps: [50], paused: true },
            })),
          },
        ],
      },
    ],
  };
}

/** The deployment GUIDs of `apps` in a simulator seeded by {@link pausedFleetSeed}. */
export function fleetDeployments(sim: SimulatorHandle, apps: readonly string[]): string[] {
  return apps.map((app) => sim.deployments[app] ?? "");
}
