import { CloudFoundryConfigError } from "./errors.js";

/**
 * `prefix/<guid>suffix` with the guid URL-encoded. An empty guid is refused before anything is
 * sent: `/v3/apps/` would be the list endpoint, not an app.
 */
export function guidPath(prefix: string, guid: string, suffix = ""): string {
  if (typeof guid !== "string" || guid.trim() === "") {
    throw new CloudFoundryConfigError(
      `A non-empty guid is required for ${prefix}/:guid${suffix}.`,
      { setting: "guid" },
    );
  }
  return `${prefix}/${encodeURIComponent(guid)}${suffix}`;
}
