import { authorize } from "../authenticate.js";
import { cfErrors } from "../cf-error.js";
import type { Handler, SimRequest, SimulatorContext } from "../context.js";
import { inFilter, matchesCommonFilters, parseListQuery } from "../list-query.js";
import type { App, Process, Space } from "../model.js";
import { listResponse } from "../paginated-list-presenter.js";
import type { Permissions } from "../permissions.js";
import {
  presentApp,
  presentAuditEvent,
  presentDroplet,
  presentOrg,
  presentProcess,
  presentSpace,
  presentStats,
} from "../presenters.js";

/**
 * Read-only endpoints for organizations, spaces, apps, processes, droplets and audit events.
 * Visibility follows CC: global readers see everything, everyone else what their roles cover
 * (`ROLES_FOR_SPACE_READING`); an invisible resource is the same 404 as a missing one.
 */

const ORDER_BY_NAME = ["created_at", "updated_at", "name"];

function readableApp(context: SimulatorContext, permissions: Permissions, guid: string) {
  const app = context.store.apps.get(guid);
  const space = app && context.store.spaces.get(app.spaceGuid);
  if (app === undefined || space === undefined || !permissions.canReadSpace(space)) {
    throw cfErrors.resourceNotFound("App not found");
  }
  return { app, space };
}

function readableProcess(context: SimulatorContext, permissions: Permissions, guid: string) {
  const process = context.store.processes.get(guid);
  const app = process && context.store.apps.get(process.appGuid);
  const space = app && context.store.spaces.get(app.spaceGuid);
  if (process === undefined || space === undefined || !permissions.canReadSpace(space)) {
    throw cfErrors.resourceNotFound("Process not found");
  }
  return { process, space };
}

/** Audit events are visible to whoever can read their space (global readers included). */
function canSeeEvent(context: SimulatorContext, permissions: Permissions, spaceGuid: string) {
  const space = context.store.spaces.get(spaceGuid);
  return space !== undefined && permissions.canReadSpace(space);
}

function spaceOfApp(context: SimulatorContext, app: App): Space | undefined {
  return context.store.spaces.get(app.spaceGuid);
}

const guidOf = ({ params: { guid = "" } }: SimRequest) => guid;

/** `GET /v3/organizations` (filters `names`, `guids`). */
export const listOrganizations: Handler = (request, context) => {
  const permissions = authorize(request, context);
  // CC `orgs_list_message.rb`; no simulated org has an isolation segment, so that filter finds none.
  const query = parseListQuery(request.query, {
    filters: ["names", "isolation_segment_guid"],
    orderBy: ORDER_BY_NAME,
    unlinked: ["isolation_segment_guid"],
  });
  const orgs = [...context.store.orgs.values()].filter(
    (org) =>
      permissions.canReadOrg(org.guid) &&
      matchesCommonFilters(org, query) &&
      inFilter(query, "names", org.name) &&
      !query.filters.has("isolation_segment_guid"),
  );
  return listResponse(orgs, query, `${context.url}/v3/organizations`, (o) =>
    presentOrg(o, context.url),
  );
};

/** `GET /v3/organizations/:guid`. */
export const getOrganization: Handler = (request, context) => {
  const permissions = authorize(request, context);
  const org = context.store.orgs.get(guidOf(request));
  if (org === undefined || !permissions.canReadOrg(org.guid)) {
    throw cfErrors.resourceNotFound("Organization not found");
  }
  return { status: 200, body: presentOrg(org, context.url) };
};

/** `GET /v3/spaces` (filters `names`, `organization_guids`, `guids`). */
export const listSpaces: Handler = (request, context) => {
  const permissions = authorize(request, context);
  const query = parseListQuery(request.query, {
    filters: ["names", "organization_guids", "include"],
    orderBy: ORDER_BY_NAME,
  });
  const spaces = [...context.store.spaces.values()].filter(
    (space) =>
      permissions.canReadSpace(space) &&
      matchesCommonFilters(space, query) &&
      inFilter(query, "names", space.name) &&
      inFilter(query, "organization_guids", space.orgGuid),
  );
  return listResponse(spaces, query, `${context.url}/v3/spaces`, (s) =>
    presentSpace(s, context.url),
  );
};

/** `GET /v3/spaces/:guid`. */
export const getSpace: Handler = (request, context) => {
  const permissions = authorize(request, context);
  const space = context.store.spaces.get(guidOf(request));
  if (space === undefined || !permissions.canReadSpace(space)) {
    throw cfErrors.resourceNotFound("Space not found");
  }
  return { status: 200, body: presentSpace(space, context.url) };
};

/** `GET /v3/apps` (filters `names`, `space_guids`, `organization_guids`, `guids`). */
export const listApps: Handler = (request, context) => {
  const permissions = authorize(request, context);
  const query = parseListQuery(request.query, {
    filters: ["names", "organization_guids", "space_guids", "stacks", "include", "lifecycle_type"],
    orderBy: [...ORDER_BY_NAME, "state"],
    // CC `apps_list_message.rb#pagination_options` renames `state` to the column it sorts.
    orderByColumns: { state: "desired_state" },
  });
  const apps = [...context.store.apps.values()].filter((app) => {
    const space = spaceOfApp(context, app);
    return (
      space !== undefined &&
      permissions.canReadSpace(space) &&
      matchesCommonFilters(app, query) &&
      inFilter(query, "names", app.name) &&
      inFilter(query, "space_guids", app.spaceGuid) &&
      inFilter(query, "organization_guids", space.orgGuid) &&
      inFilter(query, "stacks", "cflinuxfs4") &&
      inFilter(query, "lifecycle_type", "buildpack")
    );
  });
  return listResponse(apps, query, `${context.url}/v3/apps`, (a) => presentApp(a, context.url));
};

/** `GET /v3/apps/:guid`. */
export const getApp: Handler = (request, context) => {
  const permissions = authorize(request, context);
  const { app } = readableApp(context, permissions, guidOf(request));
  return { status: 200, body: presentApp(app, context.url) };
};

/** `GET /v3/apps/:guid/processes` (filters `types`, `guids`). */
export const listAppProcesses: Handler = (request, context) => {
  const permissions = authorize(request, context);
  // CC `processes_controller.rb#index` validates the query before it looks the app up.
  const query = parseListQuery(request.query, {
    filters: ["app_guid", "types", "space_guids", "organization_guids", "app_guids", "embed"],
    refused: ["app_guids", "organization_guids", "space_guids"],
    unlinked: ["app_guid"],
  });
  const { app } = readableApp(context, permissions, guidOf(request));
  const processes = [...context.store.processes.values()].filter(
    (p) =>
      p.appGuid === app.guid && matchesCommonFilters(p, query) && inFilter(query, "types", p.type),
  );
  return listResponse(
    processes,
    query,
    `${context.url}/v3/apps/${app.guid}/processes`,
    (p: Process) => presentProcess(p, app.spaceGuid, context.url),
  );
};

/** `GET /v3/apps/:guid/droplets/current`. */
export const getCurrentDroplet: Handler = (request, context) => {
  const permissions = authorize(request, context);
  const { app } = readableApp(context, permissions, guidOf(request));
  const droplet =
    app.dropletGuid === null ? undefined : context.store.droplets.get(app.dropletGuid);
  if (droplet === undefined) throw cfErrors.resourceNotFound("Droplet not found");
  return { status: 200, body: presentDroplet(droplet, context.url) };
};

/** `GET /v3/processes/:guid`. */
export const getProcess: Handler = (request, context) => {
  const permissions = authorize(request, context);
  const { process, space } = readableProcess(context, permissions, guidOf(request));
  return { status: 200, body: presentProcess(process, space.guid, context.url) };
};

/** `GET /v3/processes/:guid/stats`: one entry per instance index (CC `lib/cloud_controller/diego/reporters/instances_stats_reporter.rb`). */
export const getProcessStats: Handler = (request, context) => {
  const permissions = authorize(request, context);
  const { process } = readableProcess(context, permissions, guidOf(request));
  return { status: 200, body: { resources: presentStats(context.store, process) } };
};

/**
 * `GET /v3/audit_events` (filters `types`, `target_guids`, `space_guids`, `organization_guids`;
 * CC `events_list_message.rb`): events of spaces the caller can read.
 */
export const listAuditEvents: Handler = (request, context) => {
  const permissions = authorize(request, context);
  const query = parseListQuery(request.query, {
    filters: ["types", "target_guids", "space_guids", "organization_guids"],
    labelSelector: false,
  });
  const events = [...context.store.auditEvents.values()].filter((event) => {
    return (
      canSeeEvent(context, permissions, event.spaceGuid) &&
      matchesCommonFilters(event, query) &&
      inFilter(query, "types", event.type) &&
      inFilter(query, "target_guids", event.target.guid) &&
      inFilter(query, "space_guids", event.spaceGuid) &&
      inFilter(query, "organization_guids", event.orgGuid)
    );
  });
  return listResponse(events, query, `${context.url}/v3/audit_events`, (e) =>
    presentAuditEvent(e, context.url),
  );
};

/** `GET /v3/audit_events/:guid`. */
export const getAuditEvent: Handler = (request, context) => {
  const permissions = authorize(request, context);
  const event = context.store.auditEvents.get(guidOf(request));
  if (event === undefined || !canSeeEvent(context, permissions, event.spaceGuid)) {
    throw cfErrors.resourceNotFound("Event not found");
  }
  return { status: 200, body: presentAuditEvent(event, context.url) };
};
