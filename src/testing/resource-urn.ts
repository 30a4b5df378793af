import type { Registration } from "./capture-program.js";
import type { ResourceRef } from "./provider-client.js";
import type { StateResource } from "./state-file.js";

/**
 * The URN of a registration, as the engine and the mock monitor build it: the parent's own type is
 * prefixed to the type.
 */
export function urnOf(
  registration: Pick<Registration, "type" | "name" | "parent">,
  project: string,
  stack: string,
): string {
  let type = registration.type;
  if (registration.parent !== "") {
    const parentType = registration.parent.split("::")[2]?.split("$").pop();
    if (parentType !== undefined) type = `${parentType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${type}::${registration.name}`;
}

/** The name part of `urn:pulumi:stack::project::type::name`. */
export function nameOf(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

/** How a recorded resource is named in provider calls. */
export function refOf(resource: StateResource): ResourceRef {
  return { urn: resource.urn, type: resource.type, name: nameOf(resource.urn) };
}
