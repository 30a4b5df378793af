/**
 * `POST /v3/deployments/:guid/actions/cancel` (reference §3.3, §2.1).
 */
import { describe, expect } from "vitest";
import {
  action,
  call,
  createDeploymentFor,
  expectCfError,
  getDeployment,
  instanceCount,
  it,
  pausedWebDeployment,
  seededApp,
  statusOf,
  tickUntil,
  tokenFor,
  webDeployment,
} from "../support/index.js";

function expectCannotCancel(
  result: Awaited<ReturnType<typeof action>>,
  value: string,
  reason: string,
): void {
  expectCfError(
    result,
    422,
    10008,
    "CF-UnprocessableEntity",
    `Cannot cancel a deployment with status: ${value} and reason: ${reason}`,
  );
}

describe("cancel", () => {
  it("cancels a PAUSED canary: 200 with an empty body, then ACTIVE/CANCELING at once", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const result = await action(sim, "developer", guid, "cancel");
    expect(result.status).toBe(200);
    expect(result.text).toBe("");
    expect(await statusOf(sim, guid)).toBe("ACTIVE/CANCELING");
  });

  it("finishes a cancel on the next updater ticks as FINALIZED/CANCELED", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    const ticks = await tickUntil(sim, guid, "FINALIZED/CANCELED");
    expect(ticks).toBeGreaterThanOrEqual(1);
  });

  it("cancels a rolling DEPLOYING deployment", async ({ sim }) => {
    const created = await createDeploymentFor(sim, "api");
    expect((await action(sim, "supporter", created.guid, "cancel")).status).toBe(200);
    expect(await statusOf(sim, created.guid)).toBe("ACTIVE/CANCELING");
  });

  it("cancels a PREPAUSED canary", async ({ sim }) => {
    const created = await createDeploymentFor(sim, "api", { strategy: "canary" });
    expect((await action(sim, "admin", created.guid, "cancel")).status).toBe(200);
    expect(await statusOf(sim, created.guid)).toBe("ACTIVE/CANCELING");
  });

  it("accepts a cancel of a deployment that is already CANCELING", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    const again = await action(sim, "developer", guid, "cancel");
    expect(again.status, again.text).toBe(200);
    expect(await statusOf(sim, guid)).toBe("ACTIVE/CANCELING");
  });

  it("refuses to cancel a CANCELED deployment", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    await tickUntil(sim, guid, "FINALIZED/CANCELED");
    expectCannotCancel(await action(sim, "developer", guid, "cancel"), "FINALIZED", "CANCELED");
  });

  it("refuses to cancel a DEPLOYED deployment", async ({ sim }) => {
    const created = await createDeploymentFor(sim, "worker");
    expectCannotCancel(
      await action(sim, "developer", created.guid, "cancel"),
      "FINALIZED",
      "DEPLOYED",
    );
  });

  it("refuses to cancel a SUPERSEDED deployment", async ({ sim }) => {
    const first = await createDeploymentFor(sim, "api");
    await createDeploymentFor(sim, "api");
    expectCannotCancel(
      await action(sim, "developer", first.guid, "cancel"),
      "FINALIZED",
      "SUPERSEDED",
    );
  });

  for (const role of ["manager", "auditor", "outsider"]) {
    it(`answers 404 Deployment not found to the ${role}`, async ({ sim }) => {
      const guid = await pausedWebDeployment(sim);
      expectCfError(
        await action(sim, role, guid, "cancel"),
        404,
        10010,
        "CF-ResourceNotFound",
        "Deployment not found",
      );
      expect(await statusOf(sim, guid)).toBe("ACTIVE/PAUSED");
    });
  }

  it("answers 403 to a token without cloud_controller.write", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expectCfError(
      await action(sim, "reader", guid, "cancel"),
      403,
      10003,
      "CF-NotAuthorized",
      "You are not authorized to perform the requested action",
    );
  });

  it("answers 401 without a token and 404 to an unknown guid", async ({ sim }) => {
    expectCfError(
      await call(sim, "POST", `/v3/deployments/${webDeployment(sim)}/actions/cancel`),
      401,
      10002,
      "CF-NotAuthenticated",
      "Authentication error",
    );
    expectCfError(
      await action(sim, "developer", "no-such-guid", "cancel"),
      404,
      10010,
      "CF-ResourceNotFound",
      "Deployment not found",
    );
  });

  it("scales the original web process back to its instance count once CANCELED", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const web = seededApp(sim, "web");
    if (web === undefined) throw new Error("no web app");
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    await tickUntil(sim, guid, "FINALIZED/CANCELED");
    expect(await instanceCount(sim, web.webProcessGuid)).toBe(4);
  });

  it("keeps the canary step where it was when canceled", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    await tickUntil(sim, guid, "FINALIZED/CANCELED");
    expect((await getDeployment(sim, guid)).status.canary).toEqual({
      steps: { current: 2, total: 3 },
    });
  });
});

describe("cancel then supersede", () => {
  it("supersedes a CANCELING deployment into CANCELED with FINALIZED/SUPERSEDED", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    const droplet = (await getDeployment(sim, guid)).droplet.guid;
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    await createDeploymentFor(sim, "web", { droplet: { guid: droplet } });
    const superseded = await getDeployment(sim, guid);
    expect(`${superseded.status.value}/${superseded.status.reason}`).toBe("FINALIZED/SUPERSEDED");
    const result = await call(sim, "GET", `/v3/deployments?states=CANCELED`, {
      token: await tokenFor(sim, "admin"),
    });
    expect(
      (result.json as { resources: Array<{ guid: string }> }).resources.map((d) => d.guid),
    ).toEqual([guid]);
  });
});
