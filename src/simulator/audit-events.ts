import type { App, AuditEventRecord } from "./model.js";
import type { Store } from "./store.js";
import { type Principal, userEmail } from "./token-service.js";

/** Audit event types the simulator records (CC `app/repositories/event_types.rb`). */
export type AuditEventType =
  | "audit.app.deployment.create"
  | "audit.app.deployment.continue"
  | "audit.app.deployment.cancel";

/**
 * Records an audit event targeting the app, as CC `deployment_event_repository.rb` does: the
 * actor is the user (named by email) or client, the target is the **app**, the deployment is in
 * `data`.
 */
export function recordAuditEvent(
  store: Store,
  type: AuditEventType,
  principal: Principal,
  app: App,
  data: Record<string, unknown>,
): AuditEventRecord {
  const space = store.spaces.get(app.spaceGuid);
  return store.addAuditEvent({
    type,
    // CC `deployment_event_repository.rb`: `actor_name` is the user's email, which
    // `event_presenter.rb` shows as `actor.name`. A client token has no email; its id stands in.
    actor: {
      guid: principal.actor.guid,
      type: "user",
      name: principal.actor.kind === "user" ? userEmail(principal.actor) : principal.actor.name,
    },
    target: { guid: app.guid, type: "app", name: app.name },
    data,
    spaceGuid: app.spaceGuid,
    orgGuid: space?.orgGuid ?? "",
  });
}
