import type { SeedDescription } from "cf-deployment-promotion/simulator";

/** The `bench` space developer's password in every bench seed. */
export const BENCH_PASSWORD = "bench-password";

/**
 * One space (`prod`) of paused canaries, named by `name`, and the user `bench` developing in it,
 * after `usersBefore` users with no role.
 */
export function pausedCanaries(options: {
  org: string;
  apps: number;
  name: (index: number) => string;
  instances: number;
  steps: number[];
  usersBefore?: number;
}): SeedDescription {
  return {
    users: [
      ...Array.from({ length: options.usersBefore ?? 0 }, (_, i) => ({
        username: `other-${i + 1}`,
        password: BENCH_PASSWORD,
      })),
      {
        username: "bench",
        password: BENCH_PASSWORD,
        roles: [{ type: "space_developer", org: options.org, space: "prod" }],
      },
    ],
    orgs: [
      {
        name: options.org,
        spaces: [
          {
            name: "prod",
            apps: Array.from({ length: options.apps }, (_, i) => ({
              name: options.name(i),
              instances: options.instances,
              deployment: { strategy: "canary" as const, steps: options.steps, paused: true },
            })),
          },
        ],
      },
    ],
  };
}
