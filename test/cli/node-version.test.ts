import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { nodeVersion, oldNodeDir } from "../fixtures/old-node.js";
import { writesSent } from "./cli-simulator.js";
import { webPromotionProgram } from "./consumer-project.js";
import { useConsumerStack } from "./consumer-stack.js";
import { findPulumiCliDir } from "./pulumi-cli.js";

const PROJECT = "old-node";
const PROGRAM = webPromotionProgram();

describe("the pulumi CLI with Node 20 first on PATH", () => {
  const ctx = useConsumerStack({ name: PROJECT, program: PROGRAM, apps: [{ name: "web" }] });

  it("fails at program load with the running and the needed Node, and sends nothing", async () => {
    const old = oldNodeDir();
    const version = nodeVersion(path.join(old, "node"));
    const preview = await ctx.stack.pulumi(["preview"], {
      env: { PATH: [findPulumiCliDir(), old, process.env["PATH"]].join(path.delimiter) },
    });
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain(
      `cf-deployment-promotion needs Node.js >= 22.19.0, but the Pulumi program runs on Node.js ${version} (${path.join(old, "node")}).`,
    );
    expect(await ctx.sim.control.requests()).toEqual([]);
    expect(await writesSent(ctx.sim)).toEqual([]);
  });
});
