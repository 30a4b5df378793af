import { test as base } from "vitest";
import {
  type SimulatorHandle,
  type SimulatorOptions,
  startSimulator,
} from "../../src/simulator/index.js";
import { requestLines, webDeployment } from "./deployments.js";
import { type FakeTime, fakeTime } from "./fake-time.js";
import { asUser, tokenFor } from "./uaa.js";

/** Starts one more simulator for the current test (same clock unless `now` is given). */
export type StartSim = (options?: SimulatorOptions) => Promise<SimulatorHandle>;

/**
 * The simulator test fixture. Every fixture is lazy: a test that names only `startSim` starts
 * no default simulator.
 *
 * - `time`: a fake clock; `sim` and `startSim` run on it.
 * - `simOptions`: the options of `sim`; vary them per file or describe with
 *   `test.override({ simOptions: { seed: … } })`.
 * - `sim`: a simulator with manual ticks (`tickMs: 0`), closed after the test.
 * - `startSim`: more simulators with options of their own, closed after the test.
 * - `tokenFor`, `asUser`, `webDeployment`, `requestLines`: the helpers of the same names, bound
 *   to `sim`.
 *
 * The client and provider tests extend this (`test.extend("client", …)`); a suite on real time
 * overrides `time` and `simOptions` (e.g. `{ tickMs: 20 }`).
 */
export const test = base
  .extend("time", (): FakeTime => fakeTime())
  .extend("simOptions", {} as SimulatorOptions)
  .extend("startSim", ({ time }, { onCleanup }): StartSim => {
    const started: SimulatorHandle[] = [];
    onCleanup(async () => {
      await Promise.all(started.splice(0).map((sim) => sim.close()));
    });
    return async (options = {}) => {
      const sim = await startSimulator({ tickMs: 0, now: time.now, ...options });
      started.push(sim);
      return sim;
    };
  })
  .extend("sim", ({ startSim, simOptions }) => startSim(simOptions))
  .extend(
    "tokenFor",
    ({ sim }) =>
      (user: string) =>
        tokenFor(sim, user),
  )
  .extend(
    "asUser",
    ({ sim }) =>
      (user: string) =>
        asUser(sim, user),
  )
  .extend("webDeployment", ({ sim }) => webDeployment(sim))
  .extend(
    "requestLines",
    ({ sim }) =>
      () =>
        requestLines(sim),
  );

export const it = test;
