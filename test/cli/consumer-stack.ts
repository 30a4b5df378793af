import type { SimulatorHandle } from "cf-deployment-promotion/simulator";
import { afterAll, beforeAll, inject } from "vitest";
import type { CanaryApp } from "./cli-simulator.js";
import { connectionConfig, startCanarySimulator } from "./cli-simulator.js";
import type { ConsumerProjectFiles } from "./consumer-project.js";
import { createConsumerProject } from "./consumer-project.js";
import type { PulumiStack } from "./pulumi-stack.js";
import { createPulumiStack } from "./pulumi-stack.js";

export interface ConsumerStackOptions {
  /** Pulumi project name; also the name of the transcript. */
  name: string;
  program: string;
  apps: readonly CanaryApp[];
  type?: ConsumerProjectFiles["type"];
  /** The simulator's tick; 0 for ticks only when the test asks. */
  tickMs?: number;
  /** Stack config beside the connection (`org`, `space`, `cloudfoundry:*`). */
  config?: Record<string, string>;
}

/** Filled in by `beforeAll`: read it inside tests and hooks only. */
export interface ConsumerStack {
  sim: SimulatorHandle;
  stack: PulumiStack;
}

/**
 * The fixture of most CLI test files: for the whole file, a simulator with `apps`, a consumer
 * project running `program` from the packed package, and its stack configured to reach the
 * simulator; all removed after the file.
 */
export function useConsumerStack(options: ConsumerStackOptions): ConsumerStack {
  const context = {} as ConsumerStack;
  beforeAll(async () => {
    context.sim = await startCanarySimulator(options.apps, { tickMs: options.tickMs ?? 150 });
    const dir = createConsumerProject(inject("consumerInstall"), {
      type: options.type ?? "commonjs",
      program: options.program,
      name: options.name,
    });
    context.stack = await createPulumiStack(dir, { removeProject: true, transcript: options.name });
    await context.stack.setConfig({
      ...connectionConfig(context.sim, options.name),
      ...(options.config ?? {}),
    });
  });
  afterAll(async () => {
    context.stack?.dispose();
    await context.sim?.close();
  });
  return context;
}

/**
 * A stack whose simulator has one app, `web`, with a three-step canary (25/50/75) paused at step
 * 1, and no automatic ticks: the deployment moves only when the test ticks, so a run can be caught
 * waiting right after a continue.
 */
export function usePausedCanaryStack(name: string, program: string): ConsumerStack {
  return useConsumerStack({ name, program, apps: [{ name: "web" }], tickMs: 0 });
}
