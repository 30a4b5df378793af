import { describe, expect, it } from "vitest";
import { readRecordedPromotion, snapshotOf } from "../../src/provider/promotion-record.js";
import { DEPLOYMENT_GUID, FakePromotionClient } from "./fake-promotion-client.js";

const recorded = {
  deploymentGuid: DEPLOYMENT_GUID,
  appGuid: "app",
  appName: "web",
  strategy: "canary",
  statusValue: "ACTIVE",
  statusReason: "PAUSED",
  canaryStep: { current: 2, total: 3 },
  dropletGuid: "d",
  previousDropletGuid: null,
  revision: null,
  lastStatusChange: null,
  lastSuccessfulHealthcheck: null,
  continues: [{ fromStep: 1, toStep: 2, at: "2026-03-01T12:00:00.000Z" }],
  target: { appName: "web", spaceGuid: "s" },
};

describe("readRecordedPromotion", () => {
  it("reads the recorded outputs, leaving the inputs and __provider aside", () => {
    // State written before continues named their sender lists only this provider's own.
    expect(readRecordedPromotion({ ...recorded, toStep: 2, __provider: "p" })).toEqual({
      ...recorded,
      continues: [{ ...recorded.continues[0], by: null, ours: true }],
      overshoot: null,
      gateResults: [],
    });
  });

  it("reads state written before the target was recorded, with the deployment as its target", () => {
    const { target: _target, ...older } = recorded;
    expect(readRecordedPromotion(older)?.target).toEqual({ deploymentGuid: DEPLOYMENT_GUID });
  });

  it("falls back, field by field, for values older or hand-edited state lacks", () => {
    expect(
      readRecordedPromotion({
        deploymentGuid: DEPLOYMENT_GUID,
        appGuid: "app",
        statusValue: "FINALIZED",
        statusReason: "DEPLOYED",
        canaryStep: "2/3",
        continues: "three",
        gateResults: "all green",
      }),
    ).toEqual({
      deploymentGuid: DEPLOYMENT_GUID,
      appGuid: "app",
      appName: "(unknown app)",
      strategy: "canary",
      statusValue: "FINALIZED",
      statusReason: "DEPLOYED",
      canaryStep: null,
      dropletGuid: null,
      previousDropletGuid: null,
      revision: null,
      lastStatusChange: null,
      lastSuccessfulHealthcheck: null,
      continues: [],
      overshoot: null,
      target: { deploymentGuid: DEPLOYMENT_GUID },
      gateResults: [],
    });
  });

  it("gives up without the deployment and its status", () => {
    const { statusValue: _value, ...withoutStatus } = recorded;
    expect(readRecordedPromotion(withoutStatus)).toBeUndefined();
    expect(readRecordedPromotion({})).toBeUndefined();
  });
});

describe("snapshotOf", () => {
  it("reduces a Cloud Controller deployment to the values the provider plans and records with", async () => {
    const deployment = await new FakePromotionClient().getDeployment(DEPLOYMENT_GUID);
    expect(snapshotOf(deployment)).toEqual({
      deploymentGuid: DEPLOYMENT_GUID,
      appGuid: deployment.relationships.app.data.guid,
      strategy: "canary",
      statusValue: "ACTIVE",
      statusReason: "PAUSED",
      canaryStep: { current: 1, total: 3 },
      dropletGuid: deployment.droplet.guid,
      previousDropletGuid: deployment.previous_droplet?.guid,
      revision: null,
      lastStatusChange: "2026-01-01T00:00:00Z",
      lastSuccessfulHealthcheck: "2026-01-01T00:00:00Z",
      newProcessGuid: deployment.new_processes[0]?.guid,
    });
  });

  it("places a canary deployment without steps at step 1 of 1, as CC presents it", async () => {
    const deployment = await new FakePromotionClient().getDeployment(DEPLOYMENT_GUID);
    const { canary: _canary, ...status } = deployment.status;
    expect(snapshotOf({ ...deployment, status }).canaryStep).toEqual({ current: 1, total: 1 });
  });
});
