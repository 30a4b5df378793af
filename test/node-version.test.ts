import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { assertSupportedNode, isSupportedNodeVersion } from "../src/node-version.js";
import { nodeVersion, oldNodeDir } from "./fixtures/old-node.js";

const root = path.resolve(__dirname, "..");

describe("the Node.js version check", () => {
  it.each([
    ["22.19.0", true],
    ["22.23.3", true],
    ["24.1.0", true],
    ["22.18.9", false],
    ["20.20.2", false],
  ])("Node %s is supported: %s", (version, supported) => {
    expect(isSupportedNodeVersion(version)).toBe(supported);
  });

  it("names the running Node, where it runs and the one needed", () => {
    expect(() =>
      assertSupportedNode("the provider", { version: "20.20.2", execPath: "/usr/bin/node" }),
    ).toThrow(
      "cf-deployment-promotion needs Node.js >= 22.19.0, but the provider runs on Node.js v20.20.2 (/usr/bin/node). The pulumi CLI starts programs and providers with the first node on PATH: put Node.js 22.19.0 or newer first on PATH and run the command again.",
    );
  });

  it.each([
    ["the package's entry", "dist/index.js", "the Pulumi program"],
    [
      "the provider implementation",
      "dist/provider/index.js",
      "the provider (pulumi-resource-pulumi-nodejs)",
    ],
  ])("fails loading %s on the system Node 20 with that message", (_what, entry, where) => {
    const node = path.join(oldNodeDir(), "node");
    const loaded = spawnSync(node, ["-e", `require(${JSON.stringify(path.join(root, entry))})`], {
      encoding: "utf8",
    });
    expect(loaded.status).not.toBe(0);
    expect(loaded.stderr).toContain(
      `cf-deployment-promotion needs Node.js >= 22.19.0, but ${where} runs on Node.js ${nodeVersion(node)} (${node}).`,
    );
  });
});
