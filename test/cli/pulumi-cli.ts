import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const repoRoot = path.resolve(__dirname, "..", "..");

const PLUGINS = ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The directory holding a usable `pulumi` CLI with its Node.js language host and the dynamic
 * provider shim: `.tools/bin` (what `npm run tools` builds), else the first such directory on
 * `PATH`. `undefined` when there is none.
 */
export function findPulumiCliDir(searchPath = process.env["PATH"] ?? ""): string | undefined {
  const candidates = [path.join(repoRoot, ".tools", "bin"), ...searchPath.split(path.delimiter)];
  return candidates.find(
    (dir) =>
      dir !== "" &&
      isExecutable(path.join(dir, "pulumi")) &&
      PLUGINS.every((plugin) => isExecutable(path.join(dir, plugin))),
  );
}

/** The PATH a user of this project runs the CLI with: the CLI, then the project's Node 22. */
export function cliPath(cliDir: string): string {
  return [cliDir, path.join(repoRoot, "node_modules", ".bin"), process.env["PATH"] ?? ""].join(
    path.delimiter,
  );
}

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout then stderr, for assertions that do not care which stream a line went to. */
  output: string;
}

export interface RunningCommand {
  readonly child: import("node:child_process").ChildProcess;
  /** Resolves when the process has exited. */
  readonly done: Promise<CommandResult>;
  /** Everything printed so far (stdout and stderr interleaved as they arrived). */
  printed(): string;
}

/**
 * Starts a command in its own process group and collects its output. The whole group is killed
 * after `timeoutMs`, so no plugin process (language host, provider host, node) outlives a test.
 */
export function startCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): RunningCommand {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  let both = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    both += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    both += chunk.toString();
  });
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  const timer = setTimeout(killGroup, options.timeoutMs);
  const done = new Promise<CommandResult>((resolve, reject) => {
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      // Plugins the CLI started and did not end (it should) go with the group.
      killGroup();
      resolve({ code, signal, stdout, stderr, output: `${stdout}\n${stderr}` });
    });
  });
  return { child, done, printed: () => both };
}

/** A scratch directory under the OS temp directory, removed by {@link removeScratch}. */
export function makeScratch(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cf-promotion-${prefix}-`));
}

export function removeScratch(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
