/**
 * `cf-deployment-promotion/client`: a Cloud Foundry V3 client for deployments — undici with one
 * dispatcher, zod at the edges, UAA authentication with single-flight refresh, retries that
 * honour `Retry-After`, and continue/cancel that are never replayed blindly.
 */
export { type ActionEffect, actionEffect, type DeploymentAction } from "./action-effect.js";
export { cfCliConfigPath } from "./cf-cli-config.js";
export type {
  ActionOptions,
  ActionOutcome,
  AppListFilter,
  AuditEventFilter,
  CloudFoundryClient,
  DeploymentListFilter,
  TimestampFilter,
} from "./cloud-foundry-client.js";
export type { CallOptions, CloudFoundryClientOptions } from "./cloud-foundry-client-options.js";
export { createCloudFoundryClient } from "./create-cloud-foundry-client.js";
export { createDispatcher, type DispatcherOptions } from "./create-dispatcher.js";
export type { CredentialSource } from "./credential-source.js";
export {
  type ApiErrorEntry,
  CloudFoundryApiError,
  CloudFoundryAuthError,
  CloudFoundryConfigError,
  CloudFoundryError,
  type CloudFoundryErrorCode,
  type CloudFoundryErrorOf,
  type CloudFoundryErrorOptions,
  CloudFoundryNetworkError,
  CloudFoundryOutcomeUnknownError,
  CloudFoundryResponseError,
  CloudFoundryTimeoutError,
  composeMessage,
  isCloudFoundryError,
  type RequestContext,
} from "./errors.js";
export { DEFAULT_LATE_DELIVERY, type LateDeliveryOptions } from "./late-delivery.js";
export type { Logger } from "./logger.js";
export type { ResponseMeta } from "./response-meta.js";
export {
  type AttemptOutcome,
  DEFAULT_RETRY_POLICY,
  type RetryMode,
  type RetryPolicy,
  retryDelay,
} from "./retry-delay.js";
export {
  type App,
  AppSchema,
  type AuditEvent,
  AuditEventSchema,
  type Deployment,
  DeploymentSchema,
  type DeploymentStatusReason,
  DeploymentStatusReasonSchema,
  type DeploymentStatusValue,
  DeploymentStatusValueSchema,
  type Organization,
  OrganizationSchema,
  type ProcessInstanceStats,
  ProcessInstanceStatsSchema,
  type RootDocument,
  RootDocumentSchema,
  type Space,
  SpaceSchema,
} from "./schemas.js";
