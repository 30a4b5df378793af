import type { InstanceStat } from "./canary-health.js";
import type { CloudControllerDeployment } from "./deployment-snapshot.js";

/** Per-call options of the client (contracts §2). */
export interface PromotionCallOptions {
  signal?: AbortSignal;
  /** Epoch ms after which the call fails with `CF_TIMEOUT`. */
  deadline?: number;
}

/** An action's result: the deployment read back after the POST, and whether our POST took effect. */
export interface PromotionActionOutcome {
  deployment: CloudControllerDeployment;
  applied: boolean;
  attempts: number;
}

/**
 * The part of the Cloud Foundry client the provider uses (contracts §2). Kept this narrow so the
 * converge loop can be unit-tested against a fake, and so nothing else of the client is relied on.
 */
export interface PromotionClient {
  readonly apiUrl: string;
  readonly credentialSourceDescription: string;
  findOrganizationByName(
    name: string,
    options?: PromotionCallOptions,
  ): Promise<{ guid: string; name: string } | undefined>;
  findSpaceByName(
    orgGuid: string,
    name: string,
    options?: PromotionCallOptions,
  ): Promise<{ guid: string; name: string } | undefined>;
  findAppByName(
    spaceGuid: string,
    name: string,
    options?: PromotionCallOptions,
  ): Promise<{ guid: string; name: string } | undefined>;
  getApp(guid: string, options?: PromotionCallOptions): Promise<{ guid: string; name: string }>;
  getDeployment(guid: string, options?: PromotionCallOptions): Promise<CloudControllerDeployment>;
  getActiveDeployment(
    appGuid: string,
    options?: PromotionCallOptions,
  ): Promise<CloudControllerDeployment | undefined>;
  /** Safe continue: never replayed blindly (STYLE habit 3). */
  continueDeployment(
    guid: string,
    options?: PromotionCallOptions & { expected?: CloudControllerDeployment },
  ): Promise<PromotionActionOutcome>;
  cancelDeployment(
    guid: string,
    options?: PromotionCallOptions & { expected?: CloudControllerDeployment },
  ): Promise<PromotionActionOutcome>;
  getProcessStats(processGuid: string, options?: PromotionCallOptions): Promise<InstanceStat[]>;
  close(): Promise<void>;
}

/** Whether `error` is the client's `CF_API_ERROR` for a 404 (matched by code, STYLE habit 8). */
export function isNotFoundError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as { code?: unknown; status?: unknown };
  return candidate.code === "CF_API_ERROR" && candidate.status === 404;
}

/** Whether `error` is the client's `CF_TIMEOUT` (an operation deadline passed). */
export function isTimeoutError(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { code?: unknown }).code === "CF_TIMEOUT"
  );
}
