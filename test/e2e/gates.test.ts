import { describe, expect } from "vitest";
import { it, posts, promotionOf as promotion, stackConfig, test } from "./host-helpers.js";

// Timeouts and input checks through runLocal (the real provider host) and the simulator; the
// gates themselves are in promotion-gates.test.ts. These runs use manual simulator ticks
// (tickMs: 0) so the deployment stays where the test puts it.

describe("DeploymentPromotion's gates through the real provider host", { timeout: 60_000 }, () => {
  test.override({ simOptions: { tickMs: 0 } });

  it("on timeout with onTimeout 'cancel' cancels the deployment and keeps it in state", async ({
    sim,
    stack: { run },
    webDeployment: guid,
  }) => {
    // Never ticked, the seeded canary keeps scaling toward step 1 (ACTIVE/DEPLOYING).
    const program = promotion({ timeoutSeconds: 1, onTimeout: "cancel" });

    const error = await run("up", program).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "RUN_LOCAL_RESOURCE_FAILED",
      step: "create",
      initFailure: {
        id: guid,
        properties: { statusValue: "ACTIVE", statusReason: "CANCELING", continues: [] },
      },
    });
    expect((error as Error).message).toContain(
      'Canceled it as onTimeout: "cancel" asks (now ACTIVE/CANCELING;',
    );
    expect(await posts(sim)).toEqual([`/v3/deployments/${guid}/actions/cancel`]);
    const cancels = await sim.control.auditEvents({ types: ["audit.app.deployment.cancel"] });
    expect(cancels.map((e) => e.data)).toEqual([
      expect.objectContaining({ deployment_guid: guid }),
    ]);

    // The resource is in state with what happened: a refresh sees the cancel finish.
    await sim.control.tick(20);
    const refreshed = await run("refresh", program);
    expect(refreshed.resources[0]?.outputs).toMatchObject({ statusReason: "CANCELED" });
  });

  it("on timeout with onTimeout 'fail' fails and leaves the deployment alone", async ({
    sim,
    stack: { run },
    webDeployment: guid,
    operator,
  }) => {
    const error = await run("up", promotion({ timeoutSeconds: 1 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "RUN_LOCAL_RESOURCE_FAILED", step: "create" });
    expect((error as { initFailure?: unknown }).initFailure).toBeUndefined();
    expect((error as { providerMessage: string }).providerMessage).toBe(
      `[PROMOTION_TIMEOUT] timed out after 1s (timeoutSeconds) promoting deployment ${guid} of app web to deployed (last seen: canary step 1/3 scaling…). Left the deployment as it is (onTimeout: "fail"): run the update again to keep going, or cancel it with cf cancel-deployment web.`,
    );
    expect(await posts(sim)).toEqual([]);
    expect(await sim.control.auditEvents({ types: ["audit.app.deployment.cancel"] })).toEqual([]);
    expect((await operator.getDeployment(guid)).status).toMatchObject({
      value: "ACTIVE",
      reason: "DEPLOYING",
    });
  });

  it("gives one named failure per input mistake, before anything is read or sent", async ({
    sim,
    stack: { run },
  }) => {
    const error = await run(
      "up",
      promotion({
        appGuid: "not-a-guid",
        toStep: 0,
        onTimeout: "rollback" as "fail",
      }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "RUN_LOCAL_INVALID_INPUTS",
      step: "check",
      failures: [
        {
          property: "appGuid",
          reason:
            "[PROMOTION_INVALID_INPUTS] must be a GUID such as 8a1b7b9c-0d2e-4f3a-9b8c-7d6e5f4a3b2c",
        },
        {
          property: "toStep",
          reason: "[PROMOTION_INVALID_INPUTS] must be a whole number of at least 1",
        },
        { property: "onTimeout", reason: '[PROMOTION_INVALID_INPUTS] must be "fail" or "cancel"' },
        {
          property: "appName",
          reason:
            "[PROMOTION_INVALID_INPUTS] conflicts with appGuid: give exactly one target: deploymentGuid, appGuid, or appName with spaceGuid (or with spaceName and orgName)",
        },
      ],
    });
    expect(await sim.control.requests()).toEqual([]);
  });

  it("records nothing for a promotion that is already at its goal, and sends nothing", async ({
    sim,
    stack: { run },
  }) => {
    await sim.control.tick(20);
    const result = await run("up", promotion({ toStep: 1 }), stackConfig(sim));
    expect(result.resources[0]?.outputs).toMatchObject({
      statusReason: "PAUSED",
      canaryStep: { current: 1, total: 3 },
      continues: [],
    });
    expect(await posts(sim)).toEqual([]);
  });
});
