import { beforeEach, describe, expect, it } from "vitest";
import { connectionConfig, writesSent } from "./cli-simulator.js";
import { useConsumerStack } from "./consumer-stack.js";
import { PROMOTION_TYPE, resourcesOfType } from "./pulumi-stack.js";

const PROJECT = "preview-refusals";

// One promotion whose target and gates come from stack config, so each case changes only config.
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";

const config = new pulumi.Config();
new DeploymentPromotion("promotion", {
  appName: config.require("app"),
  orgName: config.require("org"),
  spaceName: config.require("space"),
  toStep: config.getNumber("toStep"),
  expectedDropletGuid: config.get("expectedDropletGuid"),
  pollIntervalSeconds: 0.2,
});
`;

const WRONG_DROPLET = "99999999-9999-4999-8999-999999999999";

describe("pulumi preview fails for what up would certainly refuse", () => {
  const ctx = useConsumerStack({
    name: PROJECT,
    program: PROGRAM,
    apps: [{ name: "web" }, { name: "idle", deployment: false }],
    config: { [`${PROJECT}:app`]: "web" },
  });

  beforeEach(async () => {
    for (const key of ["toStep", "expectedDropletGuid"]) {
      await ctx.stack.pulumi(["config", "rm", `${PROJECT}:${key}`]);
    }
    await ctx.stack.setConfig({
      ...connectionConfig(ctx.sim, PROJECT),
      [`${PROJECT}:app`]: "web",
    });
    await ctx.sim.control.clearRequests();
  });

  const web = () => ctx.sim.deployments["web"] ?? "";
  const droplet = () => ctx.sim.apps["web"]?.stagedDropletGuid ?? "";

  /** Sets `change` (keys without a namespace are this project's) and expects preview to refuse. */
  async function expectPreviewRefused(change: Record<string, string>, message: string) {
    const config = Object.fromEntries(
      Object.entries(change).map(([key, value]) => [
        key.includes(":") ? key : `${PROJECT}:${key}`,
        value,
      ]),
    );
    await ctx.stack.setConfig(config);
    const preview = await ctx.stack.pulumi(["preview"]);
    expect(preview.code, preview.output).not.toBe(0);
    expect(preview.stdout).toContain(message);
    expect(preview.stdout).not.toContain("not-the-password");
    expect(await writesSent(ctx.sim)).toEqual([]);
    expect(resourcesOfType(await ctx.stack.exportState(), PROMOTION_TYPE)).toEqual([]);
  }

  it("a wrong expectedDropletGuid", async () => {
    await expectPreviewRefused(
      { expectedDropletGuid: WRONG_DROPLET },
      `[PROMOTION_WRONG_DROPLET] deployment ${web()} of app web deploys droplet ${droplet()}, but expectedDropletGuid is ${WRONG_DROPLET}: refusing to promote another release; nothing was sent`,
    );
  });

  it("an unknown app", async () => {
    await expectPreviewRefused(
      { app: "nope" },
      `[PROMOTION_NOT_FOUND] app "nope" was not found in space "cli-space" of organization "cli-org"`,
    );
  });

  it("an app with no active deployment", async () => {
    await expectPreviewRefused(
      { app: "idle" },
      `[PROMOTION_NOT_FOUND] app idle (${ctx.sim.apps["idle"]?.guid}) has no active deployment to promote`,
    );
  });

  it("a toStep past the last step", async () => {
    await expectPreviewRefused(
      { toStep: "4" },
      `[PROMOTION_NOT_PROMOTABLE] toStep 4 is beyond the last canary step of deployment ${web()} of app web (3 steps); nothing was sent`,
    );
  });

  it("a wrong password", async () => {
    await expectPreviewRefused(
      { "cloudfoundry:password": "not-the-password" },
      "error: [CF_AUTH_ERROR] UAA refused the password grant for user 'ci-bot': POST /oauth/token (password grant) → 401 unauthorized: Bad credentials",
    );
  });
});
