/**
 * `cf-deployment-promotion/provider`: the implementation behind the `DeploymentPromotion`
 * dynamic provider. The serialized provider object (`src/resource/deployment-promotion-provider.ts`)
 * loads this entry inside the Pulumi provider host, lazily, in each method, and calls
 * `providerMethods`; the shells that version 0.1 serialized into stacks call the other exports
 * (`FirstShellContract`). That is all it exports. Programs do not need it.
 */

import { assertSupportedNode } from "../node-version.js";

// Before undici loads (it fails on Node 20 with an error that does not say why).
assertSupportedNode("the provider (pulumi-resource-pulumi-nodejs)");

export { checkPromotion } from "./check-promotion.js";
export { readStackConnectionSettings } from "./connection-settings.js";
export { diffPromotion } from "./diff-promotion.js";
export {
  createPromotion,
  deletePromotion,
  readPromotion,
  updatePromotion,
} from "./promotion-lifecycle.js";
export { providerMethods } from "./provider-methods.js";
export { createProviderRuntime } from "./provider-runtime.js";
export { userFacingFailures, withUserFacingErrors } from "./user-facing-errors.js";
