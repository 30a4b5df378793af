import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { PROVIDER_MODULE } from "../../src/resource/provider-module.js";
import { PROVIDER_METHODS } from "../support/provider-method-names.js";

const run = promisify(execFile);
const root = resolve(__dirname, "../..");
const PASSWORD = "pa55-Sekret-in-stack-config";
const TOKEN = "env-Access-Token-Sekret";

describe("the provider text every DeploymentPromotion carries", () => {
  it("is a few hundred bytes, holds no secret, is shared, loads back in a plain node process", async () => {
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
    // A plain string: a secret-wrapped `__provider` crashes the host.
    expect(report.kind).toBe("string");
    expect(report.text).toBe(PROVIDER_MODULE);
    expect(report.size).toBeLessThan(1024);
    expect(report.shared).toBe(true);
    expect(report.text).not.toContain(PASSWORD);
    expect(report.text).not.toContain(TOKEN);
    expect(report.checkFailures).toEqual([]);
    expect(report.ownKeys).toEqual(PROVIDER_METHODS);
  });
});

describe("the provider text in a project where the package cannot serve it", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** Evaluates the text the way the host does, in `cwd`, and returns what `handler()` threw. */
  async function handlerFailure(cwd: string) {
    const script = `
      const requireFromString = require(${JSON.stringify(require.resolve("require-from-string", { paths: [resolve(root, "node_modules/@pulumi/pulumi")] }))});
      try {
        requireFromString(require("node:fs").readFileSync(0, "utf8")).handler();
        console.log("{}");
      } catch (error) {
        console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message }));
      }`;
    const child = run(process.execPath, ["-e", script], { cwd });
    child.child.stdin?.end(PROVIDER_MODULE);
    return JSON.parse((await child).stdout);
  }

  function project(): string {
    const dir = mkdtempSync(join(tmpdir(), "cf-promotion-module-"));
    dirs.push(dir);
    return dir;
  }

  it("says the package is not installed, and how to install it", async () => {
    const dir = project();
    const failure = await handlerFailure(dir);
    expect(failure.name).toBe("PromotionError");
    expect(failure.code).toBe("PROMOTION_NOT_INSTALLED");
    expect(failure.message).toMatch(
      new RegExp(
        `^\\[PROMOTION_NOT_INSTALLED\\] cannot load cf-deployment-promotion/provider from ${dir}: Cannot find module 'cf-deployment-promotion/provider'`,
      ),
    );
    expect(failure.message).toMatch(
      /; run npm install cf-deployment-promotion in the Pulumi project$/,
    );
  });

  it("says the installed package is older than the stack's text instead of a bare TypeError", async () => {
    const dir = project();
    const older = join(dir, "node_modules", "cf-deployment-promotion");
    mkdirSync(older, { recursive: true });
    writeFileSync(
      join(older, "package.json"),
      JSON.stringify({
        name: "cf-deployment-promotion",
        exports: { "./provider": "./provider.js" },
      }),
    );
    // What 0.1's entry had: its own functions, no createProviderShell.
    writeFileSync(join(older, "provider.js"), "exports.checkPromotion = () => undefined;\n");
    const failure = await handlerFailure(dir);
    expect(failure.code).toBe("PROMOTION_NOT_INSTALLED");
    expect(failure.message).toBe(
      `[PROMOTION_NOT_INSTALLED] cannot load cf-deployment-promotion/provider from ${dir}: the installed one is older than this stack's (no createProviderShell); run npm install cf-deployment-promotion in the Pulumi project`,
    );
  });
});
