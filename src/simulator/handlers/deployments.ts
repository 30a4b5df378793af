import { recordAuditEvent } from "../audit-events.js";
import { authorize, jsonBody } from "../authenticate.js";
import { cfErrors } from "../cf-error.js";
import type { Handler, SimRequest, SimulatorContext } from "../context.js";
import { createDeployment } from "../deployments/deployment-create.js";
import { parseDeploymentCreateMessage } from "../deployments/deployment-create-message.js";
import {
  ACTIVE_STATES,
  continueDeployment,
  setDeploymentState,
} from "../deployments/deployment-state-machine.js";
import { inFilter, matchesCommonFilters, parseListQuery } from "../list-query.js";
import { applyMetadata, validateMetadata } from "../metadata-message.js";
import type { App, Deployment, Space } from "../model.js";
import { listResponse } from "../paginated-list-presenter.js";
import type { Permissions } from "../permissions.js";
import { presentDeployment } from "../presenters.js";

const notFound = () => cfErrors.resourceNotFound("Deployment not found");

interface Located {
  deployment: Deployment;
  app: App;
  space: Space;
}

/**
 * Finds a deployment the caller may see (`read`) or manage (`manage`). A missing deployment and
 * one the caller's roles do not cover are the same 404 `Deployment not found` (CC
 * `app/controllers/v3/deployments_controller.rb`, `show` and the actions).
 */
function locate(
  context: SimulatorContext,
  guid: string,
  permissions: Permissions,
  need: "read" | "manage",
): Located {
  const deployment = context.store.deployments.get(guid);
  const app = deployment && context.store.apps.get(deployment.appGuid);
  const space = app && context.store.spaces.get(app.spaceGuid);
  if (deployment === undefined || app === undefined || space === undefined) throw notFound();
  const allowed =
    need === "read" ? permissions.canReadSpace(space) : permissions.canManageApps(space);
  if (!allowed) throw notFound();
  return { deployment, app, space };
}

const guidParam = ({ params: { guid = "" } }: SimRequest) => guid;

/** `GET /v3/deployments/:guid`. */
export const getDeployment: Handler = (request, context) => {
  const permissions = authorize(request, context);
  const { deployment } = locate(context, guidParam(request), permissions, "read");
  return { status: 200, body: presentDeployment(deployment, context.url) };
};

/**
 * `GET /v3/deployments` (CC `app/fetchers/deployment_list_fetcher.rb`): filters `app_guids`, `states`, `status_values`,
 * `status_reasons` (OR within, AND across), ordering and pagination; callers see only
 * deployments in spaces they can read.
 */
export const listDeployments: Handler = (request, context) => {
  const permissions = authorize(request, context);
  const query = parseListQuery(request.query, {
    filters: ["app_guids", "states", "status_reasons", "status_values"],
  });
  const { store } = context;
  const visible = [...store.deployments.values()].filter((d) => {
    const app = store.apps.get(d.appGuid);
    const space = app && store.spaces.get(app.spaceGuid);
    return (
      space !== undefined &&
      permissions.canReadSpace(space) &&
      matchesCommonFilters(d, query) &&
      inFilter(query, "app_guids", d.appGuid) &&
      inFilter(query, "states", d.state) &&
      inFilter(query, "status_values", d.statusValue) &&
      inFilter(query, "status_reasons", d.statusReason)
    );
  });
  return listResponse(visible, query, `${context.url}/v3/deployments`, (d) =>
    presentDeployment(d, context.url),
  );
};

/**
 * The shared front half of continue and cancel (CC `app/controllers/v3/deployments_controller.rb`): authentication, write
 * scope, body parse, lookup with the app-managing roles, then the writable org/space checks.
 */
function prepareAction(
  request: SimRequest,
  context: SimulatorContext,
): Located & { permissions: Permissions } {
  const permissions = authorize(request, context);
  jsonBody(request);
  const located = locate(context, guidParam(request), permissions, "manage");
  permissions.assertWritable(located.space);
  return { ...located, permissions };
}

function principalOf(request: SimRequest) {
  if (request.authentication.kind !== "valid") throw cfErrors.notAuthenticated();
  return request.authentication.principal;
}

/**
 * `POST /v3/deployments/:guid/actions/continue` (CC `app/actions/deployment_continue.rb`): only PAUSED may continue; the
 * answer is 200 with an **empty** body and the audit event `audit.app.deployment.continue`.
 */
export const continueDeploymentAction: Handler = (request, context) => {
  const { deployment, app } = prepareAction(request, context);
  if (deployment.state !== "PAUSED") {
    throw cfErrors.unprocessableEntity(
      `Cannot continue a deployment with status: ${deployment.statusValue} and reason: ${deployment.statusReason}`,
    );
  }
  continueDeployment(deployment, context.store.now());
  // CC `deployment_event_repository.rb`: the deployment's (target) droplet and the deployment.
  recordAuditEvent(context.store, "audit.app.deployment.continue", principalOf(request), app, {
    deployment_guid: deployment.guid,
    droplet_guid: deployment.dropletGuid,
  });
  return { status: 200 };
};

/**
 * `POST /v3/deployments/:guid/actions/cancel` (CC `app/actions/deployment_cancel.rb`): any active state becomes
 * CANCELING and the app's droplet goes back to `previous_droplet` at once; 200, empty body.
 */
export const cancelDeploymentAction: Handler = (request, context) => {
  const { deployment, app } = prepareAction(request, context);
  if (!ACTIVE_STATES.includes(deployment.state)) {
    throw cfErrors.unprocessableEntity(
      `Cannot cancel a deployment with status: ${deployment.statusValue} and reason: ${deployment.statusReason}`,
    );
  }
  if (
    deployment.previousDropletGuid === null ||
    !context.store.droplets.has(deployment.previousDropletGuid)
  ) {
    // CC `AppAssignDroplet` refuses a missing droplet with this text (CC `app/actions/app_assign_droplet.rb`).
    throw cfErrors.unprocessableEntity(
      "Unable to assign current droplet. Ensure the droplet exists and belongs to this app.",
    );
  }
  const now = context.store.now();
  app.dropletGuid = deployment.previousDropletGuid;
  app.updatedAt = now;
  setDeploymentState(deployment, "CANCELING", now);
  recordAuditEvent(context.store, "audit.app.deployment.cancel", principalOf(request), app, {
    deployment_guid: deployment.guid,
    droplet_guid: deployment.dropletGuid,
  });
  return { status: 200 };
};

/**
 * `POST /v3/deployments` (CC `app/controllers/v3/deployments_controller.rb#create`): message
 * validation (422 with every message), then the app (missing or not manageable: 422 `Unable to
 * use app…`), the writable org/space checks, the droplet, and the create itself; 201 with the
 * deployment and the audit event `audit.app.deployment.create`.
 */
export const createDeploymentAction: Handler = (request, context) => {
  const permissions = authorize(request, context);
  const body = jsonBody(request);
  const message = parseDeploymentCreateMessage(body);
  const { store } = context;
  const app = message.appGuid === undefined ? undefined : store.apps.get(message.appGuid);
  const space = app && store.spaces.get(app.spaceGuid);
  if (app === undefined || space === undefined || !permissions.canManageApps(space)) {
    throw cfErrors.unprocessableEntity(
      "Unable to use app. Ensure that the app exists and you have access to it.",
    );
  }
  permissions.assertWritable(space);
  // No simulated app has revisions enabled (`revision` is always null in the JSON).
  if (message.revisionGuid !== undefined) {
    throw cfErrors.unprocessableEntity(
      "Cannot create deployment from a revision for an app without revisions enabled",
    );
  }
  const dropletGuid = message.dropletGuid ?? app.dropletGuid;
  if (dropletGuid === null) {
    throw cfErrors.unprocessableEntity(
      "Invalid droplet. Please specify a droplet in the request or set a current droplet for the app.",
    );
  }
  if (store.droplets.get(dropletGuid)?.appGuid !== app.guid) {
    throw cfErrors.unprocessableEntity(
      "Unable to assign current droplet. Ensure the droplet exists and belongs to this app.",
    );
  }
  const metadata = { labels: {}, annotations: {} };
  applyMetadata(metadata, message.metadata);
  const deployment = createDeployment(store, { ...message, app, dropletGuid, metadata });
  // CC `deployment_event_repository.rb#record_create`: `request` is the message's `audit_hash`,
  // every key the body gave, as given except a `null` strategy, which `deployment_create.rb` has
  // set to `rolling` by then (`message.strategy ||=`); `strategy` is the deployment's.
  const given = body as Record<string, unknown>;
  const audited =
    "strategy" in given && given["strategy"] === null ? { ...given, strategy: "rolling" } : given;
  recordAuditEvent(store, "audit.app.deployment.create", principalOf(request), app, {
    deployment_guid: deployment.guid,
    droplet_guid: dropletGuid,
    type: null,
    revision_guid: null,
    request: audited,
    strategy: deployment.strategy,
  });
  return { status: 201, body: presentDeployment(deployment, context.url) };
};

/**
 * `PATCH /v3/deployments/:guid`: metadata only. Unreadable → 404; readable but not a space
 * developer → 403 NotAuthorized (CC `deployments_controller.rb#update`); unknown fields → 422.
 */
export const updateDeployment: Handler = (request, context) => {
  const permissions = authorize(request, context);
  const body = jsonBody(request);
  const { deployment, space } = locate(context, guidParam(request), permissions, "read");
  if (!permissions.canWriteSpace(space)) throw cfErrors.notAuthorized();
  permissions.assertWritable(space);
  const errors: string[] = [];
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw cfErrors.messageParseError();
  }
  // CC `deployment_update_message.rb`: the parent's MetadataValidator runs before its own
  // NoAdditionalKeysValidator, so metadata messages come first.
  const update = validateMetadata(body as Record<string, unknown>, errors);
  const extra = Object.keys(body).filter((k) => k !== "metadata");
  if (extra.length > 0) errors.push(`Unknown field(s): '${extra.join("', '")}'`);
  if (errors.length > 0) throw cfErrors.unprocessableEntity(errors.join(", "));
  applyMetadata(deployment.metadata, update);
  deployment.updatedAt = context.store.now();
  return { status: 200, body: presentDeployment(deployment, context.url) };
};
