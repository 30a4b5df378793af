import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect } from "vitest";
import promoteToStep from "../../examples/promote-to-step/index.js";
import type { ConfigValue, RunLocalResult } from "../../src/testing/index.js";
import { passwordGrant, seededUser } from "../support/index.js";
import { it, posts, type Stack, stackConfig } from "./host-helpers.js";

// Where the provider finds its connection (stack config, then CF_*, then the cf CLI's
// config.json), each through the real provider host; and that no credential reaches the state
// file, the host's output or an error.

/** Every place a secret could leak to: the state file, the host's lines, the outputs. */
function expectNoSecret(stateFile: string, result: RunLocalResult, secrets: string[]) {
  const state = readFileSync(stateFile, "utf8");
  const printed = result.logs.join("\n");
  const outputs = JSON.stringify([result.outputs, result.resources]);
  for (const secret of secrets) {
    expect(state).not.toContain(secret);
    expect(printed).not.toContain(secret);
    expect(outputs).not.toContain(secret);
  }
}

const toStep2 = { toStep: "2" };

describe("DeploymentPromotion's connection through the real provider host", {
  timeout: 60_000,
}, () => {
  it("uses stack config cloudfoundry:*, with the password as a secret that is stored nowhere", async ({
    sim,
    stack: { run, stateFile },
    webDeployment,
  }) => {
    const result = await run("up", promoteToStep, stackConfig(sim, toStep2));
    expect(result.outputs).toMatchObject({ canaryStep: { current: 2, total: 3 } });
    expect(result.logs).toContain(
      `cloudfoundry: ${sim.url} as password grant for user 'developer' (from stack config (cloudfoundry:*))`,
    );
    expect(await posts(sim)).toEqual([`/v3/deployments/${webDeployment}/actions/continue`]);
    expectNoSecret(stateFile, result, [seededUser(sim, "developer").password]);
  });

  it("uses CF_API_URL, CF_USER and CF_PASSWORD when stack config has no connection", async ({
    sim,
    stack: { run, stateFile },
    cfEnvironment,
  }) => {
    const user = seededUser(sim, "developer");
    cfEnvironment.set({
      CF_API_URL: sim.url,
      CF_USER: user.username,
      CF_PASSWORD: user.password,
    });
    const result = await run("up", promoteToStep, stackConfig(sim, toStep2, "none"));
    expect(result.outputs).toMatchObject({ canaryStep: { current: 2, total: 3 } });
    expect(result.logs).toContain(
      `cloudfoundry: ${sim.url} as password grant for user 'developer' (from environment (CF_*))`,
    );
    expectNoSecret(stateFile, result, [user.password]);
  });

  it("uses the cf CLI's config.json when neither stack config nor CF_* has credentials", async ({
    sim,
    stack: { run, stateFile },
    cfEnvironment: { home: cfHome },
  }) => {
    const grant = await passwordGrant(sim, "developer");
    const tokens = { accessToken: grant.access_token, refreshToken: grant.refresh_token };
    mkdirSync(join(cfHome, ".cf"));
    writeFileSync(
      join(cfHome, ".cf", "config.json"),
      JSON.stringify({
        ConfigVersion: 3,
        Target: sim.url,
        AccessToken: `bearer ${tokens.accessToken}`,
        RefreshToken: tokens.refreshToken,
        AuthorizationEndpoint: sim.uaaUrl,
        UaaEndpoint: sim.uaaUrl,
        SSLDisabled: false,
        UAAOAuthClient: "cf",
        UAAOAuthClientSecret: "",
      }),
    );
    const result = await run("up", promoteToStep, stackConfig(sim, toStep2, "none"));
    expect(result.outputs).toMatchObject({ canaryStep: { current: 2, total: 3 } });
    expect(
      result.logs.some((l) =>
        l.endsWith(`(from cf CLI config ${join(cfHome, ".cf", "config.json")})`),
      ),
    ).toBe(true);
    expectNoSecret(stateFile, result, [tokens.accessToken, tokens.refreshToken]);
  });

  it("fails with one error listing every place looked when there is no connection", async ({
    sim,
    stack: { run },
    cfEnvironment: { home: cfHome },
  }) => {
    const error = await run("up", promoteToStep, stackConfig(sim, toStep2, "none")).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "RUN_LOCAL_RESOURCE_FAILED", step: "check" });
    expect((error as { providerMessage: string }).providerMessage).toBe(
      [
        "[PROMOTION_NO_CREDENTIALS] No Cloud Foundry credentials found. Looked in, in this order:",
        "  1. stack config: cloudfoundry:user + cloudfoundry:password, cloudfoundry:cfClientId + cloudfoundry:cfClientSecret, cloudfoundry:refreshToken, cloudfoundry:accessToken: none set",
        "  2. environment: CF_USER + CF_PASSWORD, CF_CLIENT_ID + CF_CLIENT_SECRET, CF_REFRESH_TOKEN, CF_ACCESS_TOKEN: none set",
        `  3. cf CLI config: ${join(cfHome, ".cf", "config.json")} (from CF_HOME): not found`,
        "Set cloudfoundry:apiUrl with user and password (pulumi config set --secret cloudfoundry:password …), or CF_API_URL with CF_USER and CF_PASSWORD, or run `cf login`.",
      ].join("\n"),
    );
    expect(await sim.control.requests()).toEqual([]);
  });
});

describe("DeploymentPromotion's secrets in failures through the real provider host", {
  timeout: 60_000,
}, () => {
  const distinctive = "s3cr3t-Zq9-distinctive-value";

  it("keeps a rejected password out of the error, the host's lines and the state file", async ({
    sim,
    stack: { run, stateFile },
  }) => {
    const config = {
      ...stackConfig(sim, toStep2),
      "cloudfoundry:password": { secret: distinctive },
    };
    const logs: string[] = [];
    const error = await testingRun(run, config, logs);
    expect(error).toMatchObject({ code: "RUN_LOCAL_RESOURCE_FAILED" });
    expect(String((error as Error).message)).not.toContain(distinctive);
    expect(JSON.stringify(error)).not.toContain(distinctive);
    expect(logs.join("\n")).not.toContain(distinctive);
    expect(existsSync(stateFile) ? readFileSync(stateFile, "utf8") : "").not.toContain(distinctive);
    expect(await posts(sim)).toEqual([]);
  });

  it("keeps a client secret from stack config out of the state file, outputs and lines", async ({
    sim,
    stack: { run, stateFile },
  }) => {
    const { promoter: client } = sim.clients;
    if (client === undefined) throw new Error("the default seed has no promoter client");
    const config = {
      ...stackConfig(sim, toStep2, "none"),
      "cloudfoundry:apiUrl": sim.url,
      "cloudfoundry:cfClientId": client.clientId,
      "cloudfoundry:cfClientSecret": { secret: client.clientSecret },
    };
    const result = await run("up", promoteToStep, config);
    expect(result.outputs).toMatchObject({ canaryStep: { current: 2, total: 3 } });
    expect(result.logs).toContain(
      `cloudfoundry: ${sim.url} as client credentials for client 'promoter' (from stack config (cloudfoundry:*))`,
    );
    expectNoSecret(stateFile, result, [client.clientSecret]);
  });

  it("keeps a rejected CF_CLIENT_SECRET from the environment out of the error", async ({
    sim,
    stack: { run },
    cfEnvironment,
  }) => {
    cfEnvironment.set({
      CF_API_URL: sim.url,
      CF_CLIENT_ID: "promoter",
      CF_CLIENT_SECRET: distinctive,
    });
    const logs: string[] = [];
    const error = await testingRun(run, stackConfig(sim, toStep2, "none"), logs);
    expect(error).toMatchObject({ code: "RUN_LOCAL_RESOURCE_FAILED" });
    expect(JSON.stringify({ message: (error as Error).message, error })).not.toContain(distinctive);
    expect(logs.join("\n")).not.toContain(distinctive);
  });
});

/** Runs an up that is expected to fail, collecting the host's lines through the error. */
async function testingRun(
  run: Stack["run"],
  config: Record<string, ConfigValue>,
  logs: string[],
): Promise<unknown> {
  try {
    const result = await run("up", promoteToStep, config);
    logs.push(...result.logs);
    return result;
  } catch (error) {
    const lines = (error as { logs?: string[] }).logs;
    if (lines !== undefined) logs.push(...lines);
    return error;
  }
}
