import { describe, expect, vi } from "vitest";
import { startSimulator } from "../../src/simulator/index.js";
import {
  asUser,
  badQuery,
  expectCfError,
  it,
  messageParse,
  notAuthorized,
  send,
  unknownRequest,
  webDeployment,
} from "../support/index.js";

describe("simulator server core", () => {
  it("treats a known path with an unrouted method as an unknown request", async ({ sim }) => {
    const answer = await send(`${sim.url}/v3/info`, { method: "DELETE" });
    expectCfError(answer, unknownRequest);
  });

  it("answers invalid JSON with 400 CF-MessageParseError", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const answer = await api(
      "POST",
      `/v3/deployments/${webDeployment(sim)}/actions/continue`,
      "{nope",
    );
    expectCfError(answer, messageParse("Request invalid due to parse error: invalid request body"));
  });

  it("answers an unknown list parameter with 400 CF-BadQueryParameter naming the valid ones", async ({
    sim,
  }) => {
    const api = await asUser(sim, "developer");
    const answer = await api("GET", "/v3/deployments?potato=1");
    expectCfError(
      answer,
      badQuery(
        "The query parameter is invalid: Unknown query parameter(s): 'potato'. Valid parameters are: 'page', 'per_page', 'order_by', 'created_ats', 'updated_ats', 'guids', 'app_guids', 'states', 'status_reasons', 'status_values', 'label_selector'",
      ),
    );
  });

  it("refuses a body over 1 MiB with a 413 envelope", async ({ sim }) => {
    const api = await asUser(sim, "developer");
    const answer = await api("POST", "/v3/deployments", "x".repeat(1024 * 1024 + 1));
    expectCfError(
      answer,
      413,
      1001,
      "CF-MessageParseError",
      "Request invalid due to parse error: request body is larger than 1048576 bytes",
    );
  });
});

describe("connections", () => {
  it("keeps an idle connection longer than a 5 s poll, and numbers connections in the request log", async ({
    sim,
  }) => {
    const { Agent, request } = await import("undici");
    const first = new Agent();
    const second = new Agent();
    const get = async (path: string, dispatcher: InstanceType<typeof Agent>) => {
      const answer = await request(`${sim.url}${path}`, { dispatcher });
      await answer.body.text();
      // undici returns the socket to its pool a moment after the body ends.
      await new Promise((resolve) => setTimeout(resolve, 20));
      return answer.headers["keep-alive"];
    };
    try {
      expect(await get("/", first)).toBe("timeout=90");
      await get("/v3/info", second);
      // Node's own default would close it after 5 s idle; a poller comes back after 5 s.
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      await get("/v3/info", first);
      const log = await sim.control.requests();
      expect(log.map((entry) => `${entry.path} ${entry.connection}`)).toEqual([
        "/ 1",
        "/v3/info 2",
        "/v3/info 1",
      ]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe("the Date header", () => {
  it("is the simulator's own clock, as a Cloud Controller's Date and its timestamps share one", async ({
    sim,
    time,
  }) => {
    time.advance(90_000);
    const answer = await send(`${sim.url}/v3/info`);
    expect(answer.headers.get("date")).toBe(new Date(time.now()).toUTCString());
  });
});

describe("robustness", () => {
  it("turns an unexpected error into 500 UnknownError 10001, logs it, and keeps serving", async ({
    startSim,
  }) => {
    let broken = false;
    const sim = await startSim({
      now: () => {
        if (broken) throw new Error("the clock broke");
        return Date.now();
      },
    });
    const api = await asUser(sim, "developer");
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    broken = true;
    const answer = await api("GET", "/v3/deployments");
    broken = false;
    spy.mockRestore();
    expectCfError(answer, 500, 10001, "UnknownError", "An unknown error occurred.");
    expect(written.join("")).toContain("the clock broke");
    expect((await api("GET", "/v3/deployments")).status).toBe(200);
  });

  it("never reads a host out of a request target that starts with //", async ({ sim }) => {
    const answer = await send(`${sim.url}//evil.example/v3/info`);
    expectCfError(answer, unknownRequest);
  });

  it("refuses /_sim/ requests from a non-loopback peer", async ({ startSim }) => {
    const { networkInterfaces } = await import("node:os");
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i?.family === "IPv4" && !i.internal)?.address;
    if (external === undefined) return; // no non-loopback interface on this machine
    const sim = await startSim({ host: "0.0.0.0" });
    const port = new URL(sim.url).port;
    const answer = await send(`http://${external}:${port}/_sim/requests`);
    expectCfError(answer, notAuthorized);
  });
});

describe("options", () => {
  it("refuses bad options with one TypeError that names every problem", async () => {
    await expect(
      startSimulator({ port: -1, tickMs: -5, rateLimit: { limit: 0, windowSeconds: 60 } }),
    ).rejects.toThrow(
      new TypeError(
        "startSimulator: port must be 0..65535, got -1; tickMs must be ≥ 0 (0 = manual), got -5; rateLimit.limit must be a positive integer, got 0",
      ),
    );
  });

  it("names a single problem alone, and a bad seed alongside the others", async () => {
    await expect(startSimulator({ tokenTtlSeconds: 1.5 })).rejects.toThrow(
      new TypeError("startSimulator: tokenTtlSeconds must be a positive integer, got 1.5"),
    );
    await expect(startSimulator({ port: 70000, seed: { orgs: [{ name: "" }] } })).rejects.toThrow(
      /^startSimulator: port must be 0\.\.65535, got 70000; invalid seed: orgs\.0\.name: /,
    );
  });
});
