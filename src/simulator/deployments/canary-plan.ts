/** One step of a canary plan: desired instances of the new (canary) and the original process. */
export interface CanaryStepTarget {
  canary: number;
  original: number;
}

/**
 * The canary step plan, as CC `deployment_model.rb#canary_step_plan` computes it.
 *
 * `I` is `webInstances` when given and smaller than the original count, else the original count.
 * Each weight `w` gives `canary = round(I * (w / 100))` (at least 1) and `original = I - canary + 1`
 * (one extra instance during a step), or 0 when `w` is 100. Without steps the plan is one step
 * `{ canary: 1, original: originalInstances }`.
 */
export function canaryStepPlan(
  originalInstances: number,
  webInstances: number | undefined,
  weights: readonly number[] | undefined,
): CanaryStepTarget[] {
  if (weights === undefined || weights.length === 0) {
    return [{ canary: 1, original: originalInstances }];
  }
  const total =
    webInstances !== undefined && webInstances < originalInstances
      ? webInstances
      : originalInstances;
  return weights.map((weight) => {
    // Ruby's Float#round rounds halves away from zero; for the positive values here that is
    // exactly Math.round. Compute I * (w / 100.0) in that order, as CC does, in doubles.
    const canary = Math.max(1, Math.round(total * (weight / 100)));
    return { canary, original: weight === 100 ? 0 : total - canary + 1 };
  });
}
