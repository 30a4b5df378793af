import { abortable } from "../shared/abortable.js";
import { runProgramUnderMocks } from "./capture-program.js";
import { LocalEngine } from "./local-engine.js";
import { connectProviderClient, type ProviderClient } from "./provider-client.js";
import { type ProviderHost, startProviderHost } from "./provider-host.js";
import { inRegistrationOrder, type ResourceResult } from "./resource-result.js";
import { isRunLocalError, RunLocalError } from "./run-local-error.js";
import {
  loadProgram,
  type NormalizedOptions,
  normalizeRunLocalOptions,
  type RunLocalOperation,
  type RunLocalOptions,
} from "./run-local-options.js";
import {
  type PropertyMap,
  revealSecrets,
  secretPropertyNames,
  withoutResourceReferences,
} from "./secrets.js";
import { configureArgs, nodejsConfig, programConfig } from "./stack-config.js";
import { openStateFile } from "./state-file.js";

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
    // Always first, with the whole config: the host configures a provider on its first CRUD call
    // with the config Configure stored, and fails without it (`getProvider` in @pulumi/pulumi
    // cmd/dynamic-provider/index.ts).
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
      parallel: options.parallel,
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
      resources: inRegistrationOrder(engine.results, engine.registered),
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
      failure = failure.withHostExit(hostEnded);
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
