import { bounded } from "../shared/bounded-text.js";
import type { ProviderCallError, ResourceRef } from "./provider-client.js";
import { type CheckFailure, type ProviderStep, RunLocalError } from "./run-local-error.js";
import { containsSecrets, type PropertyMap, revealSecrets } from "./secrets.js";

/** The longest stretch of an input value a check failure repeats. */
const VALUE_ECHO_LIMIT = 80;

/**
 * The failures a provider's `check` returned, one line each, as `pulumi up` prints them: an
 * input the program sent as a secret shows as `[secret]` (the provider returns it unmarked), any
 * other value cut to a readable length.
 */
export function invalidInputsError(
  ref: ResourceRef,
  sent: PropertyMap,
  inputs: PropertyMap,
  failures: CheckFailure[],
): RunLocalError {
  const shownValue = (property: string) =>
    containsSecrets(sent[property])
      ? "[secret]"
      : bounded(JSON.stringify(inputs[property] ?? null), VALUE_ECHO_LIMIT);
  const problems = failures.map((failure) =>
    failure.property === ""
      ? `${ref.type} resource '${ref.name}' has a problem: ${failure.reason}`
      : `${ref.type} resource '${ref.name}': property ${failure.property} value ${shownValue(failure.property)} has a problem: ${failure.reason}`,
  );
  return new RunLocalError(problems.join("\n"), {
    code: "RUN_LOCAL_INVALID_INPUTS",
    urn: ref.urn,
    resourceName: ref.name,
    resourceType: ref.type,
    step: "check",
    failures,
  });
}

/** A provider's Create that succeeded without an id, which the engine refuses. */
export function missingIdError(ref: ResourceRef): RunLocalError {
  return new RunLocalError(
    `create failed for ${ref.urn}: provider did not return an ID from Create`,
    {
      code: "RUN_LOCAL_RESOURCE_FAILED",
      urn: ref.urn,
      resourceName: ref.name,
      resourceType: ref.type,
      step: "create",
    },
  );
}

/** A call that no provider answered: the host died or the channel broke. */
export function hostSilentError(
  ref: ResourceRef,
  step: ProviderStep,
  error: ProviderCallError,
): RunLocalError {
  return new RunLocalError(
    `${step} failed for ${ref.urn}: the provider host did not answer (${error.message})`,
    { code: "RUN_LOCAL_HOST_FAILED", cause: error, urn: ref.urn, step },
  );
}

/**
 * A call the provider failed. `kept` is set after a partial failure whose resource was kept in
 * state: its entry's id (for an update without an id, the old one) and the provider's details.
 */
export function providerFailedError(
  ref: ResourceRef,
  step: ProviderStep,
  error: ProviderCallError,
  kept?: { id: string; initFailure: NonNullable<ProviderCallError["initFailure"]> },
): RunLocalError {
  const initFailure = kept?.initFailure;
  const keptNote =
    kept === undefined
      ? ""
      : ` (kept in state as partially initialized with id ${JSON.stringify(kept.id)}${
          kept.initFailure.reasons.length > 0 ? `: ${kept.initFailure.reasons.join("; ")}` : ""
        })`;
  const { __provider: _, ...properties } = revealSecrets(
    initFailure?.properties ?? {},
  ) as PropertyMap;
  return new RunLocalError(`${step} failed for ${ref.urn}: ${error.message}${keptNote}`, {
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
  });
}
