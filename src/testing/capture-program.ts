import { setTimeout as delay, setImmediate as nextMacrotask } from "node:timers/promises";
import * as pulumi from "@pulumi/pulumi";
import { abortable } from "../shared/abortable.js";
import { RunLocalError } from "./run-local-error.js";
import type { PropertyMap } from "./secrets.js";

/**
 * A Pulumi program: constructs resources and returns the stack outputs (an object of plain
 * values, `Output`s and promises), like the body of a Pulumi TypeScript program's `index.ts` whose
 * exports are the outputs.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: `async () => { new Resource(…) }` must fit.
export type StackProgram = () => Promise<StackOutputs | void> | StackOutputs | void;

/** A program's stack outputs: values, `Output`s or promises by name. */
export type StackOutputs = Record<string, unknown>;

/** How long an aborted run waits for the program's outstanding registrations to fail. */
const abortGraceMs = 5_000;

/** One `RegisterResource` request, as the engine receives it. */
export interface Registration {
  type: string;
  name: string;
  /** URN of the parent resource, `""` for none. */
  parent: string;
  /** False for component resources. */
  custom: boolean;
  /**
   * The inputs exactly as the engine receives them: secrets wrapped, unknown values (preview) as
   * the unknown sentinel, resource references as references, `__provider` as the serialized
   * provider module.
   */
  inputs: PropertyMap;
  /** The `additionalSecretOutputs` resource option. */
  additionalSecretOutputs: string[];
  /** The `deleteBeforeReplace` resource option, `undefined` when not given. */
  deleteBeforeReplace: boolean | undefined;
}

/** What the engine answers a registration with. */
export interface RegistrationResult {
  urn: string;
  /** `""` while unknown (a create in preview). */
  id: string;
  /** Outputs in the wire format: secrets wrapped, unknowns as the sentinel. */
  outputs: PropertyMap;
}

export interface ProgramRunOptions {
  program: StackProgram;
  project: string;
  stack: string;
  preview: boolean;
  /** Stack config by namespaced key, plaintext, and the keys that are secret. */
  config: { values: Record<string, string>; secretKeys: string[] };
  /** Carries out one registration; its result is what the program's resource resolves to. */
  register(registration: Registration): Promise<RegistrationResult>;
  signal: AbortSignal;
}

/**
 * Runs a program in this process under `pulumi.runtime.setMocks`, handing every resource
 * registration to `register`, and resolves to the stack outputs in the wire format once every
 * registration has finished.
 *
 * `setMocks` only exposes deserialized inputs; the mock monitor's `registerResource` is wrapped to
 * read the raw request instead, which carries what the engine gets (the unknown sentinel, resource
 * references) and the options the mock API drops (`additionalSecretOutputs`, `deleteBeforeReplace`).
 *
 * Serialization errors (e.g. a provider that captures something the closure serializer cannot
 * handle) surface under mocks only as unhandled promise rejections, so while the program runs this
 * function takes over `unhandledRejection` (other listeners are detached and put back afterwards)
 * and rethrows the first one.
 */
export async function runProgramUnderMocks(options: ProgramRunOptions): Promise<PropertyMap> {
  const unhandled: unknown[] = [];
  // The first error raised by the harness itself (a failed resource, an unsupported feature):
  // the program and the SDK usually fail after it, as a consequence, with vaguer messages.
  let ownError: unknown;
  const own = (error: unknown) => {
    ownError ??= error;
    return error;
  };
  const collect = (reason: unknown) => {
    unhandled.push(reason);
  };
  const listeners = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", collect);
  try {
    pulumi.runtime.setAllConfig(options.config.values, options.config.secretKeys);
    let handoff: Registration | undefined;
    await pulumi.runtime.setMocks(
      {
        async newResource(args) {
          const registration = handoff;
          handoff = undefined;
          if (
            registration === undefined ||
            registration.type !== args.type ||
            registration.name !== args.name
          ) {
            throw own(
              unsupported(
                `${args.type} resource '${args.name}' is read with Resource.get; runLocal does not support reads`,
              ),
            );
          }
          const result = await options.register(registration).catch((error: unknown) => {
            throw own(error);
          });
          return { id: result.id === "" ? undefined : result.id, state: result.outputs };
        },
        call(args) {
          throw own(unsupported(`runLocal does not support invokes (${args.token})`));
        },
      },
      options.project,
      options.stack,
      options.preview,
    );
    wrapMonitor(
      (registration) => {
        handoff = registration;
      },
      (error) => own(error),
    );

    let outputs: PropertyMap | undefined;
    let programError: unknown;
    try {
      const returned = await abortable(Promise.resolve(options.program()), options.signal);
      outputs = await abortable(
        pulumi.runtime.serializeProperties("outputs", returned ?? {}),
        options.signal,
      );
    } catch (error) {
      programError = error;
    }
    // The language host waits for every outstanding registration before it disconnects
    // (`disconnect` in `runtime/settings.ts`); so do we, even when the program failed: their
    // failures must land in our listener, not in the test runner's. After an abort the host is
    // gone and they fail at once; the grace period only bounds a program stuck on its own.
    try {
      await abortable(waitForRPCs(), options.signal);
    } catch {
      await Promise.race([waitForRPCs(), delay(abortGraceMs, undefined, { ref: false })]);
    }
    // Unhandled rejections are reported after the microtask queue drains.
    await nextMacrotask();
    await nextMacrotask();
    if (ownError !== undefined) throw ownError;
    if (programError !== undefined) throw programError;
    if (unhandled.length > 0) throw unhandled[0];
    return outputs ?? {};
  } finally {
    process.off("unhandledRejection", collect);
    for (const listener of listeners) process.on("unhandledRejection", listener);
  }
}

function unsupported(message: string): RunLocalError {
  return new RunLocalError(message, { code: "RUN_LOCAL_UNSUPPORTED" });
}

interface RawRegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getAdditionalsecretoutputsList(): string[];
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getImportid(): string;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
}

type RegisterResource = (request: RawRegisterRequest, callback: unknown) => unknown;

/**
 * Wraps the mock monitor's `registerResource` to hand the raw request to `capture` right before
 * the mock calls `newResource` (which it does synchronously, before its first `await`).
 */
function wrapMonitor(
  capture: (registration: Registration) => void,
  fail: (error: unknown) => unknown,
): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as
    | { registerResource: RegisterResource }
    | undefined;
  if (monitor === undefined || typeof monitor.registerResource !== "function") {
    throw new Error("runLocal: @pulumi/pulumi's mock monitor has no registerResource");
  }
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    try {
      capture(toRegistration(request));
    } catch (error) {
      throw fail(error);
    }
    return original(request, callback);
  };
}

function toRegistration(request: RawRegisterRequest): Registration {
  const label = `${request.getType()} resource '${request.getName()}'`;
  if (request.getImportid() !== "") {
    throw unsupported(`${label} has an import id; runLocal does not support imports`);
  }
  const ignored = [
    request.getIgnorechangesList().length > 0 ? "ignoreChanges" : undefined,
    request.getReplaceonchangesList().length > 0 ? "replaceOnChanges" : undefined,
    request.getProtect() === true ? "protect" : undefined,
    request.getRetainondelete() === true ? "retainOnDelete" : undefined,
  ].filter((option) => option !== undefined);
  if (ignored.length > 0) {
    throw unsupported(`${label} sets ${ignored.join(", ")}, which runLocal does not emulate`);
  }
  return {
    type: request.getType(),
    name: request.getName(),
    parent: request.getParent(),
    custom: request.getCustom(),
    inputs: request.getObject()?.toJavaScript() ?? {},
    additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
    deleteBeforeReplace: request.getDeletebeforereplacedefined()
      ? request.getDeletebeforereplace()
      : undefined,
  };
}

/** `waitForRPCs` is internal to `@pulumi/pulumi` (no typings) but exported from `runtime`. */
function waitForRPCs(): Promise<void> {
  const wait = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  if (typeof wait !== "function") {
    throw new Error("runLocal: @pulumi/pulumi's runtime has no waitForRPCs");
  }
  return wait();
}
