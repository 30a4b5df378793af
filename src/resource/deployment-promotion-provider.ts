// Only type imports at the top of this file: the provider object is serialized into state, and
// anything a method captured from this module would be serialized by value with it
// (`serializeFunction` in pulumi sdk/nodejs/runtime/closure/serializeClosure.ts).
import type * as pulumi from "@pulumi/pulumi";
import type { ConnectionSettings } from "../provider/connection-settings.js";
import type { PromotionErrorCode } from "../provider/promotion-error.js";
import type { ProviderRuntime } from "../provider/provider-runtime.js";

type Props = Record<string, unknown>;

/**
 * What this object calls in `cf-deployment-promotion/provider`, and all that entry exports. A
 * shell serialized into a stack by one version of the package calls the implementation of
 * whichever version is installed later, so this contract changes only compatibly.
 */
export interface Implementation {
  checkPromotion(
    olds: Props,
    news: Props,
    runtime: () => Promise<ProviderRuntime>,
  ): Promise<{ inputs: Props; failures: pulumi.dynamic.CheckFailure[] }>;
  diffPromotion(
    runtime: ProviderRuntime,
    id: string,
    olds: Props,
    news: Props,
  ): Promise<pulumi.dynamic.DiffResult>;
  createPromotion(runtime: ProviderRuntime, inputs: Props): Promise<{ id: string; outs: Props }>;
  readPromotion(
    runtime: ProviderRuntime,
    id: string,
    props: Props,
  ): Promise<{ id: string; props: Props }>;
  updatePromotion(
    runtime: ProviderRuntime,
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ outs: Props }>;
  deletePromotion(runtime: ProviderRuntime, id: string, props: Props): Promise<void>;
  createProviderRuntime(stack: ConnectionSettings): ProviderRuntime;
  readStackConnectionSettings(config: { get(key: string): string | undefined }): ConnectionSettings;
  /** Puts each error's stable code in front of its message (the host sends only the message). */
  withUserFacingErrors<T>(operation: () => Promise<T>): Promise<T>;
  userFacingFailures(
    failures: readonly pulumi.dynamic.CheckFailure[],
  ): pulumi.dynamic.CheckFailure[];
}

/**
 * The provider object of `DeploymentPromotion`. It captures nothing: no fields are set when it is
 * built, every method loads the implementation from the installed package
 * (`cf-deployment-promotion/provider`) inside the Pulumi provider host, and there are no
 * `#private` members (they serialize but fail in the host). Its serialized form is a few KB and
 * holds no configuration and no secret.
 *
 * `configure` stores a promise that every other method awaits. The host caches the provider
 * before awaiting `configure`, so concurrent first calls would otherwise run unconfigured; and a
 * `configure` that threw would fail only the first call and leave later ones unconfigured
 * (`getProvider` in @pulumi/pulumi cmd/dynamic-provider/index.ts). Here a failed read of the stack configuration is retried,
 * and reported, on every call instead.
 */
export class DeploymentPromotionProvider implements pulumi.dynamic.ResourceProvider {
  // `declare` emits no class field, so a new instance has no own properties to serialize.
  declare private configuring: Promise<ConnectionSettings> | undefined;
  declare private configureRequest: pulumi.dynamic.ConfigureRequest | undefined;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    // Synchronous up to here on purpose: the promise exists before any other call can start.
    this.configureRequest = req;
    this.configuring = this.readStackSettings(req);
    // Reported by the next method call instead of as an unhandled rejection.
    this.configuring.catch(() => undefined);
  }

  async check(olds: Record<string, unknown>, news: Record<string, unknown>) {
    const impl = this.implementation();
    return impl.withUserFacingErrors(async () => {
      const checked = await impl.checkPromotion(olds, news, async () =>
        impl.createProviderRuntime(await this.stackSettings()),
      );
      return { inputs: checked.inputs, failures: impl.userFacingFailures(checked.failures) };
    });
  }

  async diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const impl = this.implementation();
    return impl.withUserFacingErrors(async () =>
      impl.diffPromotion(impl.createProviderRuntime(await this.stackSettings()), id, olds, news),
    );
  }

  async create(inputs: Record<string, unknown>) {
    const impl = this.implementation();
    return impl.withUserFacingErrors(async () =>
      impl.createPromotion(impl.createProviderRuntime(await this.stackSettings()), inputs),
    );
  }

  async read(id: string, props?: Record<string, unknown>) {
    const impl = this.implementation();
    return impl.withUserFacingErrors(async () =>
      impl.readPromotion(impl.createProviderRuntime(await this.stackSettings()), id, props ?? {}),
    );
  }

  async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const impl = this.implementation();
    return impl.withUserFacingErrors(async () =>
      impl.updatePromotion(impl.createProviderRuntime(await this.stackSettings()), id, olds, news),
    );
  }

  async delete(id: string, props: Record<string, unknown>) {
    const impl = this.implementation();
    await impl.withUserFacingErrors(() =>
      impl.deletePromotion(impl.createProviderRuntime({}), id, props),
    );
  }

  /** The `cloudfoundry:*` settings, re-read when the last attempt failed. */
  private async stackSettings(): Promise<ConnectionSettings> {
    if (this.configuring === undefined) {
      // configure was never called: an older host (before v3.139) or a direct call.
      return {};
    }
    try {
      return await this.configuring;
    } catch {
      this.configuring = this.readStackSettings(this.configureRequest);
      try {
        return await this.configuring;
      } catch (error) {
        this.configuring.catch(() => undefined);
        const message = error instanceof Error ? error.message : String(error);
        throw this.promotionError(
          "PROMOTION_CONNECTION_CONFIG",
          `could not read the stack configuration (cloudfoundry:*): ${message}`,
          error,
        );
      }
    }
  }

  private async readStackSettings(
    req: pulumi.dynamic.ConfigureRequest | undefined,
  ): Promise<ConnectionSettings> {
    if (req === undefined) return {};
    return this.implementation().readStackConnectionSettings(req.config);
  }

  /**
   * Loads `cf-deployment-promotion/provider` as the Pulumi program's directory (the host's
   * working directory) resolves it: from its `node_modules`, or, inside this package's own
   * repository, through the package's self-reference.
   */
  private implementation(): Implementation {
    const { createRequire } = require("node:module") as typeof import("node:module");
    const { join } = require("node:path") as typeof import("node:path");
    const programRequire = createRequire(join(process.cwd(), "pulumi-program.js"));
    try {
      return programRequire("cf-deployment-promotion/provider") as Implementation;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // The implementation's own check of the Node.js version says what to do already.
      if (message.startsWith("cf-deployment-promotion needs Node.js")) throw error;
      // Thrown before the implementation's boundary could put the code in front: do it here.
      throw this.promotionError(
        "PROMOTION_NOT_INSTALLED",
        `[PROMOTION_NOT_INSTALLED] DeploymentPromotion could not load cf-deployment-promotion/provider from ${process.cwd()}: ${message}. Install cf-deployment-promotion in the Pulumi project (npm install cf-deployment-promotion).`,
        error,
      );
    }
  }

  /**
   * An error that `isPromotionError` recognises (by name and code). A method, not an import of
   * `PromotionError`: this file may capture nothing, and the implementation may be what failed.
   */
  private promotionError(code: PromotionErrorCode, message: string, cause: unknown): Error {
    return Object.assign(new Error(message, { cause }), { name: "PromotionError", code });
  }
}
