import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { RunLocalError } from "./run-local-error.js";

export interface ProviderHostOptions {
  /** Working directory of the host: the serialized provider's `require` calls resolve from here. */
  projectDir: string;
  /** Project name, exported as `PULUMI_PROJECT` and `PULUMI_NODEJS_PROJECT`. */
  project: string;
  /** Plaintext `pulumi-nodejs:*` config the engine passes as `PULUMI_CONFIG`. */
  nodejsConfig: Record<string, string>;
  /** Called with each line the host prints after its port line. */
  onLog?: ((line: string, stream: "stdout" | "stderr") => void) | undefined;
  /** How long to wait for the port line. */
  startTimeoutMs: number;
}

export interface ProviderHost {
  readonly pid: number;
  readonly port: number;
  /** Every line the host printed after its port line, stdout and stderr, in arrival order. */
  readonly logs: string[];
  /** Settles when the host exits (for whatever reason) with a description of how it ended. */
  readonly exited: Promise<string>;
  /** Kills the host's whole process group and waits until its pipes are drained and closed. */
  stop(): Promise<void>;
}

/**
 * Resolves the host's entry as the `pulumi-resource-pulumi-nodejs` shim does: `@pulumi/pulumi`
 * as seen from the project directory, so the host is the SDK version the program was built with;
 * failing that, the one this harness runs with.
 */
function resolveHostEntry(projectDir: string): string {
  const entry = "@pulumi/pulumi/cmd/dynamic-provider/index.js";
  try {
    return createRequire(join(projectDir, "noop.js")).resolve(entry);
  } catch {
    return require.resolve(entry);
  }
}

/**
 * Starts the dynamic-provider host as the engine launches a plugin (`ExecPlugin` in
 * `sdk/go/common/resource/plugin/plugin.go`): in the project directory, with an engine address
 * argument it never dials, in its own process group, and reads the port from its first stdout
 * line. This spawns the shim's target directly with this process's Node (the shim would take
 * `node` from PATH and not `exec` it, leaving a grandchild behind).
 */
export function startProviderHost(options: ProviderHostOptions): Promise<ProviderHost> {
  const child = spawn(process.execPath, [resolveHostEntry(options.projectDir), "127.0.0.1:1"], {
    cwd: options.projectDir,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PULUMI_PROJECT: options.project,
      PULUMI_NODEJS_PROJECT: options.project,
      PULUMI_CONFIG: JSON.stringify(options.nodejsConfig),
    },
  });
  const pid = child.pid;
  if (pid === undefined) {
    return Promise.reject(
      new RunLocalError("cannot start the Pulumi dynamic-provider host", {
        code: "RUN_LOCAL_HOST_FAILED",
      }),
    );
  }
  const killGroup = () => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // ESRCH: the group is already gone.
    }
  };
  // A test runner that exits while a run is in flight must not leave the host behind, nor may a
  // run that is interrupted: the host runs in its own process group, so a Ctrl-C or a SIGTERM of
  // this process never reaches it, and it would go on promoting with nobody recording it.
  function onSignal(signal: NodeJS.Signals) {
    killGroup();
    unwatch();
    // Die of the signal as if nobody had listened, unless someone else handles it.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  }
  function unwatch() {
    process.off("exit", killGroup);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  process.on("exit", killGroup);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const logs: string[] = [];
  const early: string[] = [];
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const exited = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) =>
      resolve(signal === null ? `exited with code ${code}` : `was killed by ${signal}`),
    );
  });

  return new Promise<ProviderHost>((resolve, reject) => {
    let port: number | undefined;
    const fail = (message: string) => {
      clearTimeout(timer);
      killGroup();
      unwatch();
      const stderr = early.length > 0 ? `\n${early.join("\n")}` : "";
      reject(new RunLocalError(`${message}${stderr}`, { code: "RUN_LOCAL_HOST_FAILED" }));
    };
    const timer = setTimeout(
      () => fail(`the provider host printed no port within ${options.startTimeoutMs} ms`),
      options.startTimeoutMs,
    );
    const onLine = (line: string, stream: "stdout" | "stderr") => {
      if (port === undefined && stream === "stdout") {
        const parsed = Number(line.trim());
        if (!Number.isInteger(parsed) || parsed <= 0) {
          fail(`the provider host printed "${line}" instead of its port`);
          return;
        }
        port = parsed;
        clearTimeout(timer);
        resolve({
          pid,
          port,
          logs,
          exited,
          async stop() {
            killGroup();
            unwatch();
            await closed;
          },
        });
        return;
      }
      if (port === undefined) {
        early.push(line);
        return;
      }
      logs.push(line);
      options.onLog?.(line, stream);
    };
    readLines(child, "stdout", onLine);
    readLines(child, "stderr", onLine);
    child.once("error", (error) => fail(`cannot start the provider host: ${error.message}`));
    void exited.then((how) => {
      if (port === undefined) fail(`the provider host ${how} before printing its port`);
    });
  });
}

function readLines(
  child: ChildProcess,
  stream: "stdout" | "stderr",
  onLine: (line: string, stream: "stdout" | "stderr") => void,
): void {
  const source = child[stream];
  if (source === null) return;
  source.setEncoding("utf8");
  let partial = "";
  source.on("data", (chunk: string) => {
    const parts = `${partial}${chunk}`.split("\n");
    partial = parts.pop() ?? "";
    for (const part of parts) onLine(part.replace(/\r$/, ""), stream);
  });
  source.on("end", () => {
    if (partial !== "") onLine(partial, stream);
    partial = "";
  });
}
