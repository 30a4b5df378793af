import { describe, expect } from "vitest";
import {
  asUser,
  expectCfError,
  it,
  seededApp,
  send,
  unprocessable,
  webDeployment,
} from "../support/index.js";

describe("control API", () => {
  it("logs API and UAA requests but never /_sim/ ones, and clears the log", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    await api("GET", "/v3/deployments?states=PAUSED");
    await send(`${sim.url}/v3/nothing`);
    const log = await sim.control.requests();
    expect(log.map(({ time: _, connection: __, ...rest }) => rest)).toEqual([
      { method: "POST", path: "/uaa/oauth/token", query: {}, status: 200 },
      { method: "GET", path: "/v3/deployments", query: { states: "PAUSED" }, status: 200 },
      { method: "GET", path: "/v3/nothing", query: {}, status: 404 },
    ]);
    expect(log[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(log.every((entry) => Number.isInteger(entry.connection) && entry.connection > 0)).toBe(
      true,
    );
    await sim.control.clearRequests();
    expect(await sim.control.requests()).toEqual([]);
  });

  it("injects a status fault with body and headers the given number of times", async ({ sim }) => {
    await sim.control.addFault({
      method: "GET",
      path: "/v3/*",
      status: 503,
      body: { errors: [{ code: 10015, title: "CF-ServiceUnavailable", detail: "down" }] },
      headers: { "Retry-After": "3" },
      times: 2,
    });
    for (let i = 0; i < 2; i += 1) {
      const answer = await send(`${sim.url}/v3/info`);
      expect(answer.status).toBe(503);
      expect(answer.headers.get("retry-after")).toBe("3");
      expect(answer.headers.get("x-vcap-request-id")).toBeTruthy();
      expect(answer.body).toEqual({
        errors: [{ code: 10015, title: "CF-ServiceUnavailable", detail: "down" }],
      });
    }
    expect((await send(`${sim.url}/v3/info`)).status).toBe(200);
    expect((await sim.control.requests()).map((e) => e.status)).toEqual([503, 503, 200]);
  });

  it("sends a string fault body verbatim", async ({ sim }) => {
    await sim.control.addFault({ path: "/v3/info", status: 502, body: "<html>bad gateway</html>" });
    const answer = await send(`${sim.url}/v3/info`);
    expect(answer.status).toBe(502);
    expect(answer.text).toBe("<html>bad gateway</html>");
  });

  it("resets the connection before handling: no state change, logged with status 0", async ({
    sim,
  }) => {
    const api = await asUser(sim, "developer");
    const { web: guid } = sim.deployments;
    await sim.control.tick();
    await sim.control.addFault({ path: "/v3/deployments/*/actions/continue", reset: "before" });
    await expect(api("POST", `/v3/deployments/${guid}/actions/continue`)).rejects.toThrow();
    const after = (await api("GET", `/v3/deployments/${guid}`)).body as {
      status: { reason: string };
    };
    expect(after.status.reason).toBe("PAUSED");
    const log = await sim.control.requests();
    expect(log.find((e) => e.path.endsWith("/continue"))?.status).toBe(0);
  });

  it("resets the connection after handling: the state changed, the caller got no answer", async ({
    sim,
  }) => {
    const api = await asUser(sim, "developer");
    const { web: guid } = sim.deployments;
    await sim.control.tick();
    await sim.control.addFault({
      method: "POST",
      path: "/v3/deployments/*/actions/continue",
      reset: "after",
    });
    await expect(api("POST", `/v3/deployments/${guid}/actions/continue`)).rejects.toThrow();
    const after = (await api("GET", `/v3/deployments/${guid}`)).body as {
      status: { reason: string; canary: { steps: { current: number } } };
    };
    expect(after.status.reason).toBe("DEPLOYING");
    expect(after.status.canary.steps.current).toBe(2);
  });

  it("delays a response by delayMs", async ({ sim }) => {
    await sim.control.addFault({ path: "/v3/info", delayMs: 150 });
    const started = Date.now();
    const answer = await send(`${sim.url}/v3/info`);
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("faults UAA routes too, and clearFaults removes every rule", async ({ sim }) => {
    await sim.control.addFault({ path: "/uaa/oauth/token", status: 500, times: 5 });
    const failed = await send(`${sim.uaaUrl}/oauth/token`, { method: "POST" });
    expect(failed.status).toBe(500);
    await sim.control.clearFaults();
    const answer = await send(`${sim.uaaUrl}/oauth/token`, { method: "POST" });
    expect(answer.status).toBe(400);
  });

  it("rejects a malformed fault rule with 422", async ({ sim }) => {
    const answer = await send(`${sim.url}/_sim/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: "/v3/info", status: 503, reset: "before" }),
    });
    expectCfError(answer, unprocessable("status and reset cannot be combined"));
  });

  it("answers POST /_sim/tick with the ticks it ran and the deployments whose status moved", async ({
    sim,
  }) => {
    const tick = (count: number) =>
      send(`${sim.url}/_sim/tick`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ count }),
      });
    const first = await tick(3);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      ticks: 3,
      deployments: [
        { guid: webDeployment(sim), app: "web", from: "ACTIVE/DEPLOYING", to: "ACTIVE/PAUSED" },
      ],
    });
    // Not a running total: the next call counts only its own tick, and nothing moved.
    expect((await tick(1)).body).toEqual({ ticks: 1, deployments: [] });
    expect(await sim.control.tick(2)).toEqual({ ticks: 2, deployments: [] });
  });

  it("serves the start-up document at GET /_sim/info", async ({ sim }) => {
    const answer = await send(`${sim.url}/_sim/info`);
    const { close: _c, control: _k, ...info } = sim;
    expect(answer.body).toEqual(info);
  });

  it("sets instance states and 404s an unknown process or index", async ({ sim }) => {
    const web = seededApp(sim, "web").webProcessGuid;
    await sim.control.setInstanceState(web, 3, "CRASHED");
    await expect(sim.control.setInstanceState(web, 4, "CRASHED")).rejects.toThrow(
      /404.*Instance not found/,
    );
    await expect(sim.control.setInstanceState("nope", 0, "DOWN")).rejects.toThrow(
      /404.*Process not found/,
    );
  });
});

describe("updater timer", () => {
  it("ticks on its own every tickMs and stops when closed", async ({ startSim }) => {
    const sim = await startSim({ tickMs: 10 });
    const api = await asUser(sim, "developer");
    let reason = "";
    for (let i = 0; i < 200 && reason !== "PAUSED"; i += 1) {
      const answer = await api("GET", `/v3/deployments/${webDeployment(sim)}`);
      reason = (answer.body as { status: { reason: string } }).status.reason;
      if (reason !== "PAUSED") await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(reason).toBe("PAUSED");
    await sim.close();
    await expect(send(`${sim.url}/v3/info`)).rejects.toThrow();
  });
});
