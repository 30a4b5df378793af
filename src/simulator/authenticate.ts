import { cfErrors } from "./cf-error.js";
import type { Authentication, SimRequest, SimulatorContext } from "./context.js";
import { Permissions } from "./permissions.js";
import type { TokenService } from "./token-service.js";

/**
 * Reads the `Authorization` header. CC accepts `bearer` in any case
 * (`lib/cloud_controller/security/security_context_configurer.rb`); HTTP Basic matters only to
 * the rate limiter, which exempts it.
 */
export function readAuthentication(
  header: string | undefined,
  tokens: TokenService,
): Authentication {
  if (header === undefined || header === "") return { kind: "none" };
  const [scheme = "", token = ""] = header.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === "basic") return { kind: "basic" };
  if (scheme.toLowerCase() !== "bearer") return { kind: "none" };
  const principal = tokens.authenticate(token);
  return principal === undefined ? { kind: "invalid" } : { kind: "valid", principal };
}

/**
 * The authentication and scope checks every authenticated CC endpoint runs first
 * (CC `middleware/security_context_setter.rb` and the controller's scope check): 401 10002 without a bearer token, 401 1000 for a bad one, then
 * 403 10003 when a GET lacks `cloud_controller.read` or a write lacks `cloud_controller.write`
 * (admins pass both).
 */
export function authorize(request: SimRequest, context: SimulatorContext): Permissions {
  const auth = request.authentication;
  if (auth.kind === "none" || auth.kind === "basic") throw cfErrors.notAuthenticated();
  if (auth.kind === "invalid") throw cfErrors.invalidAuthToken();
  const permissions = new Permissions(context.store, auth.principal);
  const reading = request.method === "GET" || request.method === "HEAD";
  if (reading ? !permissions.hasReadScope : !permissions.hasWriteScope) {
    throw cfErrors.notAuthorized();
  }
  return permissions;
}

/**
 * The JSON body, or `{}` when empty. A body that does not parse is 400 `CF-MessageParseError`
 * (CC `application_controller.rb` rescues Rails' parse error).
 */
export function jsonBody(request: SimRequest): unknown {
  if (request.body.length === 0) return {};
  try {
    return JSON.parse(request.body.toString("utf8"));
  } catch {
    throw cfErrors.messageParseError();
  }
}
