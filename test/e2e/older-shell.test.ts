import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { it, posts, promotionOf, type Stack, stackConfig } from "./host-helpers.js";

// A stack written by version 0.1 holds that version's serialized provider (a larger shell that
// calls the implementation's first exports) in each resource's inputs and outputs. The host runs
// the stored shell for refresh (Read) and destroy (Delete), so the installed implementation must
// still serve it. The fixture is that shell exactly as 0.1 serialized it.
const FIRST_SHELL = readFileSync(join(__dirname, "../fixtures/provider-shell-0.1.txt"), "utf8");

/** Puts the 0.1 shell into every resource of the stack's state file, as 0.1 would have left it. */
function withFirstShell(stack: Stack): void {
  const state = JSON.parse(readFileSync(stack.stateFile, "utf8"));
  for (const resource of state.resources) {
    if (resource.inputs.__provider === undefined) continue;
    resource.inputs.__provider = FIRST_SHELL;
    resource.outputs.__provider = FIRST_SHELL;
  }
  writeFileSync(stack.stateFile, JSON.stringify(state));
}

const storedShell = (stack: Stack) =>
  JSON.parse(readFileSync(stack.stateFile, "utf8")).resources.find((r: { type: string }) =>
    r.type.endsWith(":DeploymentPromotion"),
  )?.outputs.__provider;

describe("a stack written by version 0.1, through the real provider host", {
  timeout: 60_000,
}, () => {
  it("refreshes and destroys through the stored 0.1 shell", async ({
    sim,
    stack,
    webDeployment: guid,
    operator,
  }) => {
    const config = stackConfig(sim);
    await stack.run("up", promotionOf({ toStep: 2 }), config);
    expect(storedShell(stack)).not.toBe(FIRST_SHELL);
    withFirstShell(stack);

    // Someone else continues it to step 3; refresh (the 0.1 shell's read) records that.
    await operator.continueDeployment(guid);
    for (let i = 0; i < 40; i += 1) await sim.control.tick();
    const refreshed = await stack.run("refresh", promotionOf({ toStep: 2 }), config);
    expect(refreshed.resources.map((r) => [r.name, r.operation, r.drift])).toEqual([
      ["web", "refresh", true],
    ]);
    expect(refreshed.resources[0]?.outputs).toMatchObject({
      canaryStep: { current: 3 },
      continues: [
        { fromStep: 1, toStep: 2 },
        { fromStep: 2, toStep: 3 },
      ],
    });
    expect(storedShell(stack)).toBe(FIRST_SHELL);

    await sim.control.clearRequests();
    const destroyed = await stack.run("destroy", promotionOf({ toStep: 2 }), config);
    expect(destroyed.resources.map((r) => [r.name, r.operation])).toEqual([["web", "delete"]]);
    expect(destroyed.logs).toContain(
      `web: removed the promotion record of deployment ${guid} from the stack; nothing was sent to Cloud Foundry`,
    );
    expect(await sim.control.requests()).toEqual([]);
  });

  it("updates a promotion whose state holds the 0.1 shell, and stores the current one", async ({
    sim,
    stack,
    webDeployment: guid,
  }) => {
    const config = stackConfig(sim);
    await stack.run("up", promotionOf({ toStep: 2 }), config);
    withFirstShell(stack);
    await sim.control.clearRequests();

    const up = await stack.run("up", promotionOf({ toStep: 3 }), config);
    expect(up.resources.map((r) => [r.name, r.operation])).toEqual([["web", "update"]]);
    expect(up.outputs).toMatchObject({ canaryStep: { current: 3 } });
    expect(await posts(sim)).toEqual([`/v3/deployments/${guid}/actions/continue`]);
    const shell = storedShell(stack);
    expect(shell).not.toBe(FIRST_SHELL);
    expect(shell.length).toBeLessThan(FIRST_SHELL.length);
  });
});
