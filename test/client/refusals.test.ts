/**
 * A 403 or 404 on continue or cancel right after a successful read is a definite refusal: it is
 * not sent again, not read back, and the message says which role or scope is needed.
 */
import { describe, expect } from "vitest";
import type { DeploymentAction } from "../../src/client/index.js";
import { isCloudFoundryError } from "../../src/client/index.js";
import { test as clientTest } from "../support/client-fixture.js";
import { pausedWebDeployment } from "../support/index.js";

const ROLE =
  "the deployment could be read, so the user or client needs the Space Developer or Space Supporter role in the app's space (or admin)";

describe.for([
  {
    user: "auditor",
    status: 404,
    cc: "CF-ResourceNotFound (10010): Deployment not found",
    needs: ROLE,
  },
  {
    user: "manager",
    status: 404,
    cc: "CF-ResourceNotFound (10010): Deployment not found",
    needs: ROLE,
  },
  {
    user: "reader",
    status: 403,
    cc: "CF-NotAuthorized (10003): You are not authorized to perform the requested action",
    needs: "its token needs the cloud_controller.write scope",
  },
] as const)("an action by the seeded $user", ({ user, status, cc, needs }) => {
  const it = clientTest.override({ clientUser: user });

  it.for(["continue", "cancel"] as DeploymentAction[])(
    "refuses a %s definitely",
    async (action, { sim, client }) => {
      const guid = await pausedWebDeployment(sim);
      const expected = await client.getDeployment(guid);
      await sim.control.clearRequests();
      const call = action === "continue" ? client.continueDeployment : client.cancelDeployment;
      const error = await call(guid, { expected }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const path = `/v3/deployments/${guid}/actions/${action}`;
      expect(isCloudFoundryError(error, "CF_API_ERROR")).toBe(true);
      expect(error).toMatchObject({
        status,
        message: `POST ${path} → ${status} ${cc}; the ${action} was refused and did not take effect: ${needs}.`,
      });
      expect(
        (await sim.control.requests()).map((r) => `${r.method} ${r.path} ${r.status}`),
      ).toEqual([`POST ${path} ${status}`]);
      expect(await sim.control.auditEvents({ types: [`audit.app.deployment.${action}`] })).toEqual(
        [],
      );
    },
  );
});
