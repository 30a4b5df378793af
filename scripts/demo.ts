/**
 * `npm run demo`: the main job, end to end, on this machine.
 *
 * 1. Starts the Cloud Controller simulator with its default seed: app `web` has a canary
 *    deployment (steps 25/50/75) that pauses at step 1.
 * 2. Runs the basic example program (`examples/promote-web`) against it, which declares a
 *    `DeploymentPromotion` of `web` all the way to DEPLOYED:
 *    - with the real `pulumi` CLI when one is on PATH (local file backend, no login, no prompts);
 *    - otherwise through `runLocal`, which drives the real Pulumi provider host over gRPC.
 * 3. Prints the provider's progress lines, then the promotion's outputs
 *    (`--json`: one JSON line at the end). Exits non-zero when the promotion fails.
 *
 * `--app NAME` promotes another seeded app instead (`api` has no deployment, so it shows a failure).
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type SimulatorHandle, startSimulator } from "cf-deployment-promotion/simulator";
import { runLocal } from "cf-deployment-promotion/testing";

/** The project name of the top-level Pulumi.yaml, whose config namespace the example reads. */
const PROJECT = "cf-deployment-promotion";
const STACK = "demo";
const repoRoot = path.resolve(__dirname, "..", "..");
const asJson = process.argv.includes("--json");
const appFlag = process.argv.indexOf("--app");
const appName = appFlag >= 0 ? (process.argv[appFlag + 1] ?? "") : "web";

function say(line: string): void {
  // Progress goes to stderr under --json so stdout ends with exactly one JSON line.
  (asJson ? process.stderr : process.stdout).write(`${line}\n`);
}

function stackConfig(sim: SimulatorHandle): Record<string, string> {
  const developer = sim.users["developer"];
  if (!developer) throw new Error("the simulator's default seed has no 'developer' user");
  return {
    "cloudfoundry:apiUrl": sim.url,
    "cloudfoundry:user": developer.username,
    "cloudfoundry:password": developer.password,
    [`${PROJECT}:org`]: sim.org.name,
    [`${PROJECT}:space`]: sim.space.name,
    [`${PROJECT}:app`]: appName,
    [`${PROJECT}:pollIntervalSeconds`]: "0.2",
  };
}

function pulumiOnPath(): boolean {
  const probe = spawnSync("pulumi", ["version"], { stdio: "ignore" });
  return probe.status === 0;
}

/**
 * Runs the example with the real CLI in a throwaway local backend (and a throwaway stack config
 * file, so the repository is left as it was); returns the stack outputs. The CLI runs as a child
 * process without blocking: the simulator answers it from this process.
 */
async function runWithPulumiCli(sim: SimulatorHandle): Promise<Record<string, unknown>> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "cf-promotion-demo-"));
  const configFile = path.join(home, `Pulumi.${STACK}.yaml`);
  const env = {
    ...process.env,
    PULUMI_HOME: path.join(home, ".pulumi"),
    PULUMI_BACKEND_URL: `file://${home}`,
    PULUMI_CONFIG_PASSPHRASE: "demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  const pulumi = (args: string[], capture = false) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn("pulumi", [...args, "--non-interactive"], {
        cwd: repoRoot,
        env,
        stdio: ["ignore", capture ? "pipe" : asJson ? 2 : "inherit", "inherit"],
      });
      let stdout = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.on("error", reject);
      child.on("close", (code) => {
        if (code === 0) resolve(stdout);
        else reject(new Error(`pulumi ${args.join(" ")} failed (exit ${code})`));
      });
    });
  try {
    // `stack init` writes the passphrase's salt to Pulumi.<stack>.yaml beside Pulumi.yaml; keep
    // that file with the throwaway backend instead.
    const written = path.join(repoRoot, `Pulumi.${STACK}.yaml`);
    const existed = fs.existsSync(written);
    await pulumi(["stack", "init", STACK]);
    if (!existed && fs.existsSync(written)) fs.renameSync(written, configFile);
    for (const [key, value] of Object.entries(stackConfig(sim))) {
      const secret = key.endsWith(":password") ? ["--secret"] : [];
      await pulumi(["config", "set", key, value, ...secret, "--config-file", configFile]);
    }
    await pulumi(["up", "--yes", "--skip-preview", "--config-file", configFile]);
    return JSON.parse(await pulumi(["stack", "output", "--json", "--show-secrets"], true));
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function runWithHarness(sim: SimulatorHandle): Promise<Record<string, unknown>> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-promotion-demo-"));
  const config: Record<string, string | { secret: string }> = stackConfig(sim);
  config["cloudfoundry:password"] = { secret: String(config["cloudfoundry:password"]) };
  const result = await runLocal({
    operation: "up",
    // The example compiled by `tsc -p tsconfig.scripts.json` (CommonJS, `export =` its program).
    program: path.join(repoRoot, "build", "examples", "promote-web", "index.js"),
    project: PROJECT,
    stack: STACK,
    config,
    stateFile: path.join(stateDir, "state.json"),
    projectDir: repoRoot,
    onLog: (line: string) => say(`  ${line}`),
  });
  return result.outputs;
}

async function main(): Promise<void> {
  const sim = await startSimulator({ tickMs: 250 });
  try {
    const deployment = sim.deployments[appName] ?? "none";
    say(`Cloud Controller simulator at ${sim.url}: app ${appName}, deployment ${deployment}`);
    const viaCli = pulumiOnPath();
    say(
      viaCli
        ? "Running `pulumi up` with the pulumi CLI found on PATH (local file backend)…"
        : "No pulumi CLI on PATH: running the program through runLocal and the real Pulumi provider host…",
    );
    const outputs = viaCli ? await runWithPulumiCli(sim) : await runWithHarness(sim);
    if (asJson) {
      process.stdout.write(`${JSON.stringify(outputs)}\n`);
    } else {
      say("Promotion outputs:");
      say(JSON.stringify(outputs, null, 2));
    }
  } finally {
    await sim.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
