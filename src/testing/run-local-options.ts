import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import type { StackProgram } from "./capture-program.js";
import { RunLocalError } from "./run-local-error.js";
import { defaultParallel } from "./step-slots.js";

/** What to run, as the `pulumi` command of the same name. */
export type RunLocalOperation = "up" | "preview" | "refresh" | "destroy";

/** A config value; `{ secret }` marks it secret, as `pulumi config set --secret` does. */
export type ConfigValue = string | { secret: string };

/** Options every operation takes. */
export interface RunLocalCommonOptions {
  /**
   * Project name, as in `Pulumi.yaml`: part of every URN, the namespace of un-namespaced config
   * keys, and `PULUMI_NODEJS_PROJECT` of the host (what a provider's `config.get("key")` uses).
   */
  project: string;
  /** Stack name: part of every URN. */
  stack: string;
  /**
   * Path of the JSON state file (resources and stack outputs); created when missing, written
   * after every step, atomically. Relative paths resolve from `projectDir`.
   */
  stateFile: string;
  /**
   * Stack configuration by key, e.g. `{ "cloudfoundry:apiUrl": url, "cloudfoundry:password":
   * { secret: pw } }`. A key without a namespace gets the project's. The program reads it with
   * `pulumi.Config`, and the provider's `configure` receives all of it (secrets as plaintext), as
   * the engine sends the whole stack config to dynamic providers.
   * @default {}
   */
  config?: Record<string, ConfigValue>;
  /**
   * Directory the provider host runs in. The serialized provider's `require` calls (including a
   * package's own entry points, through its `exports`) resolve from here, as they do from the
   * Pulumi program's directory under the CLI. A string `program` also resolves from here.
   * @default process.cwd()
   */
  projectDir?: string;
  /**
   * Aborts the run: the host is killed, and `runLocal` rejects with `RUN_LOCAL_ABORTED`. Steps
   * completed by then are in the state file.
   * @default undefined (only `timeoutMs` ends a run early)
   */
  signal?: AbortSignal;
  /**
   * Budget for the whole run; when it elapses the host is killed and `runLocal` rejects with
   * `RUN_LOCAL_TIMEOUT`. Steps completed by then are in the state file.
   * @default 600000 (10 minutes)
   */
  timeoutMs?: number;
  /**
   * Budget for the provider host to print its port (the host loads `@pulumi/pulumi` first).
   * @default 30000
   */
  hostStartTimeoutMs?: number;
  /**
   * Called with each line the provider host prints, as it prints it (the lines are also returned
   * in `logs`). `pulumi up` shows these lines as diagnostics.
   * @default undefined
   */
  onLog?: (line: string, stream: "stdout" | "stderr") => void;
  /**
   * Passphrase for the secrets in the state file (AES-256-GCM under a scrypt key, a fresh salt per
   * file). Secrets never reach the file in plaintext; with the default empty passphrase that is
   * obfuscation, not protection, which is enough for a test's state file.
   * @default process.env.PULUMI_CONFIG_PASSPHRASE ?? ""
   */
  secretsPassphrase?: string;
  /**
   * How a refresh decides drift. By default as the CLI does since 3.120: it asks the provider's
   * `diff` whether the refreshed outputs still match the recorded inputs. `true`: outputs that
   * changed are drift, as with `PULUMI_ENABLE_LEGACY_REFRESH_DIFF=true`.
   * @default false
   */
  legacyRefreshDiff?: boolean;
  /**
   * Resource operations run at once, as `pulumi up --parallel`: independent resources are checked,
   * created and updated side by side in one provider host, as under the CLI. `1` runs them one at
   * a time in the order they are registered.
   * @default four per CPU, the CLI's default
   */
  parallel?: number;
}

/** `up` and `preview` run a program. */
export interface RunLocalProgramOptions extends RunLocalCommonOptions {
  operation: "up" | "preview";
  /**
   * The program: a function, or the path (from `projectDir`) of a CommonJS module whose default
   * export or `module.exports` is one.
   */
  program: StackProgram | string;
}

/** `refresh` and `destroy` work from the state file alone, as `pulumi refresh` and `pulumi destroy` do. */
export interface RunLocalStateOptions extends RunLocalCommonOptions {
  operation: "refresh" | "destroy";
  /** Not run (accepted so that one options object can serve every operation). */
  program?: StackProgram | string;
}

export type RunLocalOptions = RunLocalProgramOptions | RunLocalStateOptions;

/** The options with their defaults applied, config keys namespaced and paths absolute. */
export interface NormalizedOptions {
  operation: RunLocalOperation;
  program: StackProgram | string | undefined;
  project: string;
  stack: string;
  stateFile: string;
  config: Record<string, ConfigValue>;
  projectDir: string;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  hostStartTimeoutMs: number;
  onLog: ((line: string, stream: "stdout" | "stderr") => void) | undefined;
  secretsPassphrase: string;
  legacyRefreshDiff: boolean;
  parallel: number;
}

/**
 * Checks every option at once and throws one `RUN_LOCAL_INVALID_OPTIONS` error listing all the
 * problems, so that a caller fixes them in one go.
 */
export function normalizeRunLocalOptions(options: RunLocalOptions): NormalizedOptions {
  const problems: string[] = [];
  const operations: RunLocalOperation[] = ["up", "preview", "refresh", "destroy"];
  if (!operations.includes(options.operation)) {
    problems.push(`operation must be one of ${operations.join(", ")}`);
  }
  for (const key of ["project", "stack", "stateFile"] as const) {
    if (typeof options[key] !== "string" || options[key] === "") {
      problems.push(`${key} must be a non-empty string`);
    }
  }
  const program = options.program;
  if (
    (options.operation === "up" || options.operation === "preview") &&
    typeof program !== "function" &&
    (typeof program !== "string" || program === "")
  ) {
    problems.push(`program (a function or a module path) is required for ${options.operation}`);
  }
  const timeoutMs = options.timeoutMs ?? 600_000;
  const hostStartTimeoutMs = options.hostStartTimeoutMs ?? 30_000;
  for (const [key, value] of [
    ["timeoutMs", timeoutMs],
    ["hostStartTimeoutMs", hostStartTimeoutMs],
  ] as const) {
    if (!Number.isFinite(value) || value <= 0) problems.push(`${key} must be a positive number`);
  }
  const parallel = options.parallel ?? defaultParallel();
  if (!Number.isSafeInteger(parallel) || parallel < 1) {
    problems.push("parallel must be a whole number of at least 1");
  }
  const config: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(options.config ?? {})) {
    const isSecretValue =
      typeof value === "object" && value !== null && typeof value.secret === "string";
    if (typeof value !== "string" && !isSecretValue) {
      problems.push(`config["${key}"] must be a string or { secret: string }`);
      continue;
    }
    config[key.includes(":") ? key : `${options.project}:${key}`] = value;
  }
  if (problems.length > 0) {
    throw new RunLocalError(`invalid runLocal options: ${problems.join("; ")}`, {
      code: "RUN_LOCAL_INVALID_OPTIONS",
    });
  }
  const projectDir = resolve(options.projectDir ?? process.cwd());
  return {
    operation: options.operation,
    program,
    project: options.project,
    stack: options.stack,
    stateFile: isAbsolute(options.stateFile)
      ? options.stateFile
      : resolve(projectDir, options.stateFile),
    config,
    projectDir,
    signal: options.signal,
    timeoutMs,
    hostStartTimeoutMs,
    onLog: options.onLog,
    secretsPassphrase: options.secretsPassphrase ?? process.env["PULUMI_CONFIG_PASSPHRASE"] ?? "",
    legacyRefreshDiff: options.legacyRefreshDiff ?? false,
    parallel,
  };
}

/** The `program` option as a function: itself, or the export of the CommonJS module it names. */
export function loadProgram(
  program: StackProgram | string | undefined,
  projectDir: string,
): StackProgram {
  if (typeof program === "function") return program;
  const path = resolve(projectDir, program ?? "");
  let loaded: unknown;
  try {
    loaded = createRequire(join(projectDir, "noop.js"))(path);
  } catch (error) {
    throw new RunLocalError(`cannot load the program module ${path}: ${(error as Error).message}`, {
      code: "RUN_LOCAL_INVALID_OPTIONS",
      cause: error,
    });
  }
  const candidate =
    typeof loaded === "function" ? loaded : (loaded as { default?: unknown } | null)?.default;
  if (typeof candidate !== "function") {
    throw new RunLocalError(
      `the program module ${path} exports no function (as default export or module.exports)`,
      { code: "RUN_LOCAL_INVALID_OPTIONS" },
    );
  }
  return candidate as StackProgram;
}
