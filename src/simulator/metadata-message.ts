import { cfErrors } from "./cf-error.js";
import { metadataKeyError, metadataValueError } from "./metadata-validator-helper.js";
import type { Metadata } from "./model.js";
import { rubyToS } from "./ruby-text.js";

/** A validated metadata update: values as the body gave them, `null` deleting the key. */
export interface MetadataUpdate {
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

const MAX_ANNOTATION_VALUE_SIZE = 5000;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
/** Ruby truthiness: everything but nil and false. */
const truthy = (value: unknown) => value !== undefined && value !== null && value !== false;
/** Rails `present?`: truthy, and not a blank string or an empty array or hash. */
const present = (value: unknown) =>
  truthy(value) &&
  !(typeof value === "string" && /^\s*$/.test(value)) &&
  !(Array.isArray(value) && value.length === 0) &&
  !(isObject(value) && Object.keys(value).length === 0);

/**
 * Ruby's `annotation_value.size`: characters of a string, elements of an array or hash, 8 for an
 * Integer. A float or a boolean has no `size`, and CC answers 500 for it.
 */
function rubySize(value: unknown): number {
  if (typeof value === "string") return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (isObject(value)) return Object.keys(value).length;
  if (Number.isInteger(value)) return 8;
  throw cfErrors.unknownError();
}

function validateLabels(labels: Record<string, unknown>, errors: string[]): void {
  for (const [key, value] of Object.entries(labels)) {
    const keyError = metadataKeyError(key);
    if (keyError !== undefined) errors.push(`Metadata label key error: ${keyError}`);
    const valueError = metadataValueError(rubyToS(value));
    if (valueError !== undefined) errors.push(`Metadata label value error: ${valueError}`);
  }
}

function validateAnnotations(annotations: Record<string, unknown>, errors: string[]): void {
  for (const [key, value] of Object.entries(annotations)) {
    // Only a key with a value is checked: deleting a badly named annotation is allowed.
    const keyError = present(value) ? metadataKeyError(key) : undefined;
    if (keyError !== undefined) errors.push(`Metadata annotation key error: ${keyError}`);
    if (value !== null && rubySize(value) > MAX_ANNOTATION_VALUE_SIZE) {
      const text = [...rubyToS(value)].slice(0, 8).join("");
      errors.push(
        `Metadata annotation value error: '${text}...' is greater than ${MAX_ANNOTATION_VALUE_SIZE} characters`,
      );
    }
  }
}

/**
 * Validates the `metadata` of a create or update body as CC's `MetadataValidator` does
 * (`app/messages/validators/metadata_validator.rb`, run for any body that names `metadata`, even
 * as `null`), appending its messages to `errors` in its order.
 */
export function validateMetadata(
  body: Record<string, unknown>,
  errors: string[],
): MetadataUpdate | undefined {
  if (!("metadata" in body)) return undefined;
  const { metadata } = body;
  if (!isObject(metadata)) {
    errors.push("Metadata must be an object");
    return undefined;
  }
  const unexpected = Object.keys(metadata).filter((k) => k !== "labels" && k !== "annotations");
  if (unexpected.length > 0) {
    errors.push(`Metadata has unexpected field(s): ${unexpected.map((k) => `'${k}'`).join(" ")}`);
  }
  const update: MetadataUpdate = {};
  for (const [kind, check] of [
    ["labels", validateLabels],
    ["annotations", validateAnnotations],
  ] as const) {
    const entries = metadata[kind];
    if (!truthy(entries)) continue;
    if (!isObject(entries)) errors.push(`Metadata '${kind}' is not an object`);
    else {
      check(entries, errors);
      update[kind] = entries;
    }
  }
  return update;
}

/**
 * Applies an update in place as CC's `LabelsUpdate`/`AnnotationsUpdate` do: `null` deletes, any
 * other value is stored as text (Sequel's string typecast, Ruby's `to_s`). That typecast refuses
 * an array or hash annotation value, which CC answers with 500; nothing is changed then.
 */
export function applyMetadata(metadata: Metadata, update: MetadataUpdate | undefined): void {
  const annotations = Object.values(update?.annotations ?? {});
  if (annotations.some((value) => Array.isArray(value) || isObject(value))) {
    throw cfErrors.unknownError();
  }
  for (const kind of ["labels", "annotations"] as const) {
    for (const [key, value] of Object.entries(update?.[kind] ?? {})) {
      if (value === null) delete metadata[kind][key];
      else metadata[kind][key] = rubyToS(value);
    }
  }
}
