/**
 * Property values in Pulumi's wire format, and the two things the engine does to them around a
 * dynamic provider: strip secrets (and resource references) before sending, re-mark secrets after.
 *
 * The dynamic-provider host answers `Configure` with `acceptSecrets: false` and
 * `acceptResources: false` (`cmd/dynamic-provider/index.ts` in `@pulumi/pulumi`), so the engine
 * sends plain values and re-annotates the results itself (`annotateSecrets` in
 * `sdk/go/common/resource/plugin/provider_plugin.go`, PR #13260). The signatures below are the ones
 * of `sdk/nodejs/runtime/rpc.ts`.
 */

import { UNKNOWN_VALUE } from "../provider/unknown-value.js";

/** Key of the signature property that marks a special value (secret, resource reference, asset). */
export const specialSigKey = "4dabf18193072939515e22adb298388d";
/** Signature of a secret: `{ [specialSigKey]: secretSig, value }`. */
export const secretSig = "1b47061264138c4ac30d75fd1eb44270";
/** Signature of a resource reference: `{ [specialSigKey]: resourceSig, urn, id? }`. */
export const resourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
/**
 * The string that stands for an unknown value (a preview's not-yet-known output). Providers see it
 * verbatim in `check` and `diff`; `runLocal` reports it verbatim in preview results.
 */
export const unknownValue = UNKNOWN_VALUE;

/** A resource's property bag: plain JSON values, possibly with secret wrappers. */
export type PropertyMap = Record<string, unknown>;

/** A secret-wrapped value in the wire format. */
export interface SecretValue {
  [specialSigKey]: typeof secretSig;
  value: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Wraps `value` as a secret (idempotent). */
export function makeSecret(value: unknown): SecretValue {
  if (isSecret(value)) return value;
  return { [specialSigKey]: secretSig, value };
}

export function isSecret(value: unknown): value is SecretValue {
  return isRecord(value) && value[specialSigKey] === secretSig;
}

/** Whether `value` is, or contains anywhere, a secret wrapper. */
export function containsSecrets(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecrets);
  if (isRecord(value)) return Object.values(value).some(containsSecrets);
  return false;
}

/**
 * The value as the engine sends it to a provider that accepts neither secrets nor resources:
 * secret wrappers removed, and resource references downgraded to the custom resource's id (unknown
 * while it has none) or the component's urn (`plugin.MarshalProperties` with `KeepSecrets: false,
 * KeepResources: false`).
 */
export function toProviderValue(value: unknown): unknown {
  return transform(value, { keepSecrets: false });
}

/** The value with resource references downgraded as in {@link toProviderValue}, secrets kept. */
export function withoutResourceReferences(value: unknown): unknown {
  return transform(value, { keepSecrets: true });
}

function transform(value: unknown, options: { keepSecrets: boolean }): unknown {
  if (isSecret(value)) {
    const inner = transform(value.value, options);
    return options.keepSecrets ? makeSecret(inner) : inner;
  }
  if (Array.isArray(value)) return value.map((inner) => transform(inner, options));
  if (isRecord(value)) {
    if (value[specialSigKey] === resourceSig) {
      if ("id" in value) {
        const id = value["id"];
        return typeof id === "string" && id !== "" ? id : unknownValue;
      }
      return value["urn"];
    }
    const result: PropertyMap = {};
    for (const [key, inner] of Object.entries(value)) result[key] = transform(inner, options);
    return result;
  }
  return value;
}

/** {@link toProviderValue} for a whole property map. */
export function toProviderProperties(properties: PropertyMap): PropertyMap {
  return toProviderValue(properties) as PropertyMap;
}

/**
 * Marks each output secret whose same-named input contains a secret, recursing where both are
 * objects: the engine's `annotateSecrets`. Derived outputs under other names are not marked; that
 * is what the `additionalSecretOutputs` resource option is for. Returns a new map.
 */
export function annotateSecrets(outputs: PropertyMap, inputs: PropertyMap): PropertyMap {
  const result: PropertyMap = { ...outputs };
  for (const [key, input] of Object.entries(inputs)) {
    if (!(key in result)) continue;
    const output = result[key];
    const plainInput = isSecret(input) ? undefined : input;
    if (isRecord(output) && !isSecret(output) && isRecord(plainInput)) {
      result[key] = annotateSecrets(output, plainInput);
    } else if (!isSecret(output) && containsSecrets(input)) {
      result[key] = makeSecret(output);
    }
  }
  return result;
}

/**
 * Marks the named top-level outputs secret, as the engine applies the `additionalSecretOutputs`
 * resource option after a step (`pkg/resource/deploy/step_executor.go`). Returns a new map.
 */
export function markSecretOutputs(outputs: PropertyMap, names: readonly string[]): PropertyMap {
  const result: PropertyMap = { ...outputs };
  for (const name of names) {
    if (name in result) result[name] = makeSecret(result[name]);
  }
  return result;
}

/** Removes every secret wrapper, keeping the plaintext (for results a test asserts on). */
export function revealSecrets(value: unknown): unknown {
  if (isSecret(value)) return revealSecrets(value.value);
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (isRecord(value)) {
    const result: PropertyMap = {};
    for (const [key, inner] of Object.entries(value)) result[key] = revealSecrets(inner);
    return result;
  }
  return value;
}

/** The top-level names whose values are or contain secrets, sorted. */
export function secretPropertyNames(properties: PropertyMap): string[] {
  return Object.keys(properties)
    .filter((key) => containsSecrets(properties[key]))
    .sort();
}
