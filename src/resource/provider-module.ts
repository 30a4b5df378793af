/**
 * The `__provider` property of every `DeploymentPromotion`: the text of a CommonJS module whose
 * `handler()` returns the provider object. The Pulumi provider host evaluates it with
 * `require-from-string` on the first call that carries it and caches the object by the text
 * (`getProvider` in @pulumi/pulumi cmd/dynamic-provider/index.ts); every resource carries it
 * twice in its state (inputs and outputs).
 *
 * It is written here instead of produced by the SDK's closure serializer (`serializeProvider` in
 * @pulumi/pulumi dynamic/index.ts), because what the serializer makes of even a shell with one-line
 * methods is 4.5 KB, and the local backend rewrites the whole state on every step
 * (`diySnapshotPersister` in pulumi pkg/backend/diy/snapshot.go): in a stack of 200 promotions
 * that was four fifths of the state. This text is about 800 bytes (a test holds it under 1 KB): it loads
 * `cf-deployment-promotion/provider` as the Pulumi program's directory (the host's working
 * directory) resolves it, from its `node_modules` or, inside this package's own repository,
 * through the package's self-reference, and takes the provider object from there.
 *
 * Its failures happen before the implementation's error boundary can put the code in front of
 * the message, so the text does it: a package that is not installed, or one older than the
 * stack's text (no `createProviderShell`). The implementation's own check of the Node.js version
 * already says what to do. The text never changes once released: stacks keep it in state, and
 * the installed entry keeps serving it (`src/provider/provider-shell.ts`).
 */
export const PROVIDER_MODULE = `exports.handler = () => {
const cwd = process.cwd();
const fail = (detail, cause) => { throw Object.assign(new Error("[PROMOTION_NOT_INSTALLED] cannot load cf-deployment-promotion/provider from " + cwd + ": " + detail + "; run npm install cf-deployment-promotion in the Pulumi project"), { name: "PromotionError", code: "PROMOTION_NOT_INSTALLED", cause }); };
let entry;
try { entry = require("node:module").createRequire(require("node:path").join(cwd, "p.js"))("cf-deployment-promotion/provider"); }
catch (e) { const m = e instanceof Error ? e.message : String(e); if (m.startsWith("cf-deployment-promotion needs Node.js")) throw e; fail(m, e); }
if (typeof entry.createProviderShell !== "function") fail("the installed one is older than this stack's (no createProviderShell)");
return entry.createProviderShell();
};
`;
