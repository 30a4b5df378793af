import { describe, expect } from "vitest";
import { createCloudFoundryClient } from "../../src/client/index.js";
import { it, realTime, seededUser, test } from "./index.js";

describe("the simulator fixture", () => {
  it("runs sim on the fake clock with manual ticks", async ({ sim, time, webDeployment }) => {
    const before = await sim.control.auditEvents();
    time.advance(60_000);
    const answer = await fetch(`${sim.url}/v3/info`);
    expect(answer.status).toBe(200);
    expect(before).toEqual([]);
    expect(webDeployment).toBe(sim.deployments["web"]);
  });

  it("binds tokenFor, asUser and requestLines to sim", async ({
    sim,
    asUser,
    tokenFor,
    requestLines,
    webDeployment,
  }) => {
    const api = await asUser("developer");
    expect(await tokenFor("developer")).toEqual(expect.any(String));
    expect((await api("GET", `/v3/deployments/${webDeployment}`)).status).toBe(200);
    expect(await requestLines()).toEqual([
      "POST /uaa/oauth/token 200",
      `GET /v3/deployments/${webDeployment} 200`,
    ]);
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  let closed: { url: string } | undefined;
  it("closes every simulator startSim started when the test ends", async ({ startSim }) => {
    closed = await startSim({ seed: "empty" });
    expect(Object.keys(closed)).toContain("url");
  });
  it("(the simulator of the previous test is closed)", async () => {
    await expect(fetch(`${closed?.url}/v3/info`)).rejects.toThrow();
  });

  describe("with simOptions overridden for a describe", () => {
    test.override({ simOptions: { seed: "empty" } });
    it("starts sim with those options", async ({ sim }) => {
      expect(sim.deployments).toEqual({});
    });
  });

  describe("on real time", () => {
    test.override({ time: realTime() });
    it("records real sleeps", async ({ time }) => {
      const started = Date.now();
      await time.sleep(20);
      expect(Date.now() - started).toBeGreaterThanOrEqual(15);
      expect(time.sleeps).toEqual([20]);
    });
  });
});

// How the client tests extend the fixture: a client on the same simulator and fake clock.
const clientTest = test.extend("client", ({ sim, time }, { onCleanup }) => {
  const developer = seededUser(sim, "developer");
  const client = createCloudFoundryClient({
    apiUrl: sim.url,
    credentials: { kind: "password", username: developer.username, password: developer.password },
    now: time.now,
    sleep: time.sleep,
  });
  onCleanup(() => client.close());
  return client;
});

describe("an extension of the fixture", () => {
  clientTest("shares sim and time with what it adds", async ({ client, webDeployment }) => {
    const deployment = await client.getDeployment(webDeployment);
    expect(deployment.guid).toBe(webDeployment);
  });
});
