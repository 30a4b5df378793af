import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(__dirname, "../..");
const PASSWORD = "pa55-Sekret-in-stack-config";
const TOKEN = "env-Access-Token-Sekret";

describe("the serialized DeploymentPromotion provider", () => {
  it("stays under 5 KB (each resource carries it twice in state), holds no secret, is shared, and loads back in a plain node process", async () => {
    const { stdout } = await run(
      process.execPath,
      [resolve(__dirname, "fixtures/serialize-provider.cjs"), resolve(root, "dist/index.js")],
      {
        cwd: root,
        env: {
          ...process.env,
          CF_ACCESS_TOKEN: TOKEN,
          PULUMI_CONFIG: JSON.stringify({ "cloudfoundry:password": PASSWORD }),
          PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(["cloudfoundry:password"]),
        },
      },
    );
    const report = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
    expect(report.type).toBe("pulumi-nodejs:dynamic/cloudfoundry:DeploymentPromotion");
    // A plain string: a captured secret would have made it a secret-wrapped object.
    expect(report.kind).toBe("string");
    expect(report.size).toBeLessThan(5 * 1024);
    expect(report.shared).toBe(true);
    expect(report.text).not.toContain(PASSWORD);
    expect(report.text).not.toContain(TOKEN);
    // No SDK or client module got serialized by value into it.
    expect(report.text).not.toMatch(/@pulumi\/pulumi|undici|zod/);
    expect(report.checkFailures).toEqual([]);
    expect(report.ownKeys).toEqual([]);
  });
});
