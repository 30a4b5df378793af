/**
 * `GET /`, `GET /v3`, `GET /v3/info` (CC `root_controller.rb`, `info_controller.rb`) and seed determinism.
 */
import { describe, expect } from "vitest";
import { call, it, seededApp, send, statusOf, webDeployment } from "../support/index.js";

describe("root documents", () => {
  it("serves GET / unauthenticated with the links the cf CLI reads", async ({ sim }) => {
    const result = await call(sim, "GET", "/");
    expect(result.status).toBe(200);
    const links = (result.json as { links: Record<string, unknown> }).links;
    expect(links).toEqual(
      expect.objectContaining({
        self: { href: sim.url },
        cloud_controller_v3: {
          href: `${sim.url}/v3`,
          meta: expect.objectContaining({ version: "3.201.0" }),
        },
        login: { href: sim.uaaUrl },
        uaa: { href: sim.uaaUrl },
      }),
    );
    for (const name of [
      "network_policy_v0",
      "network_policy_v1",
      "credhub",
      "routing",
      "logging",
      "log_cache",
      "log_stream",
      "app_ssh",
    ]) {
      expect(Object.keys(links), name).toContain(name);
    }
  });

  it("advertises a v3 version that supports canary steps (≥ 3.189.0)", async ({ sim }) => {
    const root = await call(sim, "GET", "/");
    const version = (root.json as { links: { cloud_controller_v3: { meta: { version: string } } } })
      .links.cloud_controller_v3.meta.version;
    const [major = 0, minor = 0] = version.split(".").map(Number);
    expect(major).toBe(3);
    expect(minor).toBeGreaterThanOrEqual(189);
  });

  it("serves GET /v3 unauthenticated with links to deployments, apps, processes and info", async ({
    sim,
  }) => {
    const result = await call(sim, "GET", "/v3");
    expect(result.status).toBe(200);
    const links = (result.json as { links: Record<string, { href: string }> }).links;
    expect(links).toEqual(
      expect.objectContaining({
        self: { href: `${sim.url}/v3` },
        deployments: { href: `${sim.url}/v3/deployments` },
        apps: { href: `${sim.url}/v3/apps` },
        processes: { href: `${sim.url}/v3/processes` },
        info: { href: `${sim.url}/v3/info` },
        audit_events: { href: `${sim.url}/v3/audit_events` },
      }),
    );
  });

  it("serves GET /v3/info unauthenticated with the info presenter's fields and no UAA link", async ({
    sim,
  }) => {
    const result = await call(sim, "GET", "/v3/info");
    expect(result.status).toBe(200);
    const info = result.json as { cli_version: unknown; rate_limits: unknown; links: unknown };
    expect(Object.keys(info).sort()).toEqual(
      [
        "build",
        "cli_version",
        "custom",
        "description",
        "links",
        "name",
        "osbapi_version",
        "rate_limits",
        "version",
      ].sort(),
    );
    expect(info.cli_version).toEqual({
      minimum: expect.anything(),
      recommended: expect.anything(),
    });
    expect(info.rate_limits).toEqual({
      enabled: false,
      general_limit: expect.any(Number),
      reset_interval_in_minutes: expect.any(Number),
    });
    expect(info.links).toEqual({
      self: { href: `${sim.url}/v3/info` },
      support: { href: "" },
    });
  });

  it.for<[number, number, number]>([
    [50, 600, 10],
    [10, 120, 2],
  ])(
    "advertises an enabled rate limiter in /v3/info: %i per %i s is %i minutes",
    async ([limit, windowSeconds, minutes], { startSim }) => {
      const sim = await startSim({ rateLimit: { limit, windowSeconds } });
      const result = await call(sim, "GET", "/v3/info");
      expect((result.json as { rate_limits: unknown }).rate_limits).toEqual({
        enabled: true,
        general_limit: limit,
        reset_interval_in_minutes: minutes,
      });
    },
  );

  it("hands out the same GUIDs from two fresh simulators", async ({ startSim }) => {
    const one = await startSim();
    const two = await startSim();
    const pick = (sim: typeof one) => ({
      org: sim.org,
      space: sim.space,
      apps: sim.apps,
      deployments: sim.deployments,
    });
    expect(pick(two)).toEqual(pick(one));
  });

  it("seeds web as a canary that is PREPAUSED before the first tick and PAUSED after it", async ({
    sim,
  }) => {
    const guid = webDeployment(sim) ?? "";
    expect(await statusOf(sim, guid)).toBe("ACTIVE/DEPLOYING");
    await sim.control.tick();
    expect(await statusOf(sim, guid)).toBe("ACTIVE/PAUSED");
  });

  it("seeds demo-org, demo-space and the apps web, api and worker", async ({ sim }) => {
    expect(sim.org.name).toBe("demo-org");
    expect(sim.space.name).toBe("demo-space");
    expect(Object.keys(sim.apps).sort()).toEqual(["api", "web", "worker"]);
    expect(seededApp(sim, "api")?.stagedDropletGuid).toEqual(expect.any(String));
    expect(seededApp(sim, "worker")?.stagedDropletGuid).toEqual(expect.any(String));
    expect(Object.keys(sim.users).sort()).toEqual(
      expect.arrayContaining([
        "admin",
        "auditor",
        "developer",
        "manager",
        "outsider",
        "reader",
        "supporter",
      ]),
    );
  });

  it("starts with no deployments under the empty seed", async ({ startSim }) => {
    const sim = await startSim({ seed: "empty" });
    expect(sim.deployments).toEqual({});
  });

  it("serves the legacy /v2/info with the UAA endpoints", async ({ sim }) => {
    const answer = await send(`${sim.url}/v2/info`);
    expect(answer.body).toMatchObject({
      authorization_endpoint: sim.uaaUrl,
      token_endpoint: sim.uaaUrl,
    });
  });
});
