/**
 * 401/403/404 variants across the deployment endpoints (CC `middleware/security_context_setter.rb`, `errors/v2.yml`).
 */
import { describe, expect } from "vitest";
import {
  call,
  expectCfError,
  invalidAuthToken,
  it,
  notAuthenticated,
  notFound,
  pausedWebDeployment,
  seededApp,
  send,
  tokenFor,
  webDeployment,
} from "../support/index.js";

const NOT_AUTHORIZED = "You are not authorized to perform the requested action";

describe("authentication and authorization variants", () => {
  for (const path of [
    "/v3/deployments",
    "/v3/apps",
    "/v3/organizations",
    "/v3/spaces",
    "/v3/audit_events",
  ]) {
    it(`answers GET ${path} without a token with 401 CF-NotAuthenticated`, async ({ sim }) => {
      expectCfError(await call(sim, "GET", path), notAuthenticated);
    });
  }

  it("answers GET /v3/deployments/:guid with a garbage token with 401 CF-InvalidAuthToken", async ({
    sim,
  }) => {
    expectCfError(
      await call(sim, "GET", `/v3/deployments/${webDeployment(sim)}`, { token: "a.b.c" }),
      invalidAuthToken,
    );
  });

  for (const role of ["admin", "developer", "supporter", "manager", "auditor", "reader"]) {
    it(`lets the ${role} read a deployment of the space`, async ({ sim }) => {
      const guid = await pausedWebDeployment(sim);
      const result = await call(sim, "GET", `/v3/deployments/${guid}`, {
        token: await tokenFor(sim, role),
      });
      expect(result.status, result.text).toBe(200);
      expect((result.json as { guid: string }).guid).toBe(guid);
    });
  }

  it("answers the outsider's GET of a deployment with 404 Deployment not found", async ({
    sim,
  }) => {
    const guid = await pausedWebDeployment(sim);
    expectCfError(
      await call(sim, "GET", `/v3/deployments/${guid}`, { token: await tokenFor(sim, "outsider") }),
      notFound("Deployment not found"),
    );
  });

  it("answers a PATCH by a token without cloud_controller.write with 403", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expectCfError(
      await call(sim, "PATCH", `/v3/deployments/${guid}`, {
        token: await tokenFor(sim, "reader"),
        body: { metadata: { labels: { a: "b" } } },
      }),
      403,
      10003,
      "CF-NotAuthorized",
      NOT_AUTHORIZED,
    );
  });

  for (const role of ["manager", "auditor"]) {
    it(`answers a PATCH by the ${role} (can read, cannot write) with 403 CF-NotAuthorized`, async ({
      sim,
    }) => {
      const guid = await pausedWebDeployment(sim);
      expectCfError(
        await call(sim, "PATCH", `/v3/deployments/${guid}`, {
          token: await tokenFor(sim, role),
          body: { metadata: { labels: { a: "b" } } },
        }),
        403,
        10003,
        "CF-NotAuthorized",
        NOT_AUTHORIZED,
      );
    });
  }

  it("answers a PATCH by the outsider with 404 Deployment not found", async ({ sim }) => {
    const guid = await pausedWebDeployment(sim);
    expectCfError(
      await call(sim, "PATCH", `/v3/deployments/${guid}`, {
        token: await tokenFor(sim, "outsider"),
        body: { metadata: { labels: { a: "b" } } },
      }),
      notFound("Deployment not found"),
    );
  });

  it("lets the reader (no write scope) still GET everything in its space", async ({ sim }) => {
    const token = await tokenFor(sim, "reader");
    for (const path of [
      "/v3/deployments",
      "/v3/apps",
      `/v3/processes/${seededApp(sim, "web")?.webProcessGuid}/stats`,
    ]) {
      expect((await call(sim, "GET", path, { token })).status, path).toBe(200);
    }
  });

  it("shows the outsider no apps, spaces or orgs", async ({ sim }) => {
    const token = await tokenFor(sim, "outsider");
    for (const path of ["/v3/apps", "/v3/spaces"]) {
      const result = await call(sim, "GET", path, { token });
      expect(result.status, path).toBe(200);
      expect((result.json as { resources: unknown[] }).resources, path).toEqual([]);
    }
  });

  it("answers requests without a bearer token with 401 10002", async ({ sim }) => {
    for (const authorization of [undefined, "Basic Y2Y6", "token abc"]) {
      const answer = await send(`${sim.url}/v3/deployments/${webDeployment(sim)}`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      expectCfError(answer, notAuthenticated);
    }
  });

  it("answers a bad bearer token (any case of bearer) with 401 1000", async ({ sim }) => {
    for (const authorization of ["bearer abc.def.ghi", "BEARER x", "Bearer"]) {
      const answer = await send(`${sim.url}/v3/deployments`, { headers: { authorization } });
      expectCfError(answer, invalidAuthToken);
    }
  });
});
