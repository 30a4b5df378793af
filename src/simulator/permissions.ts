import { cfErrors } from "./cf-error.js";
import type { OrgRole, Space, SpaceRole } from "./model.js";
import type { Store } from "./store.js";
import type { Principal } from "./token-service.js";

/**
 * Role checks after CC `lib/cloud_controller/permissions.rb`. Global roles come from token scopes
 * (`lib/cloud_controller/roles.rb`), space and org roles from the actor's grants.
 */
export class Permissions {
  constructor(
    private readonly store: Store,
    private readonly principal: Principal,
  ) {}

  /** `cloud_controller.admin`. */
  get isAdmin(): boolean {
    return this.principal.scopes.has("cloud_controller.admin");
  }

  /** Admin, admin-read-only or global auditor: may read everything. */
  get canReadGlobally(): boolean {
    const s = this.principal.scopes;
    return (
      this.isAdmin ||
      s.has("cloud_controller.admin_read_only") ||
      s.has("cloud_controller.global_auditor")
    );
  }

  /** Whether the token carries `cloud_controller.read` (or a global reading role). */
  get hasReadScope(): boolean {
    return this.canReadGlobally || this.principal.scopes.has("cloud_controller.read");
  }

  /** Whether the token may write at all (`check_write_permissions!`). */
  get hasWriteScope(): boolean {
    return this.isAdmin || this.principal.scopes.has("cloud_controller.write");
  }

  private spaceRoles(spaceGuid: string): Set<SpaceRole> {
    const roles = new Set<SpaceRole>();
    for (const grant of this.principal.actor.roles) {
      if ("spaceGuid" in grant && grant.spaceGuid === spaceGuid) roles.add(grant.type);
    }
    return roles;
  }

  private orgRoles(orgGuid: string): Set<OrgRole> {
    const roles = new Set<OrgRole>();
    for (const grant of this.principal.actor.roles) {
      if ("orgGuid" in grant && grant.orgGuid === orgGuid) roles.add(grant.type);
    }
    return roles;
  }

  /** `ROLES_FOR_SPACE_READING`: any space role, or org manager of the space's org. */
  canReadSpace(space: Space): boolean {
    if (this.canReadGlobally) return true;
    return (
      this.spaceRoles(space.guid).size > 0 ||
      this.orgRoles(space.orgGuid).has("organization_manager")
    );
  }

  /** `ROLES_FOR_APP_MANAGING`: admin, space developer or space supporter. */
  canManageApps(space: Space): boolean {
    if (this.isAdmin) return true;
    const roles = this.spaceRoles(space.guid);
    return roles.has("space_developer") || roles.has("space_supporter");
  }

  /** `ROLES_FOR_SPACE_WRITING`: admin or space developer. */
  canWriteSpace(space: Space): boolean {
    return this.isAdmin || this.spaceRoles(space.guid).has("space_developer");
  }

  /** Whether the organization is visible: global readers, or any role in it or its spaces. */
  canReadOrg(orgGuid: string): boolean {
    if (this.canReadGlobally || this.orgRoles(orgGuid).size > 0) return true;
    for (const space of this.store.spaces.values()) {
      if (space.orgGuid === orgGuid && this.spaceRoles(space.guid).size > 0) return true;
    }
    return false;
  }

  /**
   * `require_writable_space!` (CC `app/controllers/v3/application_controller.rb`) with
   * `writable_space_state` (`lib/cloud_controller/permissions.rb`); admins bypass it. The org's
   * state is read first and a suspended org answers for the space too, so the order is: org
   * deleting (422), space deleting (422, only under an active org), org suspended (403), space
   * suspended (403). An org manager of an active org is not held back by the space's state.
   */
  assertWritable(space: Space): void {
    if (this.isAdmin) return;
    const org = this.store.orgs.get(space.orgGuid);
    if (org?.deleting) throw cfErrors.resourceBeingDeleted("organization");
    if (org?.suspended) throw cfErrors.orgSuspended();
    if (this.orgRoles(space.orgGuid).has("organization_manager")) return;
    if (space.deleting) throw cfErrors.resourceBeingDeleted("space");
    if (space.suspended) throw cfErrors.spaceSuspended();
  }
}
