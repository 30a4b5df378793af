/**
 * label_selector on the deployments list (CC `app/messages/deployments_list_message.rb`,
 * `app/messages/validators/label_selector_requirement_validator.rb`): filtering, and the texts of
 * CC's validation.
 */
import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { createDeploymentFor, pausedWebDeployment } from "../support/deployments.js";
import { call, cfError, it, tokenFor } from "../support/index.js";

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

const badQuery = (detail: string) =>
  cfError(10005, "CF-BadQueryParameter", `The query parameter is invalid: ${detail}`);
const DEPLOYMENT_KEYS =
  "'page', 'per_page', 'order_by', 'created_ats', 'updated_ats', 'guids', 'app_guids', 'states', 'status_reasons', 'status_values', 'label_selector'";

async function listAnswer(sim: SimulatorHandle, path: string) {
  return call(sim, "GET", path, { token: await tokenFor(sim, "admin") });
}

describe("label_selector validation (CC LabelSelectorRequirementValidator)", () => {
  const fifty = Array.from({ length: 51 }, (_, i) => `k${i}`).join(",");
  it.for<[string, string]>([
    ["", "Missing label_selector value"],
    [",", "Missing label_selector value"],
    [fifty, "Too many label_selector requirements (maximum is 50)"],
    ["env = prod", "Invalid label_selector value"],
    ["env=prod,=x", "Invalid label_selector value"],
    ["a/b/c", "key has more than one '/'"],
    ["cloudfoundry.org/env=prod", "prefix 'cloudfoundry.org' is reserved"],
    ["-bad.example/env", "prefix '-bad.example' must be in valid dns format"],
    ["example.com/", "key cannot be empty string"],
    ["env in (a,-b)", "'-b' starts or ends with invalid characters"],
    ["my key in (a)", "'my key' contains invalid characters"],
    ["env in (a, b)", "' b' contains invalid characters"],
    [`env=${"v".repeat(64)}`, "'vvvvvvvv...' is greater than 63 characters"],
    [
      "-env,x=y z",
      "'-env' starts or ends with invalid characters, 'y z' contains invalid characters",
    ],
  ])("answers label_selector=%j with 400 10005 %j", async ([selector, detail], { sim }) => {
    const answer = await listAnswer(
      sim,
      `/v3/deployments?label_selector=${encodeURIComponent(selector)}`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(badQuery(detail));
  });

  it("reports label_selector after the pagination errors and before unknown parameters", async ({
    sim,
  }) => {
    const answer = await listAnswer(sim, "/v3/deployments?foo=1&label_selector=&per_page=0");
    expect(answer.body).toEqual(
      badQuery(
        `Per page must be a positive integer, Missing label_selector value, Unknown query parameter(s): 'foo'. Valid parameters are: ${DEPLOYMENT_KEYS}`,
      ),
    );
  });

  it("filters by a prefixed key and by key==value", async ({ sim }) => {
    const worker = (await createDeploymentFor(sim, "worker")).guid;
    const admin = await tokenFor(sim, "admin");
    const patched = await call(sim, "PATCH", `/v3/deployments/${worker}`, {
      token: admin,
      body: { metadata: { labels: { "example.com/env": "prod" } } },
    });
    expect(patched.status, patched.text).toBe(200);
    for (const selector of ["example.com/env==prod", "example.com/env in (prod,qa)"]) {
      const answer = await listAnswer(
        sim,
        `/v3/deployments?label_selector=${encodeURIComponent(selector)}`,
      );
      expect(answer.status, answer.text).toBe(200);
      const found = (answer.json as { resources: Array<{ guid: string }> }).resources;
      expect(found.map((d) => d.guid)).toEqual([worker]);
    }
  });

  it("refuses label_selector on audit events, which take no labels", async ({ sim }) => {
    const answer = await listAnswer(sim, "/v3/audit_events?label_selector=env");
    expect(answer.body).toEqual(
      badQuery(
        "Unknown query parameter(s): 'label_selector'. Valid parameters are: 'page', 'per_page', 'order_by', 'created_ats', 'updated_ats', 'guids', 'types', 'target_guids', 'space_guids', 'organization_guids'",
      ),
    );
  });
});
