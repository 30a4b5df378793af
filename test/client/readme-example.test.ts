import { describe, expect } from "vitest";
// The README imports from "cf-deployment-promotion/client"; this is the same module.
import { createCloudFoundryClient, isCloudFoundryError } from "../../src/client/index.js";
import { it } from "../support/index.js";

describe("the README example", () => {
  it("finds the web app's paused canary and continues it once", async ({ sim }) => {
    await sim.control.tick();
    const apiUrl = sim.url;
    const password = sim.users["developer"]?.password ?? "";
    const lines: string[] = [];
    const log = (...parts: unknown[]) => lines.push(parts.map(String).join(" "));

    // --- README example, verbatim but for apiUrl, the password and console.log ---
    const cf = createCloudFoundryClient({
      apiUrl,
      credentials: { kind: "password", username: "developer", password },
    });
    try {
      const org = await cf.findOrganizationByName("demo-org");
      const space = org && (await cf.findSpaceByName(org.guid, "demo-space"));
      const app = space && (await cf.findAppByName(space.guid, "web"));
      const deployment = app && (await cf.getActiveDeployment(app.guid));
      if (deployment?.status.reason === "PAUSED") {
        const outcome = await cf.continueDeployment(deployment.guid, { expected: deployment });
        log("applied:", outcome.applied, "step:", outcome.deployment.status.canary?.steps.current);
      }
    } catch (error) {
      if (isCloudFoundryError(error, "CF_AUTH_ERROR")) log(error.message);
      else throw error;
    } finally {
      await cf.close();
    }
    // --- end of the README example ---

    expect(lines).toEqual(["applied: true step: 2"]);
    expect(
      await sim.control.auditEvents({ types: ["audit.app.deployment.continue"] }),
    ).toHaveLength(1);
  });
});
