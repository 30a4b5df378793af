import type { AuditEvent, CredentialSource, Deployment } from "../client/index.js";
import type { PromotionClient } from "./promotion-client.js";
import type { PromotionGoal } from "./promotion-plan.js";
import type {
  Overshoot,
  PromotionContinue,
  RecordedDeployment,
  SentContinue,
} from "./promotion-record.js";
import { isDeployed } from "./promotion-record.js";

const CONTINUE_EVENT = "audit.app.deployment.continue";

/** What a run knows of the continues on its deployment before it reads the audit trail. */
export interface KnownContinues {
  /** Recorded by earlier operations on this resource. */
  previous: readonly PromotionContinue[];
  /** Sent by this run and seen applied. */
  sent: readonly SentContinue[];
  /** Names the Cloud Controller may record us by (see {@link selfNames}). */
  self: readonly string[];
  /**
   * The actor guid of our token (`CloudFoundryClient.actorGuid`): the surest way to tell our
   * continues apart. `undefined` when unknown; then the names decide.
   */
  actorGuid?: string | undefined;
}

/**
 * The names an audit event may carry for the credentials in use: CC records a user by email
 * (`actor_name` is `user_audit_info.user_email`, cloud_controller_ng
 * app/repositories/deployment_event_repository.rb), whose local part is often the user name,
 * and a client by its id. Used only when the token's actor guid is unknown (a token that is
 * not a JWT); a static token or the cf CLI's login names nobody here.
 */
export function selfNames(credentials: CredentialSource): string[] {
  switch (credentials.kind) {
    case "password":
      return [credentials.username];
    case "clientCredentials":
      return [credentials.clientId];
    default:
      return [];
  }
}

/**
 * Every continue on the deployment from the Cloud Controller's own trail (`audit.app.deployment
 * .continue` events on the app, with the deployment in `data.deployment_guid`), so that the list
 * survives a killed run and shows continues others made. CC writes no step into the event; each
 * continue advances exactly one step from step 1 (cloud_controller_ng
 * app/actions/deployment_continue.rb), so the n-th continue is the one from step n. When the trail
 * holds fewer continues than the deployment has had, CC pruned the oldest
 * (`audit_events.cutoff_age_in_days`, cloud_controller_ng config/cloud_controller.yml), so the
 * trail is numbered back from where the deployment is. A continue we know of but the trail lacks
 * is kept as recorded.
 */
export function continuesFromTrail(
  events: readonly AuditEvent[],
  deployment: Pick<
    RecordedDeployment,
    "deploymentGuid" | "canaryStep" | "statusValue" | "statusReason"
  >,
  known: KnownContinues,
): PromotionContinue[] {
  const total = deployment.canaryStep?.total;
  const trail = events
    .filter(
      (e) => e.type === CONTINUE_EVENT && e.data["deployment_guid"] === deployment.deploymentGuid,
    )
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.created_at.localeCompare(b.event.created_at) || a.index - b.index)
    .map(({ event }) => event);
  const ourSteps = new Set([
    ...known.previous.filter((c) => c.ours).map((c) => c.fromStep),
    ...known.sent.map((c) => c.fromStep),
  ]);
  // The actor of a continue we know we sent is us, whatever name CC shows for it.
  const pruned = Math.max(0, continuesSeenIn(deployment, false) - trail.length);
  const ourActors = new Set(
    trail.filter((_, i) => ourSteps.has(pruned + i + 1)).map((event) => event.actor.guid),
  );
  if (known.actorGuid !== undefined) ourActors.add(known.actorGuid);
  // Without our own guid, the name: CC records a user by email, whose local part is often the
  // user name; only an exact name or `<name>@…` counts.
  const byName = (event: AuditEvent) =>
    known.actorGuid === undefined &&
    event.actor.name !== null &&
    known.self.some(
      (name) => event.actor.name === name || event.actor.name?.startsWith(`${name}@`),
    );
  const isOurs = (event: AuditEvent) => ourActors.has(event.actor.guid) || byName(event);
  const fromTrail = trail.map((event, index): PromotionContinue => {
    const i = pruned + index;
    return {
      fromStep: i + 1,
      toStep: total === undefined || i + 1 < total ? i + 2 : "deployed",
      at: event.created_at,
      by: event.actor.name === "" ? null : event.actor.name,
      ours: isOurs(event),
    };
  });
  const inTrail = new Set(fromTrail.map((c) => c.fromStep));
  const missing = knownContinues(known).filter((c) => !inTrail.has(c.fromStep));
  return [...fromTrail, ...missing].sort((a, b) => a.fromStep - b.fromStep);
}

/** The continues as known without the trail (it could not be read): ours, by nobody we can name. */
export function knownContinues(
  known: Pick<KnownContinues, "previous" | "sent">,
): PromotionContinue[] {
  const sent = known.sent.map((c): PromotionContinue => ({ ...c, by: null, ours: true }));
  const steps = new Set(sent.map((c) => c.fromStep));
  return [...known.previous.filter((c) => !steps.has(c.fromStep)), ...sent];
}

/**
 * The overshoot: someone else's continues from the goal step on, which took the deployment past
 * `toStep` (ours never go beyond the goal). `null` when the goal is DEPLOYED or was kept.
 */
export function overshootOf(
  goal: PromotionGoal,
  continues: readonly PromotionContinue[],
): Overshoot | null {
  if (goal.kind !== "step") return null;
  const beyond = continues.filter((c) => !c.ours && c.fromStep >= goal.step);
  const last = beyond.at(-1);
  if (last === undefined) return null;
  return { by: [...new Set(beyond.map((c) => c.by ?? "someone else"))], toStep: last.toStep };
}

/** How many continues the deployment as observed has had: to tell whether the trail is ahead of it. */
export function continuesSeenIn(
  deployment: Pick<RecordedDeployment, "canaryStep" | "statusValue" | "statusReason">,
  finalContinueSent: boolean,
): number {
  const step = deployment.canaryStep;
  if (step === null) return 0;
  return isDeployed(deployment) || finalContinueSent ? step.total : step.current - 1;
}

/** The deployment's continue events, or `undefined` when the trail cannot be read. */
export async function readContinueEvents(
  client: Pick<PromotionClient, "listAuditEvents">,
  deployment: Deployment,
  deadline: number,
): Promise<AuditEvent[] | undefined> {
  try {
    return await client.listAuditEvents(
      { types: [CONTINUE_EVENT], targetGuids: [deployment.relationships.app.data.guid] },
      { deadline },
    );
  } catch {
    // An auditor-less role or a flaky read: fall back to what this provider recorded.
    return undefined;
  }
}
