import { availableParallelism } from "node:os";

/**
 * The engine's default `--parallel`: four resource operations per CPU (`defaultParallel` in
 * pulumi pkg/cmd/pulumi/operations/up.go: `GOMAXPROCS(0) * 4`).
 */
export function defaultParallel(): number {
  return availableParallelism() * 4;
}

/** Runs at most `limit` pieces of work at once, the rest in the order they asked. */
export interface StepSlots {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createStepSlots(limit: number): StepSlots {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    async run(work) {
      if (running < limit) running += 1;
      // A finishing step hands its slot straight to the next waiter, so `running` never overshoots.
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next === undefined) running -= 1;
        else next();
      }
    },
  };
}
