import type { Deployment } from "../client/index.js";
import type { KnownContinues } from "./continue-trail.js";
import {
  continuesFromTrail,
  continuesSeenIn,
  knownContinues,
  overshootOf,
  readContinueEvents,
} from "./continue-trail.js";
import type { PromotionClient } from "./promotion-client.js";
import type { PromotionGoal } from "./promotion-plan.js";
import { describeGoal } from "./promotion-plan.js";
import type { Overshoot, PromotionContinue, RecordedDeployment } from "./promotion-record.js";
import { snapshotOf } from "./promotion-record.js";

/** What a create or update records about the deployment once it is done with it. */
export interface TrailRecord {
  deployment: RecordedDeployment;
  continues: PromotionContinue[];
  overshoot: Overshoot | null;
}

export interface TrailRecordOptions {
  client: Pick<PromotionClient, "listAuditEvents" | "getDeployment" | "actorGuid">;
  /** The deployment as the run last saw it. */
  deployment: Deployment;
  known: KnownContinues;
  goal: PromotionGoal;
  finalContinueSent: boolean;
  deadline: number;
  /** Prints a progress line. */
  note: (text: string) => void;
}

/**
 * Reads the deployment's continues from the Cloud Controller's audit trail and records the truth:
 * every continue with who sent it, the deployment re-read when the trail shows it moved on since
 * it was last seen (a continue by someone else landed while ours was in flight), and an overshoot
 * when someone else took it past the goal, each said in a progress line.
 */
export async function recordFromTrail(options: TrailRecordOptions): Promise<TrailRecord> {
  const { client, known, goal, note } = options;
  let deployment: RecordedDeployment = snapshotOf(options.deployment);
  const events = await readContinueEvents(client, options.deployment, options.deadline);
  if (events === undefined) {
    const continues = knownContinues(known);
    return { deployment, continues, overshoot: overshootOf(goal, continues) };
  }
  const actorGuid = await client.actorGuid({ deadline: options.deadline }).catch(() => undefined);
  const continues = continuesFromTrail(events, deployment, { ...known, actorGuid });
  if (continues.length > continuesSeenIn(deployment, options.finalContinueSent)) {
    try {
      deployment = snapshotOf(
        await client.getDeployment(deployment.deploymentGuid, { deadline: options.deadline }),
      );
    } catch {
      // Keep the last observation; the continues still say where it went.
    }
  }
  const total = deployment.canaryStep?.total;
  const stepText = (step: number | "deployed") =>
    step === "deployed" ? "deployed" : `step ${step}${total === undefined ? "" : `/${total}`}`;
  const reported = new Set(known.previous.filter((c) => !c.ours).map((c) => c.fromStep));
  for (const c of continues.filter((c) => !c.ours && !reported.has(c.fromStep))) {
    note(
      `${stepText(c.fromStep)} → ${stepText(c.toStep)} was continued by ${c.by ?? "someone else"} at ${c.at}, not by this provider`,
    );
  }
  const overshoot = overshootOf(goal, continues);
  if (overshoot !== null) {
    note(
      `warning: the deployment went past the goal ${describeGoal(goal, deployment)} to ${stepText(overshoot.toStep)}: continued by ${overshoot.by.join(", ")}; recorded where it really is`,
    );
  }
  return { deployment, continues, overshoot };
}
