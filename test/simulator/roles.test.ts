/**
 * Roles outside the default seed (org roles, admin_read_only, global_auditor) and the writable
 * org/space checks (CC `require_writable_space!`), through a seed description.
 */
import { describe, expect } from "vitest";
import type {
  SeedDescription,
  SeedRole,
  SeedUser,
  SimulatorHandle,
} from "../../src/simulator/index.js";
import {
  action,
  asUser,
  call,
  cfError,
  expectCfError,
  getDeployment,
  it,
  notAuthorized,
  notFound,
  type StartSim,
  seededApp,
  send,
  test,
  tickUntil,
  tokenFor,
  unprocessable,
} from "../support/index.js";

const appDeployment = ({ deployments: { app = "" } }: SimulatorHandle) => app;

const WRITE = ["openid", "cloud_controller.read", "cloud_controller.write"];

/** One org/space with a paused canary, and a user for every role of the request spec. */
function rolesSeed(flags: { org?: object; space?: object } = {}): SeedDescription {
  const spaceRole = (type: SeedRole["type"]): SeedRole[] => [{ type, org: "o", space: "s" }];
  const orgRole = (type: SeedRole["type"]): SeedRole[] => [{ type, org: "o" }];
  const users: SeedUser[] = [
    { username: "admin", scopes: ["cloud_controller.admin"] },
    { username: "admin_read_only", scopes: [...WRITE, "cloud_controller.admin_read_only"] },
    { username: "global_auditor", scopes: [...WRITE, "cloud_controller.global_auditor"] },
    { username: "space_developer", roles: spaceRole("space_developer") },
    { username: "space_supporter", roles: spaceRole("space_supporter") },
    { username: "space_manager", roles: spaceRole("space_manager") },
    { username: "space_auditor", roles: spaceRole("space_auditor") },
    { username: "org_manager", roles: orgRole("organization_manager") },
    { username: "org_auditor", roles: orgRole("organization_auditor") },
    { username: "org_billing_manager", roles: orgRole("organization_billing_manager") },
    { username: "no_role" },
    {
      username: "org_manager_developer",
      roles: [...spaceRole("space_developer"), ...orgRole("organization_manager")],
    },
    {
      username: "read_only_developer",
      scopes: ["openid", "cloud_controller.read"],
      roles: spaceRole("space_developer"),
    },
  ];
  return {
    users,
    clients: [],
    orgs: [
      {
        name: "o",
        ...flags.org,
        spaces: [
          {
            name: "s",
            ...flags.space,
            apps: [
              {
                name: "app",
                instances: 2,
                deployment: { strategy: "canary", steps: [50], paused: true },
              },
            ],
          },
        ],
      },
    ],
  };
}

async function continueAs(sim: SimulatorHandle, user: string) {
  const api = await asUser(sim, user);
  return api("POST", `/v3/deployments/${appDeployment(sim)}/actions/continue`);
}

const notFoundBody = cfError(10010, "CF-ResourceNotFound", "Deployment not found");

describe("order of checks for continue", () => {
  test.override({ simOptions: { seed: rolesSeed() } });

  it.for([
    ["admin", 200],
    ["space_developer", 200],
    ["space_supporter", 200],
    ["admin_read_only", 404],
    ["global_auditor", 404],
    ["space_manager", 404],
    ["space_auditor", 404],
    ["org_manager", 404],
    ["org_auditor", 404],
    ["org_billing_manager", 404],
    ["no_role", 404],
  ] as const)("answers %s with %i", async ([user, status], { sim }) => {
    const answer = await continueAs(sim, user);
    expect(answer.status).toBe(status);
    if (status === 200) expect(answer.text).toBe("");
    else expect(answer.body).toEqual(notFoundBody);
  });

  it("answers a token without cloud_controller.write with 403 before the lookup", async ({
    sim,
  }) => {
    const api = await asUser(sim, "read_only_developer");
    for (const guid of [appDeployment(sim), "no-such-deployment"]) {
      const answer = await api("POST", `/v3/deployments/${guid}/actions/continue`);
      expectCfError(answer, notAuthorized);
    }
  });

  it("checks authentication before anything else", async ({ startSim }) => {
    const sim = await startSim({ seed: rolesSeed({ org: { deleting: true } }) });
    const none = await send(`${sim.url}/v3/deployments/nope/actions/continue`, { method: "POST" });
    expect(none.body).toEqual(cfError(10002, "CF-NotAuthenticated", "Authentication error"));
    const bad = await send(`${sim.url}/v3/deployments/nope/actions/continue`, {
      method: "POST",
      headers: { authorization: "bearer not-a-token" },
    });
    expect(bad.body).toEqual(cfError(1000, "CF-InvalidAuthToken", "Invalid Auth Token"));
  });

  it.for<[Parameters<typeof rolesSeed>[0], number, number, string, string]>([
    [
      { org: { deleting: true } },
      422,
      10020,
      "CF-ResourceBeingDeleted",
      "The organization is being deleted",
    ],
    [
      { space: { deleting: true } },
      422,
      10020,
      "CF-ResourceBeingDeleted",
      "The space is being deleted",
    ],
    [{ org: { suspended: true } }, 403, 10017, "CF-OrgSuspended", "The organization is suspended"],
    [{ space: { suspended: true } }, 403, 10019, "CF-SpaceSuspended", "The space is suspended"],
    [
      { org: { suspended: true, deleting: true }, space: { deleting: true, suspended: true } },
      422,
      10020,
      "CF-ResourceBeingDeleted",
      "The organization is being deleted",
    ],
    [
      { org: { suspended: true }, space: { deleting: true } },
      403,
      10017,
      "CF-OrgSuspended",
      "The organization is suspended",
    ],
    [
      { org: { suspended: true }, space: { suspended: true } },
      403,
      10017,
      "CF-OrgSuspended",
      "The organization is suspended",
    ],
  ])(
    "refuses a developer in %j with %i %s",
    async ([flags, status, code, title, detail], { startSim }) => {
      const sim = await startSim({ seed: rolesSeed(flags) });
      for (const action of ["continue", "cancel"]) {
        const api = await asUser(sim, "space_developer");
        const answer = await api("POST", `/v3/deployments/${appDeployment(sim)}/actions/${action}`);
        expect(answer.status).toBe(status);
        expect(answer.body).toEqual(cfError(code, title, detail));
      }
    },
  );

  it("lets a developer who manages the org continue in a deleting, suspended space", async ({
    startSim,
  }) => {
    const sim = await startSim({ seed: rolesSeed({ space: { deleting: true, suspended: true } }) });
    const answer = await continueAs(sim, "org_manager_developer");
    expect(answer.status, answer.text).toBe(200);
  });

  it("holds a developer who manages the org to the org's own suspension", async ({ startSim }) => {
    const sim = await startSim({ seed: rolesSeed({ org: { suspended: true } }) });
    const answer = await continueAs(sim, "org_manager_developer");
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual(cfError(10017, "CF-OrgSuspended", "The organization is suspended"));
  });

  it("checks the role before the org/space state: an outsider still gets 404", async ({
    startSim,
  }) => {
    const sim = await startSim({ seed: rolesSeed({ org: { suspended: true } }) });
    const answer = await continueAs(sim, "space_manager");
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual(notFoundBody);
  });

  it("lets an admin bypass suspended and deleting orgs and spaces", async ({ startSim }) => {
    const sim = await startSim({
      seed: rolesSeed({ org: { suspended: true, deleting: true }, space: { suspended: true } }),
    });
    expect((await continueAs(sim, "admin")).status).toBe(200);
  });

  it("checks the org/space state before the deployment state", async ({ startSim }) => {
    const sim = await startSim({ seed: rolesSeed({ space: { suspended: true } }) });
    const api = await asUser(sim, "space_developer");
    const guid = appDeployment(sim);
    const admin = await asUser(sim, "admin");
    await admin("POST", `/v3/deployments/${guid}/actions/cancel`);
    const answer = await api("POST", `/v3/deployments/${guid}/actions/continue`);
    expect(answer.body).toEqual(cfError(10019, "CF-SpaceSuspended", "The space is suspended"));
  });

  it.for<[string, string, string]>([
    ["PREPAUSED", "ACTIVE", "DEPLOYING"],
    ["DEPLOYING", "ACTIVE", "DEPLOYING"],
    ["CANCELING", "ACTIVE", "CANCELING"],
    ["DEPLOYED", "FINALIZED", "DEPLOYED"],
    ["CANCELED", "FINALIZED", "CANCELED"],
    ["SUPERSEDED", "FINALIZED", "SUPERSEDED"],
  ])(
    "refuses to continue a %s deployment with 422 status %s reason %s",
    async ([state, value, reason], { sim }) => {
      const api = await asUser(sim, "space_developer");
      const guid = appDeployment(sim);
      const app = seededApp(sim, "app").guid;
      const go = (action: string, id = guid) =>
        api("POST", `/v3/deployments/${id}/actions/${action}`);
      let target = guid;
      if (state === "PREPAUSED") {
        // A second canary for the same app supersedes the paused one and starts PREPAUSED.
        const created = await api("POST", "/v3/deployments", {
          strategy: "canary",
          relationships: { app: { data: { guid: app } } },
        });
        target = (created.body as { guid: string }).guid;
      } else if (state === "DEPLOYING") {
        await go("continue");
      } else if (state === "CANCELING") {
        await go("cancel");
      } else if (state === "DEPLOYED") {
        await go("continue");
        await sim.control.tick(5);
      } else if (state === "CANCELED") {
        await go("cancel");
        await sim.control.tick();
      } else {
        await api("POST", "/v3/deployments", { relationships: { app: { data: { guid: app } } } });
      }
      const answer = await go("continue", target);
      expectCfError(
        answer,
        unprocessable(`Cannot continue a deployment with status: ${value} and reason: ${reason}`),
      );
    },
  );
});

describe("cancel roles", () => {
  test.override({ simOptions: { seed: rolesSeed() } });

  it.for([
    ["admin", 200],
    ["space_developer", 200],
    ["space_supporter", 200],
    ["space_manager", 404],
    ["space_auditor", 404],
    ["org_manager", 404],
    ["no_role", 404],
  ] as const)("answers %s with %i", async ([user, status], { sim }) => {
    const api = await asUser(sim, user);
    const answer = await api("POST", `/v3/deployments/${appDeployment(sim)}/actions/cancel`);
    expect(answer.status).toBe(status);
    if (status === 404) expect(answer.body).toEqual(notFoundBody);
  });
});

describe("GET /v3/deployments/:guid roles", () => {
  test.override({ simOptions: { seed: rolesSeed() } });

  it.for([
    ["admin", 200],
    ["admin_read_only", 200],
    ["global_auditor", 200],
    ["space_developer", 200],
    ["space_supporter", 200],
    ["space_manager", 200],
    ["space_auditor", 200],
    ["org_manager", 200],
    ["org_auditor", 404],
    ["org_billing_manager", 404],
    ["no_role", 404],
  ] as const)("answers %s with %i", async ([user, status], { sim }) => {
    const api = await asUser(sim, user);
    const answer = await api("GET", `/v3/deployments/${appDeployment(sim)}`);
    expect(answer.status).toBe(status);
    if (status === 404) expect(answer.body).toEqual(notFoundBody);
  });

  it("shows only readable deployments in the list, empty for users without a role", async ({
    sim,
  }) => {
    for (const [user, count] of [
      ["no_role", 0],
      ["org_auditor", 0],
      ["space_auditor", 1],
      ["global_auditor", 1],
    ] as const) {
      const api = await asUser(sim, user);
      const answer = await api("GET", "/v3/deployments");
      expect(answer.status).toBe(200);
      expect((answer.body as { resources: unknown[] }).resources).toHaveLength(count);
    }
  });
});

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
  test.override("sim", ({ startSim }) => seeded(startSim));

  for (const user of [
    "orgmanager",
    "orgauditor",
    "billing",
    "orguser",
    "readonlyadminw",
    "globalauditorw",
  ]) {
    it(`answers continue by ${user} with 404 Deployment not found`, async ({ sim }) => {
      const guid = deploymentOf(sim, "a-ok");
      expectCfError(await action(sim, user, guid, "continue"), notFound("Deployment not found"));
      expect((await getDeployment(sim, guid)).status.reason).toBe("PAUSED");
    });
  }

  it("answers continue by an admin_read_only token without write scope with 403", async ({
    sim,
  }) => {
    expectCfError(
      await action(sim, "readonlyadmin", deploymentOf(sim, "a-ok"), "continue"),
      notAuthorized,
    );
  });

  for (const user of ["orgmanager", "readonlyadmin", "globalauditorw"]) {
    it(`lets ${user} read the deployment`, async ({ sim }) => {
      const guid = deploymentOf(sim, "a-ok");
      const result = await call(sim, "GET", `/v3/deployments/${guid}`, {
        token: await tokenFor(sim, user),
      });
      expect(result.status, result.text).toBe(200);
    });
  }

  for (const user of ["orgauditor", "billing"]) {
    it(`answers GET of the deployment by ${user} with 404 and lists nothing for it`, async ({
      sim,
    }) => {
      const guid = deploymentOf(sim, "a-ok");
      const token = await tokenFor(sim, user);
      expectCfError(
        await call(sim, "GET", `/v3/deployments/${guid}`, { token }),
        notFound("Deployment not found"),
      );
      const list = await call(sim, "GET", "/v3/deployments", { token });
      expect((list.json as { resources: unknown[] }).resources).toEqual([]);
    });
  }

  it("shows the org manager the deployments of its org's spaces in the list", async ({ sim }) => {
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

  it("shows the global auditor every deployment", async ({ sim }) => {
    const list = await call(sim, "GET", "/v3/deployments", {
      token: await tokenFor(sim, "globalauditorw"),
    });
    expect((list.json as { resources: unknown[] }).resources).toHaveLength(
      Object.keys(sim.deployments).length,
    );
  });
});

describe("writable org and space", () => {
  test.override("sim", ({ startSim }) => seeded(startSim));

  const cases: Array<[string, number, number, string, string]> = [
    ["a-org-deleting", 422, 10020, "CF-ResourceBeingDeleted", "The organization is being deleted"],
    ["a-space-deleting", 422, 10020, "CF-ResourceBeingDeleted", "The space is being deleted"],
    ["a-org-suspended", 403, 10017, "CF-OrgSuspended", "The organization is suspended"],
    ["a-space-suspended", 403, 10019, "CF-SpaceSuspended", "The space is suspended"],
    ["a-both-deleting", 422, 10020, "CF-ResourceBeingDeleted", "The organization is being deleted"],
    [
      "a-space-deleting-org-suspended",
      403,
      10017,
      "CF-OrgSuspended",
      "The organization is suspended",
    ],
  ];
  for (const [app, status, code, title, detail] of cases) {
    it(`answers a developer's continue in ${app} with ${status} '${detail}'`, async ({ sim }) => {
      const guid = deploymentOf(sim, app);
      expectCfError(await action(sim, "dev", guid, "continue"), status, code, title, detail);
      expect((await getDeployment(sim, guid)).status.reason).toBe("PAUSED");
    });
  }

  it("answers a developer's cancel in a suspended space with 403 CF-SpaceSuspended", async ({
    sim,
  }) => {
    expectCfError(
      await action(sim, "dev", deploymentOf(sim, "a-space-suspended"), "cancel"),
      403,
      10019,
      "CF-SpaceSuspended",
      "The space is suspended",
    );
  });

  it("checks the writable space before the state: a non-PAUSED deployment still gets 403", async ({
    sim,
  }) => {
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
    sim,
  }) => {
    expectCfError(
      await action(sim, "billing", deploymentOf(sim, "a-space-suspended"), "continue"),
      notFound("Deployment not found"),
    );
  });

  for (const app of ["a-org-suspended", "a-space-deleting", "a-org-deleting"]) {
    it(`lets the admin bypass the writable check in ${app}`, async ({ sim }) => {
      const result = await action(sim, "admin", deploymentOf(sim, app), "continue");
      expect(result.status, result.text).toBe(200);
    });
  }

  it("lets the developer continue in a writable space of the same seed", async ({ sim }) => {
    expect((await action(sim, "dev", deploymentOf(sim, "a-ok"), "continue")).status).toBe(200);
  });
});
