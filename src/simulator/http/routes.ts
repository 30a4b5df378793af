import type { Handler } from "../context.js";
import * as control from "../handlers/control.js";
import * as deployments from "../handlers/deployments.js";
import * as resources from "../handlers/resources.js";
import { getInfo, getRoot, getV2Info, getV3Root } from "../handlers/root.js";
import { postToken } from "../handlers/uaa.js";
import { Router } from "./router.js";

/** Path prefix of the simulated UAA; `uaaUrl` is `${url}${UAA_PREFIX}`. */
export const UAA_PREFIX = "/uaa";

/** The Cloud Controller and UAA routes. */
export function apiRoutes(): Router<Handler> {
  return new Router<Handler>()
    .add("GET", "/", getRoot)
    .add("GET", "/v3", getV3Root)
    .add("GET", "/v3/info", getInfo)
    .add("GET", "/v2/info", getV2Info)
    .add("POST", `${UAA_PREFIX}/oauth/token`, postToken)
    .add("POST", "/oauth/token", postToken)
    .add("GET", "/v3/organizations", resources.listOrganizations)
    .add("GET", "/v3/organizations/:guid", resources.getOrganization)
    .add("GET", "/v3/spaces", resources.listSpaces)
    .add("GET", "/v3/spaces/:guid", resources.getSpace)
    .add("GET", "/v3/apps", resources.listApps)
    .add("GET", "/v3/apps/:guid", resources.getApp)
    .add("GET", "/v3/apps/:guid/processes", resources.listAppProcesses)
    .add("GET", "/v3/apps/:guid/droplets/current", resources.getCurrentDroplet)
    .add("GET", "/v3/processes/:guid", resources.getProcess)
    .add("GET", "/v3/processes/:guid/stats", resources.getProcessStats)
    .add("GET", "/v3/audit_events", resources.listAuditEvents)
    .add("GET", "/v3/audit_events/:guid", resources.getAuditEvent)
    .add("GET", "/v3/deployments", deployments.listDeployments)
    .add("POST", "/v3/deployments", deployments.createDeploymentAction)
    .add("GET", "/v3/deployments/:guid", deployments.getDeployment)
    .add("PATCH", "/v3/deployments/:guid", deployments.updateDeployment)
    .add("POST", "/v3/deployments/:guid/actions/continue", deployments.continueDeploymentAction)
    .add("POST", "/v3/deployments/:guid/actions/cancel", deployments.cancelDeploymentAction);
}

/** The `/_sim/` control routes. */
export function controlRoutes(): Router<Handler> {
  return new Router<Handler>()
    .add("POST", "/_sim/tick", control.postTick)
    .add("POST", "/_sim/faults", control.postFault)
    .add("DELETE", "/_sim/faults", control.deleteFaults)
    .add("POST", "/_sim/faults/release", control.postRelease)
    .add("GET", "/_sim/held", control.getHeld)
    .add("GET", "/_sim/requests", control.getRequests)
    .add("DELETE", "/_sim/requests", control.deleteRequests)
    .add("POST", "/_sim/processes/:guid/instances/:index", control.postInstanceState)
    .add("POST", "/_sim/tokens/expire", control.postExpireTokens)
    .add("GET", "/_sim/audit_events", control.getAuditEvents)
    .add("GET", "/_sim/info", control.getSimInfo);
}
