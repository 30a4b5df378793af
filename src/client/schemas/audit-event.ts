import { z } from "zod";

const actorOrTarget = z.looseObject({ guid: z.string(), type: z.string(), name: z.string() });

/**
 * A V3 audit event (`event_presenter.rb`). For `audit.app.deployment.continue` the target is the
 * **app** and the deployment guid is `data.deployment_guid` (reference §3.1 step 7).
 */
export const AuditEventSchema = z.looseObject({
  guid: z.string().min(1),
  type: z.string(),
  created_at: z.string(),
  actor: actorOrTarget,
  target: actorOrTarget,
  data: z.record(z.string(), z.unknown()),
});
/** A V3 audit event. */
export type AuditEvent = z.infer<typeof AuditEventSchema>;
