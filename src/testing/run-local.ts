import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { abortable } from "../abortable.js";
import { runProgramUnderMocks, type StackProgram } from "./capture-program.js";
import { LocalEngine } from "./local-engine.js";
import { connectProviderClient, type ProviderClient } from "./provider-client.js";
import { type ProviderHost, startProviderHost } from "./provider-host.js";
import type { ResourceResult } from "./resource-result.js";
import { isRunLocalError, RunLocalError } from "./run-local-error.js";
import {
  makeSecret,
  type PropertyMap,
  revealSecrets,
  secretPropertyNames,
  withoutResourceReferences,
} from "./secrets.js";
import { openStateFile } from "./state-file.js";

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

/** Options of {@link runLocal}. */
export type RunLocalOptions = RunLocalProgramOptions | RunLocalStateOptions;

/** What a run did. Values are plaintext; see `secretOutputNames` for what is secret. */
export interface RunLocalResult {
  operation: RunLocalOperation;
  /**
   * Stack outputs: the program's returned object (for `refresh`, the recorded ones; for
   * `destroy`, none). In preview, values not known yet are the unknown sentinel
   * (`unknownValue`). A resource returned as an output becomes its id (its URN for a component).
   */
  outputs: Record<string, unknown>;
  /** Top-level stack output names that are (or contain) secrets. */
  secretOutputNames: string[];
  /** Each resource's part, in processing order (deletes last). */
  resources: ResourceResult[];
  /** The provider host's printed lines (stdout and stderr) after its port line, in order. */
  logs: string[];
}

interface NormalizedOptions {
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
}

/**
 * Runs a Pulumi program (or a refresh or destroy of its state) without the Pulumi CLI, against the
 * real dynamic-provider host of `@pulumi/pulumi`: the program runs in this process under
 * `pulumi.runtime.setMocks`, its dynamic resources' serialized providers are sent over gRPC to a
 * `pulumi-resource-pulumi-nodejs` host started for the run, and a small engine makes the calls
 * `pulumi` would (Configure, Check, Diff, Create, Update, Read, Delete), keeping state in a JSON
 * file. A test harness: production runs use the `pulumi` CLI.
 *
 * Rejects with a {@link RunLocalError}: for a failed resource, with the provider's message, the
 * resource's URN and name, and for a partial failure the id and outputs it was kept in state with.
 *
 * The Pulumi runtime is process-global, so calls in one process run one after another (a call
 * made while another runs waits for it). After a call the runtime stays in mock mode.
 */
export function runLocal(options: RunLocalOptions): Promise<RunLocalResult> {
  let normalized: NormalizedOptions;
  try {
    normalized = normalizeRunLocalOptions(options);
  } catch (error) {
    return Promise.reject(error);
  }
  return exclusively(() => execute(normalized));
}

async function execute(options: NormalizedOptions): Promise<RunLocalResult> {
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new Error(`runLocal timed out after ${options.timeoutMs} ms`)),
    options.timeoutMs,
  );
  const signal =
    options.signal === undefined
      ? timeout.signal
      : AbortSignal.any([options.signal, timeout.signal]);
  const stopReason = () =>
    timeout.signal.aborted && options.signal?.aborted !== true
      ? new RunLocalError(`runLocal timed out after ${options.timeoutMs} ms`, {
          code: "RUN_LOCAL_TIMEOUT",
          cause: timeout.signal.reason,
        })
      : new RunLocalError("runLocal was aborted", {
          code: "RUN_LOCAL_ABORTED",
          cause: signal.reason,
        });

  let host: ProviderHost | undefined;
  let client: ProviderClient | undefined;
  let engine: LocalEngine | undefined;
  let hostEnded: string | undefined;
  const killHost = () => void host?.stop();
  try {
    if (signal.aborted) throw stopReason();
    // The host takes the better part of a second to load @pulumi/pulumi: read state meanwhile.
    const starting = startProviderHost({
      projectDir: options.projectDir,
      project: options.project,
      nodejsConfig: nodejsConfig(options.config),
      onLog: options.onLog,
      startTimeoutMs: options.hostStartTimeoutMs,
    });
    const [stateFile, started] = await Promise.allSettled([
      openStateFile(options.stateFile, {
        project: options.project,
        stack: options.stack,
        passphrase: options.secretsPassphrase,
      }),
      starting,
    ]);
    // Set before anything can throw, so that `finally` stops a host that did start.
    if (started.status === "fulfilled") host = started.value;
    if (stateFile.status === "rejected") throw stateFile.reason;
    if (started.status === "rejected") throw started.reason;
    void started.value.exited.then((how) => {
      hostEnded = how;
    });
    // Aborting kills the host at once, so that an in-flight provider call fails instead of
    // running to its end.
    signal.addEventListener("abort", killHost, { once: true });
    if (signal.aborted) throw stopReason();
    client = await abortable(connectProviderClient(started.value.port, 10_000), signal).catch(
      (error: unknown) => {
        throw hostFailure("cannot connect to the provider host", error);
      },
    );
    // Always first, with the whole config: a provider with `configure` fails on a CRUD call
    // without it (reference §2.1).
    await abortable(client.configure(configureArgs(options.config)), signal).catch(
      (error: unknown) => {
        throw hostFailure("the provider host refused Configure", error);
      },
    );

    engine = new LocalEngine({
      client,
      stateFile: stateFile.value,
      project: options.project,
      stack: options.stack,
      preview: options.operation === "preview",
      legacyRefreshDiff: options.legacyRefreshDiff,
    });
    let outputs: PropertyMap;
    switch (options.operation) {
      case "up":
      case "preview": {
        const activeEngine = engine;
        outputs = await runProgramUnderMocks({
          program: loadProgram(options.program, options.projectDir),
          project: options.project,
          stack: options.stack,
          preview: options.operation === "preview",
          config: programConfig(options.config),
          register: (registration) => activeEngine.register(registration),
          signal,
        });
        outputs = withoutResourceReferences(outputs) as PropertyMap;
        engine.close();
        await abortable(engine.deleteUnregistered(), signal);
        if (options.operation === "up") {
          stateFile.value.state.outputs = outputs;
          await stateFile.value.save();
        }
        break;
      }
      case "refresh":
        await abortable(engine.refresh(), signal);
        outputs = stateFile.value.state.outputs;
        break;
      case "destroy":
        await abortable(engine.destroy(), signal);
        outputs = {};
        break;
    }
    return {
      operation: options.operation,
      outputs: revealSecrets(outputs) as Record<string, unknown>,
      secretOutputNames: secretPropertyNames(outputs),
      resources: engine.results,
      // The host's own array: `finally` below stops the host and drains its pipes before the
      // caller sees it, so it is complete by then.
      logs: started.value.logs,
    };
  } catch (error) {
    let failure: RunLocalError;
    if (signal.aborted) failure = stopReason();
    else if (engine?.failure !== undefined) failure = engine.failure;
    else if (isRunLocalError(error)) failure = error;
    else {
      const message = error instanceof Error ? error.message : String(error);
      failure = new RunLocalError(`the program failed: ${message}`, {
        code: "RUN_LOCAL_PROGRAM_FAILED",
        cause: error,
      });
    }
    if (failure.code === "RUN_LOCAL_HOST_FAILED" && hostEnded !== undefined) {
      failure.message += ` (the provider host ${hostEnded})`;
    }
    failure.logs = host?.logs ?? [];
    throw failure;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", killHost);
    engine?.close();
    client?.close();
    await host?.stop();
  }
}

function hostFailure(message: string, cause: unknown): RunLocalError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new RunLocalError(`${message}: ${detail}`, { code: "RUN_LOCAL_HOST_FAILED", cause });
}

function normalizeRunLocalOptions(options: RunLocalOptions): NormalizedOptions {
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
  };
}

function loadProgram(program: StackProgram | string | undefined, projectDir: string): StackProgram {
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

/** The `Configure` arguments: every key, secrets wrapped (the host unwraps them). */
function configureArgs(config: Record<string, ConfigValue>): PropertyMap {
  const args: PropertyMap = {};
  for (const [key, value] of Object.entries(config)) {
    args[key] = typeof value === "string" ? value : makeSecret(value.secret);
  }
  return args;
}

function programConfig(config: Record<string, ConfigValue>) {
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    values[key] = typeof value === "string" ? value : value.secret;
    if (typeof value !== "string") secretKeys.push(key);
  }
  return { values, secretKeys };
}

/** `PULUMI_CONFIG` of the host: only the `pulumi-nodejs:` keys (`pkg/host/host.go`). */
function nodejsConfig(config: Record<string, ConfigValue>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith("pulumi-nodejs:")) {
      result[key] = typeof value === "string" ? value : value.secret;
    }
  }
  return result;
}

const queueKey = Symbol.for("cf-deployment-promotion/testing/runLocal");

/**
 * Runs calls one after another, process-wide: `setMocks` and the config are global, and this
 * module may be loaded twice (from source and from `dist/`), hence a global symbol.
 */
function exclusively<T>(run: () => Promise<T>): Promise<T> {
  const holder = globalThis as unknown as Record<symbol, Promise<unknown> | undefined>;
  const previous = holder[queueKey] ?? Promise.resolve();
  const next = previous.then(run, run);
  holder[queueKey] = next.catch(() => undefined);
  return next;
}
