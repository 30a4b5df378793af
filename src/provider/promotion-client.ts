import type { CallOptions, CloudFoundryClient, Deployment } from "../client/index.js";
import { isCloudFoundryError } from "../client/index.js";

/**
 * The part of the Cloud Foundry client the provider uses. Kept this narrow so the
 * converge loop can be unit-tested against a fake, and so nothing else of the client is relied on.
 */
export type PromotionClient = Pick<
  CloudFoundryClient,
  | "apiUrl"
  | "credentialSourceDescription"
  | "findOrganizationByName"
  | "findSpaceByName"
  | "findAppByName"
  | "getApp"
  | "listApps"
  | "getDeployment"
  | "getActiveDeployment"
  | "listDeployments"
  | "continueDeployment"
  | "cancelDeployment"
  | "getProcessStats"
  | "listAuditEvents"
  | "actorGuid"
  | "close"
>;

/** Whether `error` is the client's `CF_API_ERROR` for a 404 (matched by code, not by class). */
export function isNotFoundError(error: unknown): boolean {
  return isCloudFoundryError(error, "CF_API_ERROR") && error.status === 404;
}

/** Whether `error` is the client's `CF_TIMEOUT` (an operation deadline passed). */
export function isTimeoutError(error: unknown): boolean {
  return isCloudFoundryError(error, "CF_TIMEOUT");
}

/** GET a deployment; `undefined` when the Cloud Controller no longer has it (404). */
export async function getDeploymentUnlessGone(
  client: Pick<PromotionClient, "getDeployment">,
  guid: string,
  options?: CallOptions,
): Promise<Deployment | undefined> {
  try {
    return await client.getDeployment(guid, options);
  } catch (error) {
    if (isNotFoundError(error)) return undefined;
    throw error;
  }
}
