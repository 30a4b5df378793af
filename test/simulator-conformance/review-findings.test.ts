/**
 * Facts found in review against CC's own source and request specs, each with the file it comes
 * from (reference §1.3, §3.1 step 7, §3.3, §5).
 */
import { describe, expect, it } from "vitest";
import {
  action,
  appGuid,
  call,
  createDeployment,
  expectCfError,
  pausedWebDeployment,
  type SimHandle,
  startSim,
  tokenFor,
} from "./support.js";

async function auditData(sim: SimHandle, type: string): Promise<unknown[]> {
  const result = await call(sim, "GET", `/v3/audit_events?types=${type}`, {
    token: await tokenFor(sim, "admin"),
  });
  expect(result.status, result.text).toBe(200);
  return (result.json as { resources: Array<{ data: unknown }> }).resources.map((e) => e.data);
}

describe("audit event data", () => {
  // CC spec/unit/actions/deployment_continue_spec.rb: metadata is exactly these two keys.
  it("records the deployment's droplet guid and the deployment guid for a continue", async () => {
    const sim = await startSim();
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "continue")).status).toBe(200);
    expect(await auditData(sim, "audit.app.deployment.continue")).toEqual([
      { deployment_guid: guid, droplet_guid: sim.apps.web?.stagedDropletGuid },
    ]);
  });

  // CC app/repositories/deployment_event_repository.rb#record_cancel.
  it("records the deployment's droplet guid and the deployment guid for a cancel", async () => {
    const sim = await startSim();
    const guid = await pausedWebDeployment(sim);
    expect((await action(sim, "developer", guid, "cancel")).status).toBe(200);
    expect(await auditData(sim, "audit.app.deployment.cancel")).toEqual([
      { deployment_guid: guid, droplet_guid: sim.apps.web?.stagedDropletGuid },
    ]);
  });
});

describe("create: droplet and revision sources", () => {
  // CC deployments_controller.rb#create: no app here has revisions enabled.
  it("refuses a revision for an app without revisions enabled with 422", async () => {
    const sim = await startSim();
    const result = await createDeployment(sim, "developer", {
      relationships: { app: { data: { guid: appGuid(sim, "api") } } },
      revision: { guid: "some-revision" },
    });
    expectCfError(
      result,
      422,
      10008,
      "CF-UnprocessableEntity",
      "Cannot create deployment from a revision for an app without revisions enabled",
    );
  });

  // CC deployment_create.rb AppDropletSource.
  it("refuses an app without a current droplet (the seeded worker) when no droplet is given", async () => {
    const sim = await startSim();
    const result = await createDeployment(sim, "admin", {
      relationships: { app: { data: { guid: appGuid(sim, "worker") } } },
    });
    expectCfError(
      result,
      422,
      10008,
      "CF-UnprocessableEntity",
      "Invalid droplet. Please specify a droplet in the request or set a current droplet for the app.",
    );
  });
});

describe("X-VCAP-Request-ID", () => {
  // CC vcap_request_context_setter.rb: `presence` skips an empty X-VCAP-Request-ID.
  it("falls back to X-Request-ID when X-VCAP-Request-ID is empty", async () => {
    const sim = await startSim();
    const result = await call(sim, "GET", "/v3/info", {
      headers: { "X-VCAP-Request-ID": "", "X-Request-ID": "req-7" },
    });
    expect(result.headers.get("x-vcap-request-id")).toMatch(
      /^req-7::[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });
});
