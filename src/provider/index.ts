/**
 * `cf-deployment-promotion/provider`: the implementation behind the `DeploymentPromotion`
 * dynamic provider. The serialized provider object loads this entry inside the Pulumi provider
 * host, lazily, in each method (reference/pulumi-dynamic.md §4; STYLE habit 11). Programs do not
 * need it; the pure parts (input checks, plan maths) are exported for tools and tests.
 */

import { assertSupportedNode } from "../node-version.js";

// Before undici loads (it fails on Node 20 with an error that does not say why).
assertSupportedNode("the provider (pulumi-resource-pulumi-nodejs)");

export type { CanaryHealth, InstanceStat } from "./canary-health.js";
export { assessCanaryHealth } from "./canary-health.js";
export { checkPromotion } from "./check-promotion.js";
export type {
  ConnectionSettingKey,
  ConnectionSettings,
  ConnectionSources,
  ResolvedConnection,
  ResolvedCredentials,
} from "./connection-settings.js";
export {
  CONFIG_NAMESPACE,
  CONNECTION_SETTINGS,
  readStackConnectionSettings,
  resolveConnection,
} from "./connection-settings.js";
export type { ConvergeJournal, ConvergeOptions } from "./converge-promotion.js";
export { convergePromotion } from "./converge-promotion.js";
export type { PromotionDiff } from "./diff-promotion.js";
export { diffPromotion } from "./diff-promotion.js";
export type { ProgressReporter, ProgressReporterOptions } from "./progress-reporter.js";
export { createProgressReporter, describeProgress, formatElapsed } from "./progress-reporter.js";
export type { PromotionClient } from "./promotion-client.js";
export { isNotFoundError, isTimeoutError } from "./promotion-client.js";
export type { PromotionErrorCode } from "./promotion-error.js";
export { isPromotionError, PromotionError } from "./promotion-error.js";
export type {
  InputFailure,
  PromotionInputs,
  PromotionSettings,
  PromotionTarget,
} from "./promotion-inputs.js";
export {
  checkPromotionInputs,
  DEFAULT_POLL_INTERVAL_SECONDS,
  DEFAULT_TIMEOUT_SECONDS,
  promotionSettingsOf,
  promotionTargetOf,
} from "./promotion-inputs.js";
export {
  createPromotion,
  deletePromotion,
  readPromotion,
  updatePromotion,
} from "./promotion-lifecycle.js";
export { PromotionPartialFailure } from "./promotion-partial-failure.js";
export type {
  PlanContext,
  PromotionGoal,
  PromotionPlan,
  PromotionProblem,
} from "./promotion-plan.js";
export { continuesFromPaused, describeGoal, planPromotion } from "./promotion-plan.js";
export type {
  CanaryStep,
  DeploymentSnapshot,
  PromotionContinue,
  PromotionOutputs,
  PromotionState,
} from "./promotion-record.js";
export { promotionStateOf, readRecordedPromotion, snapshotOf } from "./promotion-record.js";
export type { ProviderRuntime } from "./provider-runtime.js";
export { createProviderRuntime, withClient } from "./provider-runtime.js";
export { isUnknownValue, UNKNOWN_VALUE } from "./unknown-value.js";
export {
  userFacingError,
  userFacingFailures,
  withUserFacingErrors,
} from "./user-facing-errors.js";
