// Imported first by the package's entry point: an old Node.js, or an ES-module program that Pulumi
// would load without running it, fails here with a message that says so, before @pulumi/pulumi or
// undici load.
import { assertEsmEntryIsLoadable } from "./esm-entry-guard.js";
import { assertSupportedNode } from "./node-version.js";

assertSupportedNode("the Pulumi program");
assertEsmEntryIsLoadable();
