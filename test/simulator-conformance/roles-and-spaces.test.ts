/**
 * Roles outside the default seed (org roles, admin_read_only, global_auditor) and the writable
 * org/space checks of reference §3.1 step 5, through a seed description.
 */
import { describe, expect } from "vitest";
import type { SeedDescription, SeedRole, SimulatorHandle } from "../../src/simulator/index.js";
import {
  action,
  call,
  expectCfError,
  getDeployment,
  it,
  type StartSim,
  tickUntil,
  tokenFor,
} from "../support/index.js";

const W = ["openid", "cloud_controller.read", "cloud_controller.write"];

function dev(org: string, space: string): SeedRole {
  return { type: "space_developer", org, space };
}

const SEED: SeedDescription = {
  users: [
    { username: "admin", scopes: ["openid", "cloud_controller.admin"] },
    {
      username: "dev",
      scopes: W,
      roles: [
        dev("o", "s"),
        dev("o", "sus"),
        dev("o", "del"),
        dev("so", "s"),
        dev("do", "s"),
        dev("do", "del"),
        dev("both", "s"),
      ],
    },
    { username: "orgmanager", scopes: W, roles: [{ type: "organization_manager", org: "o" }] },
    { username: "orgauditor", scopes: W, roles: [{ type: "organization_auditor", org: "o" }] },
    {
      username: "billing",
      scopes: W,
      roles: [{ type: "organization_billing_manager", org: "o" }],
    },
    { username: "orguser", scopes: W, roles: [{ type: "organization_user", org: "o" }] },
    { username: "readonlyadmin", scopes: ["openid", "cloud_controller.admin_read_only"] },
    {
      username: "readonlyadminw",
      scopes: ["openid", "cloud_controller.admin_read_only", "cloud_controller.write"],
    },
    {
      username: "globalauditorw",
      scopes: ["openid", "cloud_controller.global_auditor", "cloud_controller.write"],
    },
  ],
  orgs: [
    {
      name: "o",
      spaces: [
        { name: "s", apps: [{ name: "a-ok", deployment: { strategy: "canary" } }] },
        {
          name: "sus",
          suspended: true,
          apps: [{ name: "a-space-suspended", deployment: { strategy: "canary" } }],
        },
        {
          name: "del",
          deleting: true,
          apps: [{ name: "a-space-deleting", deployment: { strategy: "canary" } }],
        },
      ],
    },
    {
      name: "so",
      suspended: true,
      spaces: [
        { name: "s", apps: [{ name: "a-org-suspended", deployment: { strategy: "canary" } }] },
      ],
    },
    {
      name: "do",
      deleting: true,
      spaces: [
        { name: "s", apps: [{ name: "a-org-deleting", deployment: { strategy: "canary" } }] },
        {
          name: "del",
          deleting: true,
          suspended: true,
          apps: [{ name: "a-both-deleting", deployment: { strategy: "canary" } }],
        },
      ],
    },
    {
      name: "both",
      suspended: true,
      spaces: [
        {
          name: "s",
          deleting: true,
          suspended: true,
          apps: [{ name: "a-space-deleting-org-suspended", deployment: { strategy: "canary" } }],
        },
      ],
    },
  ],
};

async function seeded(startSim: StartSim): Promise<SimulatorHandle> {
  const sim = await startSim({ seed: SEED });
  for (const guid of Object.values(sim.deployments)) {
    await tickUntil(sim, guid, "ACTIVE/PAUSED");
  }
  return sim;
}

function deploymentOf(sim: SimulatorHandle, app: string): string {
  const guid = sim.deployments[app];
  if (guid === undefined) throw new Error(`no deployment for ${app}`);
  return guid;
}

describe("roles outside the default seed", () => {
  for (const user of [
    "orgmanager",
    "orgauditor",
    "billing",
    "orguser",
    "readonlyadminw",
    "globalauditorw",
  ]) {
    it(`answers continue by ${user} with 404 Deployment not found`, async ({ startSim }) => {
      const sim = await seeded(startSim);
      const guid = deploymentOf(sim, "a-ok");
      expectCfError(
        await action(sim, user, guid, "continue"),
        404,
        10010,
        "CF-ResourceNotFound",
        "Deployment not found",
      );
      expect((await getDeployment(sim, guid)).status.reason).toBe("PAUSED");
    });
  }

  it("answers continue by an admin_read_only token without write scope with 403", async ({
    startSim,
  }) => {
    const sim = await seeded(startSim);
    expectCfError(
      await action(sim, "readonlyadmin", deploymentOf(sim, "a-ok"), "continue"),
      403,
      10003,
      "CF-NotAuthorized",
      "You are not authorized to perform the requested action",
    );
  });

  for (const user of ["orgmanager", "readonlyadmin", "globalauditorw"]) {
    it(`lets ${user} read the deployment`, async ({ startSim }) => {
      const sim = await seeded(startSim);
      const guid = deploymentOf(sim, "a-ok");
      const result = await call(sim, "GET", `/v3/deployments/${guid}`, {
        token: await tokenFor(sim, user),
      });
      expect(result.status, result.text).toBe(200);
    });
  }

  for (const user of ["orgauditor", "billing"]) {
    it(`answers GET of the deployment by ${user} with 404 and lists nothing for it`, async ({
      startSim,
    }) => {
      const sim = await seeded(startSim);
      const guid = deploymentOf(sim, "a-ok");
      const token = await tokenFor(sim, user);
      expectCfError(
        await call(sim, "GET", `/v3/deployments/${guid}`, { token }),
        404,
        10010,
        "CF-ResourceNotFound",
        "Deployment not found",
      );
      const list = await call(sim, "GET", "/v3/deployments", { token });
      expect((list.json as { resources: unknown[] }).resources).toEqual([]);
    });
  }

  it("shows the org manager the deployments of its org's spaces in the list", async ({
    startSim,
  }) => {
    const sim = await seeded(startSim);
    const list = await call(sim, "GET", "/v3/deployments", {
      token: await tokenFor(sim, "orgmanager"),
    });
    const guids = (list.json as { resources: Array<{ guid: string }> }).resources.map(
      (d) => d.guid,
    );
    expect(guids.sort()).toEqual(
      ["a-ok", "a-space-suspended", "a-space-deleting"].map((a) => deploymentOf(sim, a)).sort(),
    );
  });

  it("shows the global auditor every deployment", async ({ startSim }) => {
    const sim = await seeded(startSim);
    const list = await call(sim, "GET", "/v3/deployments", {
      token: await tokenFor(sim, "globalauditorw"),
    });
    expect((list.json as { resources: unknown[] }).resources).toHaveLength(
      Object.keys(sim.deployments).length,
    );
  });
});

describe("writable org and space (§3.1 step 5)", () => {
  const cases: Array<[string, number, number, string, string]> = [
    ["a-org-deleting", 422, 10020, "CF-ResourceBeingDeleted", "The organization is being deleted"],
    ["a-space-deleting", 422, 10020, "CF-ResourceBeingDeleted", "The space is being deleted"],
    ["a-org-suspended", 403, 10017, "CF-OrgSuspended", "The organization is suspended"],
    ["a-space-suspended", 403, 10019, "CF-SpaceSuspended", "The space is suspended"],
    ["a-both-deleting", 422, 10020, "CF-ResourceBeingDeleted", "The organization is being deleted"],
    [
      "a-space-deleting-org-suspended",
      422,
      10020,
      "CF-ResourceBeingDeleted",
      "The space is being deleted",
    ],
  ];
  for (const [app, status, code, title, detail] of cases) {
    it(`answers a developer's continue in ${app} with ${status} '${detail}'`, async ({
      startSim,
    }) => {
      const sim = await seeded(startSim);
      const guid = deploymentOf(sim, app);
      expectCfError(await action(sim, "dev", guid, "continue"), status, code, title, detail);
      expect((await getDeployment(sim, guid)).status.reason).toBe("PAUSED");
    });
  }

  it("answers a developer's cancel in a suspended space with 403 CF-SpaceSuspended", async ({
    startSim,
  }) => {
    const sim = await seeded(startSim);
    expectCfError(
      await action(sim, "dev", deploymentOf(sim, "a-space-suspended"), "cancel"),
      403,
      10019,
      "CF-SpaceSuspended",
      "The space is suspended",
    );
  });

  it("checks the writable space before the state: a non-PAUSED deployment still gets 403", async ({
    startSim,
  }) => {
    const sim = await seeded(startSim);
    const guid = deploymentOf(sim, "a-space-suspended");
    expect((await action(sim, "admin", guid, "continue")).status).toBe(200);
    expect((await getDeployment(sim, guid)).status.reason).toBe("DEPLOYING");
    expectCfError(
      await action(sim, "dev", guid, "continue"),
      403,
      10019,
      "CF-SpaceSuspended",
      "The space is suspended",
    );
  });

  it("checks the role before the writable space: a billing manager still gets 404", async ({
    startSim,
  }) => {
    const sim = await seeded(startSim);
    expectCfError(
      await action(sim, "billing", deploymentOf(sim, "a-space-suspended"), "continue"),
      404,
      10010,
      "CF-ResourceNotFound",
      "Deployment not found",
    );
  });

  for (const app of ["a-org-suspended", "a-space-deleting", "a-org-deleting"]) {
    it(`lets the admin bypass the writable check in ${app}`, async ({ startSim }) => {
      const sim = await seeded(startSim);
      const result = await action(sim, "admin", deploymentOf(sim, app), "continue");
      expect(result.status, result.text).toBe(200);
    });
  }

  it("lets the developer continue in a writable space of the same seed", async ({ startSim }) => {
    const sim = await seeded(startSim);
    expect((await action(sim, "dev", deploymentOf(sim, "a-ok"), "continue")).status).toBe(200);
  });
});
