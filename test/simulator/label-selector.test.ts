/**
 * label_selector on the deployments list (CC `app/messages/deployments_list_message.rb`): the one divergence the
 * conformance suite found, kept as a regression test now that the simulator implements it.
 */
import { describe, expect } from "vitest";
import { call, createDeploymentFor, it, pausedWebDeployment, tokenFor } from "../support/index.js";

describe("GET /v3/deployments?label_selector", () => {
  it("filters deployments by label_selector", async ({ sim }) => {
    const web = await pausedWebDeployment(sim);
    const worker = (await createDeploymentFor(sim, "worker")).guid;
    const admin = await tokenFor(sim, "admin");
    const patched = await call(sim, "PATCH", `/v3/deployments/${worker}`, {
      token: admin,
      body: { metadata: { labels: { env: "prod" } } },
    });
    expect(patched.status).toBe(200);
    const result = await call(sim, "GET", "/v3/deployments?label_selector=env%3Dprod", {
      token: admin,
    });
    expect(result.status).toBe(200);
    const guids = (result.json as { resources: Array<{ guid: string }> }).resources.map(
      (d) => d.guid,
    );
    expect(guids).toEqual([worker]);
    expect(guids).not.toContain(web);
  });
});
