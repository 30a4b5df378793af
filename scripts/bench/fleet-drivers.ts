/**
 * The two ways the fleet benchmark runs one `up` of a stack of promotions through one provider
 * host: the real `pulumi` CLI (`.tools/bin`, local file backend, a JavaScript program whose
 * `node_modules` links this repository's built package and its dependencies), or `runLocal`.
 * Each returns the promotions' recorded outputs, whatever the `up` ended with.
 */
import { spawn } from "node:child_process";
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { runLocal } from "cf-deployment-promotion/testing";
import { sampleHostMemory } from "./host-memory.js";

export const REPO_ROOT = resolve(__dirname, "..", "..", "..");
const CLI_DIR = join(REPO_ROOT, ".tools", "bin");
const PASSPHRASE = "fleet-bench-passphrase";
const PROJECT = "promotion-fleet-bench";

/** One promotion of the stack. */
export interface FleetMember {
  app: string;
  toStep: number;
}

/** What the stack asks of the Cloud Controller, and how to log in. */
export interface FleetTarget {
  apiUrl: string;
  org: string;
  space: string;
  user: string;
  password: string;
  members: readonly FleetMember[];
}

/** What one `up` did: its wall time, the host's peak memory, each promotion's recorded outputs. */
export interface FleetUp {
  driver: "pulumi CLI" | "runLocal";
  ok: boolean;
  wallMs: number;
  peakRssMb: number;
  /** The recorded outputs of the promotions the `up` reported as done (no init errors). */
  outputs: Array<Record<string, unknown>>;
  /** The end of the `up`'s output when it failed. */
  failure?: string;
}

/** A resource in a checkpoint: a failed create is kept with the reasons it failed. */
interface RecordedResource {
  outputs?: Record<string, unknown>;
  initErrors?: string[];
}

export function pulumiCliAvailable(): boolean {
  try {
    for (const tool of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
      accessSync(join(CLI_DIR, tool), constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * What a stack declares: the promotions, or (`floor`) as many dynamic resources with the same
 * inputs and a provider that does nothing, to measure what the CLI itself needs for that many.
 */
export type FleetProgram = "promotions" | "floor";

/**
 * The program, in JavaScript so the CLI runs it without a TypeScript compile, as an exported
 * function: the CLI's language host calls it, and `runLocal` takes only that form.
 */
function programText(target: FleetTarget, program: FleetProgram): string {
  if (program === "floor") {
    return `const pulumi = require("@pulumi/pulumi");
const provider = { async create(inputs) { return { id: inputs.appName, outs: inputs }; } };
module.exports = () => {
  for (const { app, toStep } of ${JSON.stringify(target.members)}) {
    new pulumi.dynamic.Resource(provider, app, {
      appName: app,
      orgName: ${JSON.stringify(target.org)},
      spaceName: ${JSON.stringify(target.space)},
      toStep,
    });
  }
};
`;
  }
  return `const { DeploymentPromotion } = require("cf-deployment-promotion");
module.exports = () => {
  for (const { app, toStep } of ${JSON.stringify(target.members)}) {
    new DeploymentPromotion(app, {
      appName: app,
      orgName: ${JSON.stringify(target.org)},
      spaceName: ${JSON.stringify(target.space)},
      toStep,
    });
  }
};
`;
}

/** A scratch project: Pulumi.yaml, the program, and `node_modules` linked to this repository's. */
function scratchProject(target: FleetTarget, program: FleetProgram = "promotions"): string {
  const dir = mkdtempSync(join(tmpdir(), "cf-promotion-fleet-"));
  writeFileSync(join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\nmain: index.js\n`);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: PROJECT, main: "index.js" }));
  writeFileSync(join(dir, "index.js"), programText(target, program));
  mkdirSync(join(dir, "node_modules"));
  // Node resolves a linked package's own imports from its real path: one copy of @pulumi/pulumi.
  symlinkSync(REPO_ROOT, join(dir, "node_modules", "cf-deployment-promotion"), "dir");
  symlinkSync(
    join(REPO_ROOT, "node_modules", "@pulumi"),
    join(dir, "node_modules", "@pulumi"),
    "dir",
  );
  mkdirSync(join(dir, "state"));
  return dir;
}

/** Runs the CLI in its own process group, killed whole after `timeoutMs`; resolves to its output. */
function pulumi(
  dir: string,
  env: NodeJS.ProcessEnv,
  args: string[],
  timeoutMs: number,
  onStart: (pid: number) => void = () => undefined,
): Promise<{ code: number | null; stdout: string; output: string }> {
  const child = spawn(join(CLI_DIR, "pulumi"), [...args, "--non-interactive"], {
    cwd: dir,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid !== undefined) onStart(child.pid);
  let output = "";
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  const timer = setTimeout(killGroup, timeoutMs);
  return new Promise((resolvePromise, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      killGroup();
      resolvePromise({ code, stdout, output });
    });
  });
}

/** `pulumi up --skip-preview [--parallel n]` of a new stack on a local file backend. */
export async function upWithCli(
  target: FleetTarget,
  parallel: number | undefined,
  timeoutMs: number,
  program: FleetProgram = "promotions",
): Promise<FleetUp> {
  const dir = scratchProject(target, program);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("CF_") && !k.startsWith("PULUMI_")),
  );
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    PATH: [CLI_DIR, join(REPO_ROOT, "node_modules", ".bin"), process.env["PATH"] ?? ""].join(
      delimiter,
    ),
    PULUMI_HOME: join(dir, "home"),
    PULUMI_BACKEND_URL: `file://${join(dir, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    CF_HOME: join(dir, "cf-home"),
    // The provider reads its connection from CF_* when the stack has no cloudfoundry:* config.
    CF_API_URL: target.apiUrl,
    CF_USER: target.user,
    CF_PASSWORD: target.password,
    NO_COLOR: "1",
  };
  try {
    const init = await pulumi(
      dir,
      env,
      ["stack", "init", "dev", "--secrets-provider", "passphrase"],
      60_000,
    );
    if (init.code !== 0) throw new Error(`pulumi stack init failed: ${init.output}`);
    let memory: ReturnType<typeof sampleHostMemory> | undefined;
    const started = performance.now();
    const flags = parallel === undefined ? [] : ["--parallel", String(parallel)];
    const up = await pulumi(
      dir,
      env,
      ["up", "--yes", "--skip-preview", ...flags],
      timeoutMs,
      (pid) => {
        memory = sampleHostMemory(pid);
      },
    );
    const wallMs = Math.round(performance.now() - started);
    const peakRssMb = memory?.stop() ?? 0;
    const exported = await pulumi(dir, env, ["stack", "export"], 60_000);
    const state = JSON.parse(exported.stdout) as {
      deployment: { resources?: Array<RecordedResource & { type: string }> };
    };
    const outputs = (state.deployment.resources ?? [])
      .filter((r) => r.type.endsWith(":DeploymentPromotion") && r.initErrors === undefined)
      .map((r) => r.outputs ?? {});
    return {
      driver: "pulumi CLI",
      ok: up.code === 0,
      wallMs,
      peakRssMb,
      outputs,
      ...(up.code === 0 ? {} : { failure: up.output.slice(-2000) }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same stack through `runLocal` (the real provider host, no CLI). */
export async function upWithRunLocal(
  target: FleetTarget,
  parallel: number | undefined,
  timeoutMs: number,
): Promise<FleetUp> {
  const dir = scratchProject(target);
  const stateFile = join(dir, "state", "fleet.json");
  const memory = sampleHostMemory(process.pid);
  const started = performance.now();
  let failure: string | undefined;
  try {
    await runLocal({
      operation: "up",
      project: PROJECT,
      stack: "dev",
      stateFile,
      projectDir: dir,
      program: join(dir, "index.js"),
      config: {
        "cloudfoundry:apiUrl": target.apiUrl,
        "cloudfoundry:user": target.user,
        "cloudfoundry:password": { secret: target.password },
      },
      timeoutMs,
      ...(parallel === undefined ? {} : { parallel }),
    });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  const wallMs = Math.round(performance.now() - started);
  const peakRssMb = memory.stop();
  try {
    // No state file: the run failed before its first step.
    const stored = (
      existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, "utf8")) : { resources: [] }
    ) as { resources: RecordedResource[] };
    return {
      driver: "runLocal",
      ok: failure === undefined,
      wallMs,
      peakRssMb,
      outputs: stored.resources
        .filter((r) => r.initErrors === undefined)
        .map((r) => r.outputs ?? {}),
      ...(failure === undefined ? {} : { failure }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
