/**
 * Error envelopes for unknown routes, unknown guids, bad JSON and bad queries (CC `errors/v2.yml`, `app/presenters/v3_error_hasher.rb`).
 */
import { describe, expect } from "vitest";
import {
  asUser,
  badQuery,
  call,
  expectCfError,
  expectCfErrorPrefix,
  it,
  messageParse,
  notFound,
  send,
  tokenFor,
  unknownRequest,
  webDeployment,
} from "../support/index.js";

describe("error envelopes", () => {
  it("answers an unknown route with 404 CF-NotFound 'Unknown request'", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/potatoes", { token: await tokenFor(sim, "admin") });
    expectCfError(result, unknownRequest);
    expect(result.headers.get("content-type")).toBe("application/json; charset=utf-8");
  });

  it("answers an unknown route without a token with 404 CF-NotFound too", async ({ sim }) => {
    const answer = await send(`${sim.url}/v3/nothing-here`);
    expectCfError(answer, unknownRequest);
    expect(answer.headers.get("content-type")).toBe("application/json; charset=utf-8");
  });

  it("answers an unknown action with 404 CF-NotFound", async ({ sim }) => {
    const result = await call(
      sim,
      "POST",
      `/v3/deployments/${webDeployment(sim)}/actions/explode`,
      { token: await tokenFor(sim, "admin") },
    );
    expectCfError(result, unknownRequest);
  });

  it("answers an unknown app guid with 404 App not found", async ({ sim }) => {
    expectCfError(
      await call(sim, "GET", "/v3/apps/no-such-guid", { token: await tokenFor(sim, "admin") }),
      notFound("App not found"),
    );
  });

  it("answers an unknown process guid's stats with 404 Process not found", async ({ sim }) => {
    expectCfError(
      await call(sim, "GET", "/v3/processes/no-such-guid/stats", {
        token: await tokenFor(sim, "admin"),
      }),
      notFound("Process not found"),
    );
  });

  it("answers a malformed JSON body on PATCH with 400 CF-MessageParseError", async ({ sim }) => {
    const result = await call(sim, "PATCH", `/v3/deployments/${webDeployment(sim)}`, {
      token: await tokenFor(sim, "admin"),
      rawBody: "{",
    });
    expectCfError(result, messageParse("Request invalid due to parse error: invalid request body"));
  });

  it("answers a malformed JSON body on continue with 400 CF-MessageParseError", async ({ sim }) => {
    await sim.control.tick();
    const result = await call(
      sim,
      "POST",
      `/v3/deployments/${webDeployment(sim)}/actions/continue`,
      { token: await tokenFor(sim, "admin"), rawBody: "{oops" },
    );
    expectCfErrorPrefix(result, messageParse("Request invalid due to parse error"));
  });

  it("answers a bad query on /v3/apps with 400 CF-BadQueryParameter", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/apps?bogus=1", {
      token: await tokenFor(sim, "admin"),
    });
    expectCfErrorPrefix(
      result,
      badQuery("The query parameter is invalid: Unknown query parameter(s): 'bogus'"),
    );
  });

  it("keeps serving after garbage requests", async ({ sim }) => {
    const token = await tokenFor(sim, "admin");
    await call(sim, "POST", "/v3/deployments", { token, rawBody: "\u0000\u0001" });
    await call(sim, "POST", "/v3/deployments", { token, rawBody: "[]" });
    await call(sim, "POST", "/v3/deployments", { token, rawBody: "null" });
    await call(sim, "GET", "/v3/deployments?%zz=1", { token });
    const ok = await call(sim, "GET", "/v3/deployments", { token });
    expect(ok.status).toBe(200);
  });

  it("answers a non-object JSON body on create with a CF error envelope, not a crash", async ({
    sim,
  }) => {
    const result = await call(sim, "POST", "/v3/deployments", {
      token: await tokenFor(sim, "admin"),
      rawBody: "[]",
    });
    expect([400, 422]).toContain(result.status);
    const body = result.json as { errors: Array<{ code: number; title: string; detail: string }> };
    expect(body.errors[0]).toEqual({
      code: expect.any(Number),
      title: expect.stringMatching(/^CF-/),
      detail: expect.any(String),
    });
  });

  it("answers an unknown deployment GUID with 404 Deployment not found", async ({ sim }) => {
    expectCfError(
      await call(sim, "GET", "/v3/deployments/no-such-guid", {
        token: await tokenFor(sim, "admin"),
      }),
      notFound("Deployment not found"),
    );
    const api = await asUser(sim, "developer");
    for (const path of ["", "/actions/continue", "/actions/cancel"]) {
      const answer = await api(path === "" ? "GET" : "POST", `/v3/deployments/nope${path}`);
      expectCfError(answer, notFound("Deployment not found"));
    }
  });
});

describe("error envelopes: methods and bodies", () => {
  it("answers DELETE /v3/deployments/:guid (no such route) with 404 CF-NotFound", async ({
    sim,
  }) => {
    expectCfError(
      await call(sim, "DELETE", `/v3/deployments/${webDeployment(sim)}`, {
        token: await tokenFor(sim, "admin"),
      }),
      unknownRequest,
    );
  });

  it("accepts a continue with a JSON content type and an empty body", async ({ sim }) => {
    await sim.control.tick();
    const result = await call(
      sim,
      "POST",
      `/v3/deployments/${webDeployment(sim)}/actions/continue`,
      { token: await tokenFor(sim, "developer"), rawBody: "" },
    );
    expect(result.status, result.text).toBe(200);
  });

  it("sends no X-Cf-Warnings from the deployments endpoints", async ({ sim }) => {
    const result = await call(sim, "GET", "/v3/deployments", {
      token: await tokenFor(sim, "admin"),
    });
    expect(result.headers.get("x-cf-warnings")).toBeNull();
  });
});
