import * as fs from "node:fs";
import * as path from "node:path";
import type { CommandResult, RunningCommand } from "./pulumi-cli.js";
import {
  cliPath,
  findPulumiCliDir,
  makeScratch,
  removeScratch,
  repoRoot,
  startCommand,
} from "./pulumi-cli.js";

export const PASSPHRASE = "cli-suite-passphrase";

/** A generous bound per CLI command: ts-node type-checks the program on every run. */
const COMMAND_TIMEOUT_MS = 240_000;

export interface PulumiStack {
  readonly projectDir: string;
  readonly stack: string;
  readonly env: NodeJS.ProcessEnv;
  /** Runs `pulumi <args> --non-interactive` in the project directory. */
  pulumi(args: readonly string[], options?: { env?: NodeJS.ProcessEnv }): Promise<CommandResult>;
  /** Like {@link pulumi}, but returns at once with the running process. */
  start(args: readonly string[]): RunningCommand;
  /** `pulumi config set` for each entry; keys ending in `password` or `Secret` are secrets. */
  setConfig(config: Record<string, string>): Promise<void>;
  /** The checkpoint (`pulumi stack export`), parsed. */
  exportState(): Promise<StackExport>;
  /** Removes the backend, the home and the stack's config file (or the whole project, if owned). */
  dispose(): void;
}

export interface StackExport {
  deployment: {
    resources?: Array<{
      urn: string;
      type: string;
      id?: string;
      inputs?: Record<string, unknown>;
      outputs?: Record<string, unknown>;
    }>;
    pending_operations?: Array<{ type: string; resource: { urn: string } }>;
  };
}

/**
 * A stack of the project in `projectDir`, with everything the CLI touches isolated: its own
 * `PULUMI_HOME`, a local file backend, passphrase secrets, no update check, no plugin downloads,
 * no cf CLI login and no `CF_*` variables from the machine, and the project's Node 22 first on
 * PATH after the CLI.
 */
export async function createPulumiStack(
  projectDir: string,
  options: {
    stack?: string;
    removeProject?: boolean;
    /** Appends every command and its output to test-results/cli-transcripts/<name>.log. */
    transcript?: string;
  } = {},
): Promise<PulumiStack> {
  const cliDir = findPulumiCliDir();
  if (cliDir === undefined) throw new Error("no pulumi CLI: run npm run tools");
  const scratch = makeScratch("pulumi-home");
  const stack = options.stack ?? "dev";
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith("CF_") && !key.startsWith("PULUMI_"),
    ),
  );
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    PATH: cliPath(cliDir),
    PULUMI_HOME: path.join(scratch, "home"),
    PULUMI_BACKEND_URL: `file://${path.join(scratch, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    CF_HOME: path.join(scratch, "cf-home"),
    NO_COLOR: "1",
  };
  fs.mkdirSync(path.join(scratch, "state"), { recursive: true });

  const start = (args: readonly string[], extra: NodeJS.ProcessEnv = {}) =>
    startCommand(path.join(cliDir, "pulumi"), [...args, "--non-interactive"], {
      cwd: projectDir,
      env: { ...env, ...extra },
      timeoutMs: COMMAND_TIMEOUT_MS,
    });
  const transcript =
    options.transcript === undefined
      ? undefined
      : path.join(repoRoot, "test-results", "cli-transcripts", `${options.transcript}.log`);
  if (transcript !== undefined) {
    fs.mkdirSync(path.dirname(transcript), { recursive: true });
    fs.writeFileSync(transcript, "");
  }
  const record = (args: readonly string[], result: CommandResult) => {
    if (transcript === undefined) return;
    fs.appendFileSync(transcript, `$ pulumi ${args.join(" ")}\n${result.stdout}${result.stderr}\n`);
  };
  const startRecorded = (args: readonly string[], extra?: NodeJS.ProcessEnv) => {
    const running = start(args, extra);
    void running.done.then((result) => record(args, result)).catch(() => undefined);
    return running;
  };
  const pulumi = (args: readonly string[], opts: { env?: NodeJS.ProcessEnv } = {}) =>
    startRecorded(args, opts.env).done;
  const must = async (args: readonly string[]) => {
    const result = await pulumi(args);
    if (result.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} failed (${result.code}):\n${result.output}`);
    }
    return result;
  };

  await must(["stack", "init", stack, "--secrets-provider", "passphrase"]);
  return {
    projectDir,
    stack,
    env,
    pulumi,
    start: (args) => startRecorded(args),
    async setConfig(config) {
      for (const [key, value] of Object.entries(config)) {
        const secret = /(password|Secret)$/.test(key) ? ["--secret"] : [];
        await must(["config", "set", key, value, ...secret]);
      }
    },
    async exportState() {
      return JSON.parse((await must(["stack", "export", "--show-secrets=false"])).stdout);
    },
    dispose() {
      removeScratch(scratch);
      if (options.removeProject) removeScratch(projectDir);
      else fs.rmSync(path.join(projectDir, `Pulumi.${stack}.yaml`), { force: true });
    },
  };
}

/** The resources of one type in an exported stack. */
export function resourcesOfType(state: StackExport, type: string) {
  return (state.deployment.resources ?? []).filter((resource) => resource.type === type);
}

export const PROMOTION_TYPE = "pulumi-nodejs:dynamic/cloudfoundry:DeploymentPromotion";
