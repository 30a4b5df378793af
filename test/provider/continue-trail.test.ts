import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../../src/client/index.js";
import { continuesFromTrail, overshootOf, selfNames } from "../../src/provider/continue-trail.js";
import { createPromotion } from "../../src/provider/promotion-lifecycle.js";
import type { PromotionContinue } from "../../src/provider/promotion-record.js";
import { createProviderRuntime } from "../../src/provider/provider-runtime.js";
import { FakePromotionClient, SPACE_GUID } from "./fake-promotion-client.js";

const GUID = "00000000-0000-4000-8000-00000000000d";
const deployment = {
  deploymentGuid: GUID,
  canaryStep: { current: 3, total: 3 },
  statusValue: "ACTIVE",
  statusReason: "PAUSED",
} as const;

/** A continue event as CC presents it: the app as target, the deployment in `data`. */
function continued(
  at: string,
  actor: string | null,
  deploymentGuid = GUID,
  actorGuid = `guid-${actor}`,
): AuditEvent {
  return {
    guid: `event-${at}-${actor}`,
    type: "audit.app.deployment.continue",
    created_at: at,
    actor: { guid: actorGuid, type: "user", name: actor },
    target: { guid: "app", type: "app", name: "web" },
    data: { deployment_guid: deploymentGuid, droplet_guid: "d" },
  };
}

const T1 = "2026-03-01T12:00:01Z";
const T2 = "2026-03-01T12:00:02Z";
const T3 = "2026-03-01T12:00:03Z";

describe("continuesFromTrail", () => {
  it("numbers the deployment's continues by time and tells ours from someone else's", () => {
    const events = [
      continued(T3, "admin@example.com"),
      continued(T1, "ci@example.com"),
      continued(T1, "ci@example.com", "another-deployment"),
      continued(T2, "ci@example.com"),
    ];
    const sent = [{ fromStep: 2, toStep: 3, at: "local time" }];
    expect(continuesFromTrail(events, deployment, { previous: [], sent, self: [] })).toEqual([
      { fromStep: 1, toStep: 2, at: T1, by: "ci@example.com", ours: true },
      { fromStep: 2, toStep: 3, at: T2, by: "ci@example.com", ours: true },
      { fromStep: 3, toStep: "deployed", at: T3, by: "admin@example.com", ours: false },
    ]);
  });

  it("knows us by the user name of the credentials when this run sent nothing", () => {
    const events = [continued(T1, "ci@example.com"), continued(T2, "admin")];
    const known = {
      previous: [],
      sent: [],
      self: selfNames({ kind: "password", username: "ci", password: "p" }),
    };
    expect(continuesFromTrail(events, deployment, known).map((c) => c.ours)).toEqual([true, false]);
  });

  it("keeps the recorded continues the trail no longer has, numbering the rest from where the deployment is", () => {
    const previous: PromotionContinue[] = [
      { fromStep: 1, toStep: 2, at: T1, by: "ci@example.com", ours: true },
    ];
    // Paused at step 3, the deployment has had two continues; CC pruned the older event.
    const events = [continued(T2, "admin@example.com")];
    expect(continuesFromTrail(events, deployment, { previous, sent: [], self: [] })).toEqual([
      previous[0],
      { fromStep: 2, toStep: 3, at: T2, by: "admin@example.com", ours: false },
    ]);
    expect(continuesFromTrail([], deployment, { previous, sent: [], self: [] })).toEqual(previous);
  });

  it("knows us by the actor guid of our token, whatever name CC shows, and then not by name", () => {
    const events = [
      continued(T1, "someone-renamed@example.com", GUID, "our-user-guid"),
      continued(T2, "ci@example.com", GUID, "another-ci-guid"),
    ];
    const known = { previous: [], sent: [], self: ["ci"], actorGuid: "our-user-guid" };
    expect(continuesFromTrail(events, deployment, known).map((c) => [c.by, c.ours])).toEqual([
      ["someone-renamed@example.com", true],
      ["ci@example.com", false],
    ]);
  });

  it("matches a name only exactly or as the local part of an email", () => {
    const events = [continued(T1, "ci-bot@example.com"), continued(T2, "ci")];
    const known = { previous: [], sent: [], self: ["ci"] };
    expect(continuesFromTrail(events, deployment, known).map((c) => c.ours)).toEqual([false, true]);
  });

  it("reads a trail whose actors have no name (null or empty), naming nobody", () => {
    const events = [continued(T1, null), continued(T2, "")];
    expect(
      continuesFromTrail(events, deployment, { previous: [], sent: [], self: ["ci"] }).map((c) => [
        c.fromStep,
        c.by,
        c.ours,
      ]),
    ).toEqual([
      [1, null, false],
      [2, null, false],
    ]);
  });
});

describe("overshootOf", () => {
  const ours = (fromStep: number): PromotionContinue => ({
    fromStep,
    toStep: fromStep + 1,
    at: T1,
    by: "ci",
    ours: true,
  });
  const theirs = (fromStep: number, toStep: number | "deployed"): PromotionContinue => ({
    fromStep,
    toStep,
    at: T2,
    by: "admin",
    ours: false,
  });

  it("names who took the deployment past toStep, and where to", () => {
    expect(
      overshootOf({ kind: "step", step: 2 }, [ours(1), theirs(2, 3), theirs(3, "deployed")]),
    ).toEqual({
      by: ["admin"],
      toStep: "deployed",
    });
  });

  it("is null when the goal was kept, or is DEPLOYED, or only we moved it", () => {
    expect(overshootOf({ kind: "step", step: 3 }, [theirs(1, 2), ours(2)])).toBeNull();
    expect(overshootOf({ kind: "deployed" }, [theirs(1, 2), theirs(2, 3)])).toBeNull();
    expect(overshootOf({ kind: "step", step: 1 }, [ours(1), ours(2)])).toBeNull();
  });
});

/** A Cloud Controller where an admin continues right after each continue of ours lands. */
class RacedClient extends FakePromotionClient {
  override async continueDeployment(guid: string) {
    const outcome = await super.continueDeployment(guid);
    const step = this.deployments.get(guid)?.step ?? 0;
    this.auditEvents.push(continued(T1, "ci@example.com", guid));
    this.auditEvents.push(continued(T2, "admin@example.com", guid));
    this.set(guid, "PAUSED", step + 1);
    return outcome;
  }
}

describe("an admin's continue racing ours", () => {
  it("records the true step, the admin's continue and the overshoot, and says so", async () => {
    const client = new RacedClient();
    const lines: string[] = [];
    const runtime = createProviderRuntime(
      { apiUrl: "https://api.example.test", user: "ci", password: "pw" },
      {
        env: {},
        fileExists: () => false,
        sleep: async () => undefined,
        print: (line) => lines.push(line),
        createClient: () => client,
        engineGone: () => undefined,
      },
    );
    const { outs } = await createPromotion(runtime, {
      appName: "web",
      spaceGuid: SPACE_GUID,
      toStep: 2,
      __provider: "p",
    });
    expect(outs).toMatchObject({
      statusReason: "PAUSED",
      canaryStep: { current: 3, total: 3 },
      continues: [
        { fromStep: 1, toStep: 2, at: T1, by: "ci@example.com", ours: true },
        { fromStep: 2, toStep: 3, at: T2, by: "admin@example.com", ours: false },
      ],
      overshoot: { by: ["admin@example.com"], toStep: 3 },
    });
    expect(client.posts()).toHaveLength(1);
    // Said when it was seen, and again with the names once the audit trail was read.
    expect(lines).toContainEqual(
      "web: the deployment moved on (canary step 3/3 paused) without a continue from this provider: someone else continued it (0s)",
    );
    expect(
      lines.some((l) =>
        /^web: step 2\/3 → step 3\/3 was continued by admin@example.com at /.test(l),
      ),
    ).toBe(true);
    expect(
      lines.some((l) =>
        l.includes(
          "warning: the deployment went past the goal step 2/3 to step 3/3: continued by admin@example.com; recorded where it really is",
        ),
      ),
    ).toBe(true);
  });
});
