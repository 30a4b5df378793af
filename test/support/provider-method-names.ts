/** What the host calls on a provider object (`ResourceProviderService` in @pulumi/pulumi cmd/dynamic-provider/index.ts). */
export const PROVIDER_METHODS = [
  "check",
  "configure",
  "create",
  "delete",
  "diff",
  "read",
  "update",
];
