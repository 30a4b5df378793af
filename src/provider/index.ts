/**
 * `cf-deployment-promotion/provider`: the implementation behind the `DeploymentPromotion`
 * dynamic provider, loaded inside the Pulumi provider host by the `__provider` text of each
 * resource (`src/resource/provider-module.ts`), which takes its provider object from
 * `createProviderShell`. The shells serialized into stacks before that text call the other
 * exports: `providerMethods` (main before 0.2), and the rest (`FirstShellContract`, version 0.1).
 * That is all it exports. Programs do not need it.
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
export { createProviderShell } from "./provider-shell.js";
export { userFacingFailures, withUserFacingErrors } from "./user-facing-errors.js";
