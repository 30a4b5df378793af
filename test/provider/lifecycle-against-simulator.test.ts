import { afterEach, describe, expect, it } from "vitest";
import { diffPromotion } from "../../src/provider/diff-promotion.js";
import {
  createPromotion,
  readPromotion,
  updatePromotion,
} from "../../src/provider/promotion-lifecycle.js";
import { createProviderRuntime } from "../../src/provider/provider-runtime.js";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { webDeployment } from "./host-helpers.js";

const running: SimulatorHandle[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

async function setup() {
  const sim = await startSimulator({ tickMs: 20 });
  running.push(sim);
  const { developer } = sim.users;
  if (developer === undefined) throw new Error("no developer in the seed");
  const lines: string[] = [];
  const runtime = createProviderRuntime(
    { apiUrl: sim.url, user: developer.username, password: developer.password },
    { env: {}, fileExists: () => false, print: (line) => lines.push(line) },
  );
  const fast = { pollIntervalSeconds: 0.05, __provider: "p" };
  const web = { appName: "web", spaceName: sim.space.name, orgName: sim.org.name, ...fast };
  return { sim, runtime, lines, web, password: developer.password };
}

describe("the provider logic against the simulator over HTTP (no provider host)", () => {
  it("promotes web's canary to step 2, then all the way, each continue once", async () => {
    const { sim, runtime, web, lines, password } = await setup();
    const created = await createPromotion(runtime, { ...web, toStep: 2 });
    expect(created.outs).toMatchObject({
      deploymentGuid: webDeployment(sim),
      statusValue: "ACTIVE",
      statusReason: "PAUSED",
      canaryStep: { current: 2, total: 3 },
      continues: [{ fromStep: 1, toStep: 2 }],
    });
    const diff = await diffPromotion(runtime, created.id, created.outs, { ...web });
    expect(diff).toEqual({ changes: true, replaces: [] });
    const updated = await updatePromotion(runtime, created.id, created.outs, { ...web });
    expect(updated.outs).toMatchObject({
      statusValue: "FINALIZED",
      statusReason: "DEPLOYED",
      continues: [
        { fromStep: 1, toStep: 2 },
        { fromStep: 2, toStep: 3 },
        { fromStep: 3, toStep: "deployed" },
      ],
    });
    const posts = (await sim.control.requests()).filter(
      (r) => r.method === "POST" && r.path.startsWith("/v3"),
    );
    expect(posts.map((r) => r.path)).toEqual([
      `/v3/deployments/${created.id}/actions/continue`,
      `/v3/deployments/${created.id}/actions/continue`,
      `/v3/deployments/${created.id}/actions/continue`,
    ]);
    const events = await sim.control.auditEvents({ types: ["audit.app.deployment.continue"] });
    expect(events).toHaveLength(3);
    const read = await readPromotion(runtime, created.id, { ...updated.outs, __provider: "p" });
    expect(read.props).toEqual({ ...updated.outs, __provider: "p" });
    expect(lines.join("\n")).not.toContain(password);
  });
});
