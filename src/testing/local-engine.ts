import { isDeepStrictEqual } from "node:util";
import type { Registration, RegistrationResult } from "./capture-program.js";
import { ProviderCallError, type ProviderClient, type ResourceRef } from "./provider-client.js";
import { isRunLocalError, type ProviderStep, RunLocalError } from "./run-local-error.js";
import {
  annotateSecrets,
  markSecretOutputs,
  type PropertyMap,
  revealSecrets,
  secretPropertyNames,
  toProviderProperties,
} from "./secrets.js";
import type { StateFile, StateResource } from "./state-file.js";

/** What happened to a resource (or, in preview, what would). */
export type ResourceOperation =
  /** Created (Create). */
  | "create"
  /** Updated in place (Update). */
  | "update"
  /** Replaced: the new one created and the old one deleted (order per `deleteBeforeReplace`). */
  | "replace"
  /** Unchanged: no Create/Update call. */
  | "same"
  /** Deleted (Delete), or dropped by a refresh that found it gone. */
  | "delete"
  /** Read by a refresh (see `drift`). */
  | "refresh";

/** The provider's diff, as the engine interpreted it. */
export interface DiffSummary {
  /** The provider's answer; `"unknown"` when its `diff` left `changes` unset (or it has no `diff`). */
  changes: "none" | "some" | "unknown";
  /** Properties the provider said force a replacement. */
  replaces: string[];
  deleteBeforeReplace: boolean;
  /**
   * For an `"unknown"` answer, the top-level inputs that differ from the previous inputs (the
   * engine's own comparison, which includes `__provider`).
   */
  changedKeys?: string[];
}

/** One resource's part in a run. Values are plaintext; `__provider` is left out. */
export interface ResourceResult {
  urn: string;
  name: string;
  type: string;
  operation: ResourceOperation;
  /** The resource's id; `undefined` for a create (or replace) in preview. */
  id: string | undefined;
  /** Checked inputs (for a delete: the last recorded inputs). */
  inputs: Record<string, unknown>;
  /**
   * Outputs. In preview, a create, update or replace shows its checked inputs instead (the engine
   * does the same, because the dynamic provider does not support preview); a delete shows the last
   * recorded outputs.
   */
  outputs: Record<string, unknown>;
  /** Top-level output names that are (or contain) secrets. */
  secretOutputNames: string[];
  /** The provider's diff, for a resource that already existed (`up` and `preview`). */
  diff?: DiffSummary;
  /** The resource as recorded before this run (update, replace, same, refresh). */
  previous?: { id: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> };
  /** For a refresh: whether the read changed the id or the outputs. */
  drift?: boolean;
}

/** Options of {@link LocalEngine}. */
export interface LocalEngineOptions {
  client: ProviderClient;
  stateFile: StateFile;
  project: string;
  stack: string;
  /** Check and Diff only; never Create, Update or Delete; never write state. */
  preview: boolean;
  /** Refresh drift from changed outputs instead of the provider's diff (see `refresh`). */
  legacyRefreshDiff?: boolean;
}

const dynamicTypePrefix = "pulumi-nodejs:dynamic";
/** The gRPC status the host answers a provider's own error with (`grpc.status.UNKNOWN`). */
const grpcUnknown = 2;

/**
 * The part of the Pulumi engine that matters for dynamic resources: turns registrations into
 * Check → Diff → Create/Update/replace/same steps against the provider host, deletes what the
 * program no longer declares, refreshes and destroys, and records state after every step (as the
 * engine checkpoints). Mirrors `pkg/resource/deploy/step_generator.go` (`generateSteps`,
 * `continueStepsFromDiff`, `diffResource`, `GenerateDeletes`) for the cases a dynamic provider
 * meets; see the module README for what it leaves out.
 *
 * Registrations are processed one at a time in the order they arrive (program order for
 * independent resources); the engine would run independent steps in parallel.
 */
export class LocalEngine {
  /** Each resource's result, in processing order. */
  readonly results: ResourceResult[] = [];
  /** The first failure; later registrations are refused and no deletes run after it. */
  failure: RunLocalError | undefined;
  private readonly registered = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: LocalEngineOptions) {}

  /** Carries out one registration after every earlier one has finished. */
  register(registration: Registration): Promise<RegistrationResult> {
    // Any failure of a step (not only a provider's) ends the deployment, as in the engine.
    const step = this.queue
      .then(() => this.step(registration))
      .catch((error: unknown) => {
        throw this.fail(error);
      });
    this.queue = step.catch(() => undefined);
    return step;
  }

  /** Refuses every later registration (the run is over). */
  close(): void {
    this.closed = true;
  }

  /**
   * After the program: deletes (in reverse state order) every resource it no longer declares and
   * the old halves of create-before-delete replacements. In preview, reports the deletes only.
   */
  async deleteUnregistered(): Promise<void> {
    const { state } = this.options.stateFile;
    const condemned = state.resources
      .filter((resource) => resource.pendingDelete === true || !this.registered.has(resource.urn))
      .reverse();
    for (const resource of condemned) {
      // The old half of a replacement made in this run is part of that "replace" result.
      const report = !(resource.pendingDelete === true && this.registered.has(resource.urn));
      if (!this.options.preview) await this.delete(resource);
      if (report) this.results.push(result(resource, "delete"));
    }
  }

  /** `pulumi refresh`: Read every resource; an empty id drops it from state. */
  async refresh(): Promise<void> {
    const { state } = this.options.stateFile;
    for (const resource of [...state.resources]) {
      if (resource.pendingDelete === true) continue;
      const read = await this.call(refOf(resource), "read", () =>
        this.options.client.read(
          refOf(resource),
          resource.id,
          toProviderProperties(resource.outputs),
          toProviderProperties(resource.inputs),
        ),
      );
      if (read.id === "") {
        this.remove(resource);
        await this.checkpoint();
        this.results.push(result(resource, "delete"));
        continue;
      }
      // The engine re-marks a read's outputs against the previous outputs (`Read` in
      // provider_plugin.go) and applies additionalSecretOutputs again.
      const refreshed: StateResource = {
        ...resource,
        id: read.id,
        outputs: markSecretOutputs(
          annotateSecrets(read.properties, resource.outputs),
          resource.additionalSecretOutputs ?? [],
        ),
        inputs:
          read.inputs === undefined
            ? resource.inputs
            : annotateSecrets(read.inputs, resource.inputs),
      };
      this.replaceEntry(resource, refreshed);
      await this.checkpoint();
      const drift = read.id !== resource.id || (await this.refreshDrift(resource, refreshed));
      this.results.push({ ...result(refreshed, "refresh", resource), drift });
    }
  }

  /**
   * Whether a refresh changed `resource`. Since CLI 3.120 the engine asks the provider: it calls
   * `diff` with the refreshed outputs as the olds and the recorded inputs as the news, and the
   * resource changed when that diff has changes; an unknown diff compares the inputs
   * (`RefreshStep.Apply` in pkg/resource/deploy/step.go). The legacy way compares the outputs.
   */
  private async refreshDrift(resource: StateResource, refreshed: StateResource): Promise<boolean> {
    if (this.options.legacyRefreshDiff === true) {
      return !isDeepStrictEqual(revealSecrets(resource.outputs), revealSecrets(refreshed.outputs));
    }
    const answer = await this.diff(refOf(refreshed), refreshed, resource.inputs);
    return answer.changes === "some" || (answer.changedKeys ?? []).length > 0;
  }

  /** `pulumi destroy`: Delete every resource, last first, and clear the stack outputs. */
  async destroy(): Promise<void> {
    const { state } = this.options.stateFile;
    for (const resource of [...state.resources].reverse()) {
      await this.delete(resource);
      this.results.push(result(resource, "delete"));
    }
    state.outputs = {};
    await this.checkpoint();
  }

  private async step(registration: Registration): Promise<RegistrationResult> {
    const label = `${registration.type} resource '${registration.name}'`;
    if (this.closed) {
      throw new RunLocalError(`${label} was registered after the program's run ended`, {
        code: "RUN_LOCAL_PROGRAM_FAILED",
      });
    }
    if (this.failure !== undefined) {
      throw new RunLocalError(`${label} was not processed: ${this.failure.message}`, {
        code: this.failure.code,
        cause: this.failure,
      });
    }
    const urn = this.urn(registration);
    if (!registration.custom) return { urn, id: "", outputs: {} };
    if (!registration.type.startsWith(dynamicTypePrefix)) {
      throw new RunLocalError(
        `${label}: runLocal hosts only pulumi.dynamic resources, not ${registration.type} (its provider plugin is not available without the Pulumi CLI)`,
        { code: "RUN_LOCAL_UNSUPPORTED" },
      );
    }
    if (this.registered.has(urn)) {
      throw new RunLocalError(`Duplicate resource URN '${urn}'; try giving it a unique name`, {
        code: "RUN_LOCAL_PROGRAM_FAILED",
      });
    }
    this.registered.add(urn);

    const ref: ResourceRef = { urn, name: registration.name, type: registration.type };
    const old = this.options.stateFile.state.resources.find(
      (resource) => resource.urn === urn && resource.pendingDelete !== true,
    );
    const checked = await this.check(ref, old?.inputs ?? {}, registration.inputs);
    if (old === undefined) return this.create(ref, registration, checked);

    const diff = await this.diff(ref, old, checked);
    const changed =
      diff.changes === "some" ||
      (diff.changes === "unknown" && (diff.changedKeys ?? []).length > 0);
    if (changed && diff.replaces.length > 0) {
      return this.replace(ref, registration, old, diff);
    }
    // A partially initialized resource is updated even without changes, to "continue" its
    // initialization (`hasInitErrors` in continueStepsFromDiff).
    if (changed || (old.initErrors?.length ?? 0) > 0) {
      return this.update(ref, registration, old, checked, diff);
    }
    const same: StateResource = {
      ...old,
      inputs: checked,
      ...optionalList("additionalSecretOutputs", registration.additionalSecretOutputs),
    };
    if (!this.options.preview) {
      this.replaceEntry(old, same);
      await this.checkpoint();
    }
    this.results.push({ ...result(same, "same", old), diff });
    return { urn, id: old.id, outputs: old.outputs };
  }

  private urn(registration: Registration): string {
    // As the engine and the mock monitor build it: the parent's own type is prefixed to the type.
    let type = registration.type;
    if (registration.parent !== "") {
      const parentType = registration.parent.split("::")[2]?.split("$").pop();
      if (parentType !== undefined) type = `${parentType}$${type}`;
    }
    return `urn:pulumi:${this.options.stack}::${this.options.project}::${type}::${registration.name}`;
  }

  /** Check, with the returned inputs re-marked secret against the sent ones (as the engine does). */
  private async check(
    ref: ResourceRef,
    olds: PropertyMap,
    news: PropertyMap,
  ): Promise<PropertyMap> {
    const checked = await this.call(ref, "check", () =>
      this.options.client.check(ref, toProviderProperties(olds), toProviderProperties(news)),
    );
    if (checked.failures.length > 0) {
      const problems = checked.failures.map((failure) =>
        failure.property === ""
          ? `${ref.type} resource '${ref.name}' has a problem: ${failure.reason}`
          : `${ref.type} resource '${ref.name}': property ${failure.property} value ${JSON.stringify(
              checked.inputs[failure.property] ?? null,
            )} has a problem: ${failure.reason}`,
      );
      throw this.fail(
        new RunLocalError(problems.join("\n"), {
          code: "RUN_LOCAL_INVALID_INPUTS",
          urn: ref.urn,
          resourceName: ref.name,
          resourceType: ref.type,
          step: "check",
          failures: checked.failures,
        }),
      );
    }
    return annotateSecrets(checked.inputs, news);
  }

  private async diff(
    ref: ResourceRef,
    old: StateResource,
    checked: PropertyMap,
  ): Promise<DiffSummary> {
    const answer = await this.call(ref, "diff", () =>
      this.options.client.diff(
        ref,
        old.id,
        toProviderProperties(old.outputs),
        toProviderProperties(checked),
        toProviderProperties(old.inputs),
      ),
    );
    if (answer.changes !== "unknown") return answer;
    // "At this point we know that there were changes to the Pulumi inputs, so if the provider
    // returns an unknown diff result" the engine compares old and new inputs itself
    // (`diffResource` in step_generator.go).
    const before = toProviderProperties(old.inputs);
    const after = toProviderProperties(checked);
    const changedKeys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((key) => !isDeepStrictEqual(before[key], after[key]))
      .sort();
    return { ...answer, changedKeys };
  }

  /**
   * Create, or the create half of a replacement. For a create-before-delete replacement
   * (`replacing.deleteAfter`), the old resource is marked for deletion once the new one exists
   * (also after a partial failure), as the engine's CreateStep does; a failed create leaves it as
   * it was.
   */
  private async create(
    ref: ResourceRef,
    registration: Registration,
    checked: PropertyMap,
    replacing?: { old: StateResource; diff: DiffSummary; deleteAfter: boolean },
  ): Promise<RegistrationResult> {
    const operation = replacing === undefined ? "create" : "replace";
    const old = replacing?.old;
    const diff = replacing?.diff;
    const condemnOld = () => {
      if (replacing?.deleteAfter === true) {
        this.replaceEntry(replacing.old, { ...replacing.old, pendingDelete: true });
      }
    };
    const base = {
      urn: ref.urn,
      type: ref.type,
      inputs: checked,
      ...(registration.parent === "" ? {} : { parent: registration.parent }),
      ...optionalList("additionalSecretOutputs", registration.additionalSecretOutputs),
    };
    if (this.options.preview) {
      const planned: StateResource = { ...base, id: "", outputs: checked };
      this.results.push({
        ...result(planned, operation, old),
        id: undefined,
        ...(diff === undefined ? {} : { diff }),
      });
      return { urn: ref.urn, id: "", outputs: checked };
    }
    const created = await this.call(
      ref,
      "create",
      () => this.options.client.create(ref, toProviderProperties(checked)),
      (initFailure) => {
        condemnOld();
        return {
          ...base,
          id: initFailure.id,
          outputs: this.secure(initFailure.properties, checked, registration),
          initErrors: initFailure.reasons,
        };
      },
    );
    if (created.id === "") {
      throw this.fail(
        new RunLocalError(
          `create failed for ${ref.urn}: provider did not return an ID from Create`,
          {
            code: "RUN_LOCAL_RESOURCE_FAILED",
            urn: ref.urn,
            resourceName: ref.name,
            resourceType: ref.type,
            step: "create",
          },
        ),
      );
    }
    const resource: StateResource = {
      ...base,
      id: created.id,
      outputs: this.secure(created.properties, checked, registration),
    };
    condemnOld();
    this.upsert(resource);
    await this.checkpoint();
    this.results.push({
      ...result(resource, operation, old),
      ...(diff === undefined ? {} : { diff }),
    });
    return { urn: ref.urn, id: resource.id, outputs: resource.outputs };
  }

  private async update(
    ref: ResourceRef,
    registration: Registration,
    old: StateResource,
    checked: PropertyMap,
    diff: DiffSummary,
  ): Promise<RegistrationResult> {
    const base: Omit<StateResource, "outputs"> = {
      urn: old.urn,
      type: old.type,
      id: old.id,
      inputs: checked,
      ...(old.parent === undefined ? {} : { parent: old.parent }),
      ...optionalList("additionalSecretOutputs", registration.additionalSecretOutputs),
    };
    if (this.options.preview) {
      this.results.push({ ...result({ ...base, outputs: checked }, "update", old), diff });
      return { urn: ref.urn, id: old.id, outputs: checked };
    }
    const updated = await this.call(
      ref,
      "update",
      () =>
        this.options.client.update(
          ref,
          old.id,
          toProviderProperties(old.outputs),
          toProviderProperties(checked),
          toProviderProperties(old.inputs),
        ),
      (initFailure) => ({
        ...base,
        id: initFailure.id === "" ? old.id : initFailure.id,
        outputs: this.secure(initFailure.properties, checked, registration),
        initErrors: initFailure.reasons,
      }),
    );
    const resource: StateResource = {
      ...base,
      outputs: this.secure(updated.properties, checked, registration),
    };
    this.replaceEntry(old, resource);
    await this.checkpoint();
    this.results.push({ ...result(resource, "update", old), diff });
    return { urn: ref.urn, id: resource.id, outputs: resource.outputs };
  }

  private async replace(
    ref: ResourceRef,
    registration: Registration,
    old: StateResource,
    diff: DiffSummary,
  ): Promise<RegistrationResult> {
    // The engine checks the goal again without the old inputs before a replacement: defaults
    // carried over from the old resource no longer apply.
    const checked = await this.check(ref, {}, registration.inputs);
    const deleteBeforeReplace = registration.deleteBeforeReplace ?? diff.deleteBeforeReplace;
    if (deleteBeforeReplace && !this.options.preview) await this.delete(old);
    // Create before delete: the old one stays in state, marked for deletion after the program.
    return this.create(ref, registration, checked, {
      old,
      diff,
      deleteAfter: !deleteBeforeReplace,
    });
  }

  private async delete(resource: StateResource): Promise<void> {
    const ref = refOf(resource);
    await this.call(ref, "delete", () =>
      this.options.client.delete(
        ref,
        resource.id,
        toProviderProperties(resource.outputs),
        toProviderProperties(resource.inputs),
      ),
    );
    this.remove(resource);
    await this.checkpoint();
  }

  /** Outputs re-marked secret as the engine does after Create/Update. */
  private secure(outputs: PropertyMap, inputs: PropertyMap, registration: Registration) {
    return markSecretOutputs(
      annotateSecrets(outputs, inputs),
      registration.additionalSecretOutputs,
    );
  }

  /**
   * Runs one provider call; a failure becomes the run's {@link RunLocalError}. For a partial
   * failure (`ErrorResourceInitFailed`), `keep` builds the state entry the engine would record,
   * which replaces (or joins) the resource's entry before the error is thrown.
   */
  private async call<T>(
    ref: ResourceRef,
    step: ProviderStep,
    run: () => Promise<T>,
    keep?: (initFailure: {
      id: string;
      properties: PropertyMap;
      reasons: string[];
    }) => StateResource,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ProviderCallError)) throw this.fail(error);
      if (error.grpcCode !== grpcUnknown) {
        // Not an answer from the provider: the host died or the channel broke.
        throw this.fail(
          new RunLocalError(
            `${step} failed for ${ref.urn}: the provider host did not answer (${error.message})`,
            { code: "RUN_LOCAL_HOST_FAILED", cause: error, urn: ref.urn, step },
          ),
        );
      }
      const initFailure = keep === undefined ? undefined : error.initFailure;
      let suffix = "";
      if (initFailure !== undefined && keep !== undefined) {
        const entry = keep(initFailure);
        this.upsert(entry);
        await this.checkpoint();
        suffix = ` (kept in state as partially initialized with id ${JSON.stringify(entry.id)}${
          initFailure.reasons.length > 0 ? `: ${initFailure.reasons.join("; ")}` : ""
        })`;
      }
      const { __provider: _, ...properties } = revealSecrets(
        initFailure?.properties ?? {},
      ) as PropertyMap;
      throw this.fail(
        new RunLocalError(`${step} failed for ${ref.urn}: ${error.message}${suffix}`, {
          code: "RUN_LOCAL_RESOURCE_FAILED",
          cause: error,
          urn: ref.urn,
          resourceName: ref.name,
          resourceType: ref.type,
          step,
          providerMessage: error.message,
          ...(initFailure === undefined
            ? {}
            : { initFailure: { id: initFailure.id, properties, reasons: initFailure.reasons } }),
        }),
      );
    }
  }

  /** Records the run's first failure and returns `error` as a {@link RunLocalError}. */
  private fail(error: unknown): RunLocalError {
    const failure = isRunLocalError(error)
      ? error
      : new RunLocalError(error instanceof Error ? error.message : String(error), {
          code: "RUN_LOCAL_HOST_FAILED",
          cause: error,
        });
    this.failure ??= failure;
    return failure;
  }

  private async checkpoint(): Promise<void> {
    if (!this.options.preview) await this.options.stateFile.save();
  }

  private upsert(resource: StateResource): void {
    const resources = this.options.stateFile.state.resources;
    const index = resources.findIndex(
      (entry) => entry.urn === resource.urn && entry.pendingDelete !== true,
    );
    if (index === -1) resources.push(resource);
    else resources[index] = resource;
  }

  private replaceEntry(old: StateResource, replacement: StateResource): void {
    const resources = this.options.stateFile.state.resources;
    const index = resources.indexOf(old);
    if (index === -1) resources.push(replacement);
    else resources[index] = replacement;
  }

  private remove(resource: StateResource): void {
    const resources = this.options.stateFile.state.resources;
    const index = resources.indexOf(resource);
    if (index !== -1) resources.splice(index, 1);
  }
}

function refOf(resource: StateResource): ResourceRef {
  return { urn: resource.urn, type: resource.type, name: nameOf(resource.urn) };
}

/** The name part of `urn:pulumi:stack::project::type::name`. */
function nameOf(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

function optionalList<K extends string>(key: K, list: string[]): { [P in K]?: string[] } {
  return (list.length > 0 ? { [key]: list } : {}) as { [P in K]?: string[] };
}

function plain(properties: PropertyMap): Record<string, unknown> {
  const { __provider: _, ...rest } = revealSecrets(properties) as PropertyMap;
  return rest;
}

function result(
  resource: StateResource,
  operation: ResourceOperation,
  previous?: StateResource,
): ResourceResult {
  const { __provider: _, ...outputs } = resource.outputs;
  return {
    urn: resource.urn,
    name: nameOf(resource.urn),
    type: resource.type,
    operation,
    id: resource.id,
    inputs: plain(resource.inputs),
    outputs: plain(resource.outputs),
    secretOutputNames: secretPropertyNames(outputs),
    ...(previous === undefined
      ? {}
      : {
          previous: {
            id: previous.id,
            inputs: plain(previous.inputs),
            outputs: plain(previous.outputs),
          },
        }),
  };
}
