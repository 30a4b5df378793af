import { isDeepStrictEqual } from "node:util";
import type { Registration, RegistrationResult } from "./capture-program.js";
import { ProviderCallError, type ProviderClient, type ResourceRef } from "./provider-client.js";
import {
  hostSilentError,
  invalidInputsError,
  missingIdError,
  providerFailedError,
} from "./resource-failure.js";
import { type DiffSummary, type ResourceResult, resourceResult } from "./resource-result.js";
import { refOf, urnOf } from "./resource-urn.js";
import { isRunLocalError, type ProviderStep, RunLocalError } from "./run-local-error.js";
import {
  annotateSecrets,
  markSecretOutputs,
  type PropertyMap,
  revealSecrets,
  toProviderProperties,
} from "./secrets.js";
import type { StateFile, StateResource } from "./state-file.js";
import { changedInputKeys, decideStep, diffHasChanges } from "./step-decision.js";
import { createStepSlots, type StepSlots } from "./step-slots.js";

export interface LocalEngineOptions {
  client: ProviderClient;
  stateFile: StateFile;
  project: string;
  stack: string;
  /** Check and Diff only; never Create, Update or Delete; never write state. */
  preview: boolean;
  /** Refresh drift from changed outputs instead of the provider's diff (see `refresh`). */
  legacyRefreshDiff?: boolean;
  /** Resource operations run at once, as `pulumi up --parallel`. */
  parallel: number;
}

type InitFailureAnswer = NonNullable<ProviderCallError["initFailure"]>;

const dynamicTypePrefix = "pulumi-nodejs:dynamic";
/** The gRPC status the host answers a provider's own error with (`grpc.status.UNKNOWN`). */
const grpcUnknown = 2;

/**
 * The part of the Pulumi engine that matters for dynamic resources: turns registrations into
 * Check → Diff → Create/Update/replace/same steps against the provider host, deletes what the
 * program no longer declares, refreshes and destroys, and records state after every step (as the
 * engine checkpoints). Mirrors `pkg/resource/deploy/step_generator.go` (`generateSteps`,
 * `continueStepsFromDiff`, `diffResource`, `GenerateDeletes`) for the cases a dynamic provider
 * meets (the README says what it leaves out). Registrations run as they arrive, up to `parallel`
 * at once, as the engine's step executor runs them; one that needs another's outputs arrives
 * only once they are known, since the SDK resolves inputs before it registers.
 */
export class LocalEngine {
  /** Each resource's result, as steps finish (see `inRegistrationOrder`). */
  readonly results: ResourceResult[] = [];
  /** The first failure; later registrations are refused and no deletes run after it. */
  failure: RunLocalError | undefined;
  /** URNs registered by the program, in the order it registered them. */
  readonly registered = new Set<string>();
  private readonly slots: StepSlots;
  private closed = false;

  constructor(private readonly options: LocalEngineOptions) {
    this.slots = createStepSlots(options.parallel);
  }

  /** Carries out one registration once a slot is free. */
  register(registration: Registration): Promise<RegistrationResult> {
    // Any failure of a step (not only a provider's) ends the deployment, as in the engine.
    return this.slots.run(() =>
      this.step(registration).catch((error: unknown) => {
        throw this.fail(error);
      }),
    );
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
      if (report) this.results.push(resourceResult(resource, "delete"));
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
        this.options.stateFile.remove(resource);
        await this.checkpoint();
        this.results.push(resourceResult(resource, "delete"));
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
      this.options.stateFile.replace(resource, refreshed);
      await this.checkpoint();
      const drift = read.id !== resource.id || (await this.refreshDrift(resource, refreshed));
      this.results.push({ ...resourceResult(refreshed, "refresh", resource), drift });
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
    return diffHasChanges(answer);
  }

  /** `pulumi destroy`: Delete every resource, last first, and clear the stack outputs. */
  async destroy(): Promise<void> {
    const { state } = this.options.stateFile;
    for (const resource of [...state.resources].reverse()) {
      await this.delete(resource);
      this.results.push(resourceResult(resource, "delete"));
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
    const urn = urnOf(registration, this.options.project, this.options.stack);
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
    const decision = decideStep(diff, old.initErrors);
    if (decision === "replace") return this.replace(ref, registration, old, diff);
    if (decision === "update") return this.update(ref, registration, old, checked, diff);
    const same: StateResource = {
      ...old,
      inputs: checked,
      ...optionalList("additionalSecretOutputs", registration.additionalSecretOutputs),
    };
    if (!this.options.preview) {
      this.options.stateFile.replace(old, same);
      await this.checkpoint();
    }
    this.results.push({ ...resourceResult(same, "same", old), diff });
    return { urn, id: old.id, outputs: old.outputs };
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
      throw this.fail(invalidInputsError(ref, news, checked.inputs, checked.failures));
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
    return { ...answer, changedKeys: changedInputKeys(old.inputs, checked) };
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
        this.options.stateFile.replace(replacing.old, { ...replacing.old, pendingDelete: true });
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
        ...resourceResult(planned, operation, old),
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
    if (created.id === "") throw this.fail(missingIdError(ref));
    const resource: StateResource = {
      ...base,
      id: created.id,
      outputs: this.secure(created.properties, checked, registration),
    };
    condemnOld();
    this.options.stateFile.upsert(resource);
    await this.checkpoint();
    this.results.push({
      ...resourceResult(resource, operation, old),
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
      this.results.push({ ...resourceResult({ ...base, outputs: checked }, "update", old), diff });
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
    this.options.stateFile.replace(old, resource);
    await this.checkpoint();
    this.results.push({ ...resourceResult(resource, "update", old), diff });
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
    this.options.stateFile.remove(resource);
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
    keep?: (initFailure: InitFailureAnswer) => StateResource,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ProviderCallError)) throw this.fail(error);
      // Not an answer from the provider: the host died or the channel broke.
      if (error.grpcCode !== grpcUnknown) throw this.fail(hostSilentError(ref, step, error));
      const initFailure = error.initFailure;
      if (keep === undefined || initFailure === undefined) {
        throw this.fail(providerFailedError(ref, step, error));
      }
      const entry = keep(initFailure);
      this.options.stateFile.upsert(entry);
      await this.checkpoint();
      throw this.fail(providerFailedError(ref, step, error, { id: entry.id, initFailure }));
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
}

function optionalList<K extends string>(key: K, list: string[]): { [P in K]?: string[] } {
  return (list.length > 0 ? { [key]: list } : {}) as { [P in K]?: string[] };
}
