import type { Metadata } from "./model.js";

/** A metadata update: label/annotation values, `null` deleting the key. */
export interface MetadataUpdate {
  labels?: Record<string, string | null>;
  annotations?: Record<string, string | null>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Validates the `metadata` of a create or update body (CC `metadata_base_message.rb`, simplified:
 * objects of string-or-null values under `labels` and `annotations`). Appends CC-style messages.
 */
export function validateMetadata(value: unknown, errors: string[]): MetadataUpdate | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    errors.push("Metadata must be an object");
    return undefined;
  }
  const unknown = Object.keys(value).filter((k) => k !== "labels" && k !== "annotations");
  if (unknown.length > 0) errors.push(`Metadata has unsupported key(s): ${unknown.join(", ")}`);
  const update: MetadataUpdate = {};
  for (const kind of ["labels", "annotations"] as const) {
    const entries = value[kind];
    if (entries === undefined) continue;
    if (
      !isObject(entries) ||
      !Object.values(entries).every((v) => v === null || typeof v === "string")
    ) {
      errors.push(`Metadata ${kind} must be an object of strings`);
      continue;
    }
    update[kind] = entries as Record<string, string | null>;
  }
  return update;
}

/** Applies an update in place: new values overwrite, `null` deletes. */
export function applyMetadata(metadata: Metadata, update: MetadataUpdate | undefined): void {
  for (const kind of ["labels", "annotations"] as const) {
    for (const [key, value] of Object.entries(update?.[kind] ?? {})) {
      if (value === null) delete metadata[kind][key];
      else metadata[kind][key] = value;
    }
  }
}
