/**
 * A failure after the provider already changed the deployment (sent a continue or a cancel).
 *
 * The dynamic-provider host duck-types errors that carry an `id`: it packs `id`, `properties` and
 * `reasons` into a `pulumirpc.ErrorResourceInitFailed` detail (`grpcResponseFromError` in
 * `@pulumi/pulumi/cmd/dynamic-provider/index.js`), and the engine then keeps the resource in state
 * with those outputs as a partial failure instead of forgetting what was done (`parseError` in
 * pulumi sdk/go/common/resource/plugin/provider_plugin.go). `properties` must include `__provider`, because later
 * `read`/`delete` calls find the provider code only in the stored outputs.
 */
export class PromotionPartialFailure extends Error {
  override readonly name = "PromotionPartialFailure";
  /** The resource id (the deployment GUID). */
  readonly id: string;
  /** The outputs to record, including `__provider`. */
  readonly properties: Record<string, unknown>;
  /** Why the operation did not finish, shown by Pulumi as the resource's init errors. */
  readonly reasons: string[];

  constructor(
    message: string,
    details: {
      id: string;
      properties: Record<string, unknown>;
      reasons: string[];
      cause?: unknown;
    },
  ) {
    super(message, { cause: details.cause });
    this.id = details.id;
    this.properties = details.properties;
    this.reasons = details.reasons;
  }
}
