/**
 * `cf-deployment-promotion/simulator`: a local Cloud Controller V3 + UAA simulator for tests.
 */

export type { CanaryStepTarget } from "./deployments/canary-plan.js";
export { canaryStepPlan } from "./deployments/canary-plan.js";
export type { FaultRule } from "./faults.js";
export type { HeldRequest } from "./http/held-requests.js";
export type { RequestLogEntry } from "./http/request-log.js";
export type { RateLimitOptions } from "./rate-limiter.js";
export type {
  SeedApp,
  SeedClient,
  SeedDeployment,
  SeedDescription,
  SeedOrg,
  SeedRole,
  SeedSpace,
  SeedUser,
} from "./seed-schema.js";
export { startSimulator } from "./server.js";
export type { SimulatorOptions } from "./simulator-options.js";
export type {
  SimulatorAuditEvent,
  SimulatorControl,
  SimulatorHandle,
  SimulatorInfo,
  TickResult,
} from "./simulator-types.js";
