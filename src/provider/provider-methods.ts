import type * as pulumi from "@pulumi/pulumi";
import { checkPromotion } from "./check-promotion.js";
import { type ConnectionSettings, readStackConnectionSettings } from "./connection-settings.js";
import { diffPromotion } from "./diff-promotion.js";
import { PromotionError } from "./promotion-error.js";
import {
  createPromotion,
  deletePromotion,
  readPromotion,
  updatePromotion,
} from "./promotion-lifecycle.js";
import { createProviderRuntime } from "./provider-runtime.js";
import { userFacingFailures, withUserFacingErrors } from "./user-facing-errors.js";

type Props = Record<string, unknown>;

/** The shell object a method was called on: only its identity is used. */
type Shell = object;

/**
 * The dynamic provider's methods, each with the provider object it was called on first: the
 * object `createProviderShell` (`provider-shell.ts`) gives the host forwards every call here, as
 * did the serialized shell of main before 0.2, which stacks may still hold.
 */
export interface ProviderMethods {
  configure(shell: Shell, req: pulumi.dynamic.ConfigureRequest): Promise<void>;
  check(shell: Shell, olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  diff(shell: Shell, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  create(shell: Shell, inputs: Props): Promise<{ id: string; outs: Props }>;
  read(shell: Shell, id: string, props: Props | undefined): Promise<pulumi.dynamic.ReadResult>;
  update(shell: Shell, id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(shell: Shell, id: string, props: Props): Promise<void>;
}

/** What `configure` left for a shell: the request, and the settings read from it. */
interface Configured {
  request: pulumi.dynamic.ConfigureRequest;
  settings: Promise<ConnectionSettings>;
}

// Keyed by the shell: the host keeps one shell per provider text, and a stack may hold several
// texts (each version of this package may write its own).
const configuredShells = new WeakMap<Shell, Configured>();

/**
 * `configure` stores a promise that every other method awaits. The host caches the provider
 * before awaiting `configure`, so concurrent first calls would otherwise run unconfigured; and a
 * `configure` that threw would fail only the first call and leave later ones unconfigured
 * (`getProvider` in @pulumi/pulumi cmd/dynamic-provider/index.ts). Here a failed read of the
 * stack configuration is retried, and reported, on every call instead.
 */
function configure(shell: Shell, request: pulumi.dynamic.ConfigureRequest): void {
  const settings = readSettings(request);
  // Reported by the next method call instead of as an unhandled rejection.
  settings.catch(() => undefined);
  configuredShells.set(shell, { request, settings });
}

async function readSettings(request: pulumi.dynamic.ConfigureRequest): Promise<ConnectionSettings> {
  return readStackConnectionSettings(request.config);
}

/** The `cloudfoundry:*` settings, read again when the last attempt failed. */
async function stackSettings(shell: Shell): Promise<ConnectionSettings> {
  const configured = configuredShells.get(shell);
  // configure was never called: an older host (before v3.139) or a direct call.
  if (configured === undefined) return {};
  try {
    return await configured.settings;
  } catch {
    configure(shell, configured.request);
    try {
      return await (configuredShells.get(shell) ?? configured).settings;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new PromotionError(
        "PROMOTION_CONNECTION_CONFIG",
        `could not read the stack configuration (cloudfoundry:*): ${message}`,
        { cause: error },
      );
    }
  }
}

async function runtimeOf(shell: Shell) {
  return createProviderRuntime(await stackSettings(shell));
}

export const providerMethods: ProviderMethods = {
  async configure(shell, req) {
    // Synchronous before any await: the promise exists before any other call can start.
    configure(shell, req);
  },
  check: (shell, olds, news) =>
    withUserFacingErrors(async () => {
      const checked = await checkPromotion(olds, news, () => runtimeOf(shell));
      return { inputs: checked.inputs, failures: userFacingFailures(checked.failures) };
    }),
  diff: (shell, id, olds, news) =>
    withUserFacingErrors(async () => diffPromotion(await runtimeOf(shell), id, olds, news)),
  create: (shell, inputs) =>
    withUserFacingErrors(async () => createPromotion(await runtimeOf(shell), inputs)),
  read: (shell, id, props) =>
    withUserFacingErrors(async () => readPromotion(await runtimeOf(shell), id, props ?? {})),
  update: (shell, id, olds, news) =>
    withUserFacingErrors(async () => updatePromotion(await runtimeOf(shell), id, olds, news)),
  // Forgets the resource: needs no connection, so it never waits for one.
  delete: (_shell, id, props) =>
    withUserFacingErrors(() => deletePromotion(createProviderRuntime({}), id, props)),
};
