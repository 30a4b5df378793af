// Imported first by the package's entry points, so an old Node.js fails here with a message that
// says so, before @pulumi/pulumi or undici load.
import { assertSupportedNode } from "./node-version.js";

assertSupportedNode("the Pulumi program");
