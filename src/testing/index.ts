/**
 * `cf-deployment-promotion/testing`: run a Pulumi program's dynamic resources against the real
 * `@pulumi/pulumi` provider host without the Pulumi CLI. A test harness; production runs use the
 * `pulumi` CLI.
 */
export type { StackOutputs, StackProgram } from "./capture-program.js";
export type { DiffSummary, ResourceOperation, ResourceResult } from "./resource-result.js";
export type { RunLocalResult } from "./run-local.js";
export { runLocal } from "./run-local.js";
export type {
  CheckFailure,
  InitFailure,
  ProviderStep,
  RunLocalErrorCode,
  RunLocalErrorDetails,
} from "./run-local-error.js";
export { isRunLocalError, RunLocalError } from "./run-local-error.js";
export type {
  ConfigValue,
  RunLocalCommonOptions,
  RunLocalOperation,
  RunLocalOptions,
  RunLocalProgramOptions,
  RunLocalStateOptions,
} from "./run-local-options.js";
export { unknownValue } from "./secrets.js";
