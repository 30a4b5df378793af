/**
 * `cf-deployment-promotion`: the `DeploymentPromotion` Pulumi resource, which promotes a Cloud
 * Foundry canary deployment declaratively, and the types of its inputs and outputs.
 */

import "./program-load-guards.js";

export type { GateOutcome, GateRound } from "./provider/gates/gate-results.js";
export type { PromotionTarget } from "./provider/promotion-inputs.js";
export type {
  CanaryStep,
  Overshoot,
  PromotionContinue,
  PromotionOutputs,
  PromotionState,
} from "./provider/promotion-record.js";
export type {
  DeploymentPromotionArgs,
  DeploymentPromotionGates,
} from "./resource/deployment-promotion.js";
export { DeploymentPromotion } from "./resource/deployment-promotion.js";
