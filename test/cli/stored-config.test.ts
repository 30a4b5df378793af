import { beforeAll, describe, expect, it } from "vitest";
import { webPromotionProgram } from "./consumer-project.js";
import { useConsumerStack } from "./consumer-stack.js";
import { PROMOTION_TYPE, resourcesOfType } from "./pulumi-stack.js";

const PROJECT = "promotion-credentials";
const PROGRAM = webPromotionProgram("toStep: 1,");

// refresh and destroy configure the provider with the config stored in state at the last up
// (pulumi/pulumi pkg/resource/deploy/providers/registry.go), not with Pulumi.<stack>.yaml.
describe("credentials on refresh and destroy", () => {
  const ctx = useConsumerStack({ name: PROJECT, program: PROGRAM, apps: [{ name: "web" }] });

  beforeAll(async () => {
    const up = await ctx.stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code, up.output).toBe(0);
  });

  it("refresh uses the password stored at the last up; --run-program and up use the new one", async () => {
    await ctx.stack.setConfig({ "cloudfoundry:password": "rotated-password" });
    const refresh = await ctx.stack.pulumi(["refresh", "--yes"]);
    expect(refresh.code, refresh.output).toBe(0);

    const withProgram = await ctx.stack.pulumi(["refresh", "--yes", "--run-program"]);
    expect(withProgram.code).not.toBe(0);
    expect(withProgram.stdout).toContain("[CF_AUTH_ERROR] UAA refused the password grant");
    const up = await ctx.stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code).not.toBe(0);
    expect(up.stdout).toContain("[CF_AUTH_ERROR] UAA refused the password grant");
    for (const result of [refresh, withProgram, up]) {
      expect(result.output).not.toContain("rotated-password");
    }
  });

  it("destroy needs no credentials and no Cloud Controller at all", async () => {
    for (const key of ["cloudfoundry:user", "cloudfoundry:password", "cloudfoundry:apiUrl"]) {
      await ctx.stack.pulumi(["config", "rm", key]);
    }
    await ctx.sim.close();
    const destroy = await ctx.stack.pulumi(["destroy", "--yes"]);
    expect(destroy.code, destroy.output).toBe(0);
    expect(destroy.stdout).toContain("web: removed the promotion record of deployment");
    expect(resourcesOfType(await ctx.stack.exportState(), PROMOTION_TYPE)).toEqual([]);
  });
});
