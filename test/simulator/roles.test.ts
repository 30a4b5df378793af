import { describe, expect } from "vitest";
import type {
  SeedDescription,
  SeedRole,
  SeedUser,
  SimulatorHandle,
} from "../../src/simulator/index.js";
import { asUser, cfError, it, seededApp, send } from "../support/index.js";

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

const notFound = cfError(10010, "CF-ResourceNotFound", "Deployment not found");

describe("order of checks for continue (reference §3.1)", () => {
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
  ] as const)("answers %s with %i", async ([user, status], { startSim }) => {
    const sim = await startSim({ seed: rolesSeed() });
    const answer = await continueAs(sim, user);
    expect(answer.status).toBe(status);
    if (status === 200) expect(answer.text).toBe("");
    else expect(answer.body).toEqual(notFound);
  });

  it("answers a token without cloud_controller.write with 403 before the lookup", async ({
    startSim,
  }) => {
    const sim = await startSim({ seed: rolesSeed() });
    const api = await asUser(sim, "read_only_developer");
    for (const guid of [appDeployment(sim), "no-such-deployment"]) {
      const answer = await api("POST", `/v3/deployments/${guid}/actions/continue`);
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual(
        cfError(
          10003,
          "CF-NotAuthorized",
          "You are not authorized to perform the requested action",
        ),
      );
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
      422,
      10020,
      "CF-ResourceBeingDeleted",
      "The space is being deleted",
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

  it("checks the role before the org/space state: an outsider still gets 404", async ({
    startSim,
  }) => {
    const sim = await startSim({ seed: rolesSeed({ org: { suspended: true } }) });
    const answer = await continueAs(sim, "space_manager");
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual(notFound);
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
    async ([state, value, reason], { startSim }) => {
      const sim = await startSim({ seed: rolesSeed() });
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
      expect(answer.status).toBe(422);
      expect(answer.body).toEqual(
        cfError(
          10008,
          "CF-UnprocessableEntity",
          `Cannot continue a deployment with status: ${value} and reason: ${reason}`,
        ),
      );
    },
  );
});

describe("cancel roles", () => {
  it.for([
    ["admin", 200],
    ["space_developer", 200],
    ["space_supporter", 200],
    ["space_manager", 404],
    ["space_auditor", 404],
    ["org_manager", 404],
    ["no_role", 404],
  ] as const)("answers %s with %i", async ([user, status], { startSim }) => {
    const sim = await startSim({ seed: rolesSeed() });
    const api = await asUser(sim, user);
    const answer = await api("POST", `/v3/deployments/${appDeployment(sim)}/actions/cancel`);
    expect(answer.status).toBe(status);
    if (status === 404) expect(answer.body).toEqual(notFound);
  });
});

describe("GET /v3/deployments/:guid roles (reference §3.4)", () => {
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
  ] as const)("answers %s with %i", async ([user, status], { startSim }) => {
    const sim = await startSim({ seed: rolesSeed() });
    const api = await asUser(sim, user);
    const answer = await api("GET", `/v3/deployments/${appDeployment(sim)}`);
    expect(answer.status).toBe(status);
    if (status === 404) expect(answer.body).toEqual(notFound);
  });

  it("shows only readable deployments in the list, empty for users without a role", async ({
    startSim,
  }) => {
    const sim = await startSim({ seed: rolesSeed() });
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
