import type { CallOptions, Deployment } from "../client/index.js";
import type { PromotionClient } from "./promotion-client.js";
import { isNotFoundError } from "./promotion-client.js";
import { PromotionError } from "./promotion-error.js";
import type { PromotionTarget } from "./promotion-inputs.js";

/** An app, as far as the provider needs it. */
export interface TargetApp {
  guid: string;
  name: string;
}

/**
 * Finds the app a target names. A `deploymentGuid` target yields `undefined`: its app is known
 * only from the deployment.
 */
export async function resolveTargetApp(
  client: PromotionClient,
  target: PromotionTarget,
  options: CallOptions,
): Promise<TargetApp | undefined> {
  if ("deploymentGuid" in target) return undefined;
  if ("appGuid" in target) {
    try {
      const app = await client.getApp(target.appGuid, options);
      return { guid: app.guid, name: app.name };
    } catch (error) {
      if (isNotFoundError(error)) {
        throw new PromotionError(
          "PROMOTION_NOT_FOUND",
          `app ${target.appGuid} was not found (or is not visible to this user)`,
          { cause: error },
        );
      }
      throw error;
    }
  }
  let spaceGuid: string;
  let where: string;
  if ("spaceGuid" in target) {
    spaceGuid = target.spaceGuid;
    where = `space ${target.spaceGuid}`;
  } else {
    const org = await client.findOrganizationByName(target.orgName, options);
    if (org === undefined) {
      throw new PromotionError(
        "PROMOTION_NOT_FOUND",
        `organization "${target.orgName}" was not found (or is not visible to this user)`,
      );
    }
    const space = await client.findSpaceByName(org.guid, target.spaceName, options);
    if (space === undefined) {
      throw new PromotionError(
        "PROMOTION_NOT_FOUND",
        `space "${target.spaceName}" was not found in organization "${target.orgName}"`,
      );
    }
    spaceGuid = space.guid;
    where = `space "${target.spaceName}" of organization "${target.orgName}"`;
  }
  const app = await client.findAppByName(spaceGuid, target.appName, options);
  if (app === undefined) {
    throw new PromotionError(
      "PROMOTION_NOT_FOUND",
      `app "${target.appName}" was not found in ${where}`,
    );
  }
  return { guid: app.guid, name: app.name };
}

/** The deployment a target points at, with its app. */
export interface ResolvedTarget {
  deployment: Deployment;
  app: TargetApp;
}

/**
 * Finds the deployment to promote. With an app, that is the app's active deployment, found as
 * `cf continue-deployment` finds it (the newest ACTIVE one, cf CLI actor/v7action/deployment.go),
 * by `activeDeployment` when given (a check's plan, `active-listing.ts`).
 */
export async function resolveTarget(
  client: PromotionClient,
  target: PromotionTarget,
  options: CallOptions,
  activeDeployment: PromotionClient["getActiveDeployment"] = (appGuid, o) =>
    client.getActiveDeployment(appGuid, o),
): Promise<ResolvedTarget> {
  const app = await resolveTargetApp(client, target, options);
  if (app === undefined) {
    const guid = (target as { deploymentGuid: string }).deploymentGuid;
    const deployment = await getDeploymentOrExplain(client, guid, options);
    return { deployment, app: await appOfDeployment(client, deployment, options) };
  }
  const deployment = await activeDeployment(app.guid, options);
  if (deployment === undefined) {
    throw new PromotionError(
      "PROMOTION_NOT_FOUND",
      `app ${app.name} (${app.guid}) has no active deployment to promote: start one with \`cf push --strategy canary\`, or name a deployment with deploymentGuid`,
    );
  }
  return { deployment, app };
}

/** GET a deployment, turning a 404 into an error that says what it means. */
async function getDeploymentOrExplain(
  client: PromotionClient,
  guid: string,
  options: CallOptions,
): Promise<Deployment> {
  try {
    return await client.getDeployment(guid, options);
  } catch (error) {
    if (isNotFoundError(error)) {
      throw new PromotionError(
        "PROMOTION_NOT_FOUND",
        `deployment ${guid} was not found (deleted with its app, pruned after it finished, or not visible to this user)`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** The app of a deployment (for its name in messages). */
export async function appOfDeployment(
  client: PromotionClient,
  deployment: Deployment,
  options: CallOptions,
): Promise<TargetApp> {
  const guid = deployment.relationships.app.data.guid;
  try {
    const app = await client.getApp(guid, options);
    return { guid: app.guid, name: app.name };
  } catch (error) {
    if (isNotFoundError(error)) return { guid, name: guid };
    throw error;
  }
}
