// Only type imports at the top of this file: the provider object is serialized into state, and
// anything a method captured from this module would be serialized by value with it
// (`serializeFunction` in pulumi sdk/nodejs/runtime/closure/serializeClosure.ts).
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderMethods } from "../provider/provider-methods.js";

type Props = Record<string, unknown>;

/**
 * The provider object of `DeploymentPromotion`: a shell. It captures nothing and has no fields;
 * each method forwards, in one line, to `providerMethods` of the installed package's
 * `cf-deployment-promotion/provider`, loaded inside the Pulumi provider host. Every resource
 * carries the serialized shell twice in its state (in `__provider` of its inputs and of its
 * outputs), so everything that can live in the implementation does: the less the shell holds,
 * the less the engine writes on each step of a large stack. No `#private` members (they
 * serialize but fail in the host), and no comments inside methods (the serialized text keeps
 * them). Shells already in a stack keep calling the entry's older exports
 * (`src/provider/first-shell-contract.ts`).
 */
export class DeploymentPromotionProvider implements pulumi.dynamic.ResourceProvider {
  async configure(req: pulumi.dynamic.ConfigureRequest) {
    return this.methods().configure(this, req);
  }

  async check(olds: Props, news: Props) {
    return this.methods().check(this, olds, news);
  }

  async diff(id: string, olds: Props, news: Props) {
    return this.methods().diff(this, id, olds, news);
  }

  async create(inputs: Props) {
    return this.methods().create(this, inputs);
  }

  async read(id: string, props?: Props) {
    return this.methods().read(this, id, props);
  }

  async update(id: string, olds: Props, news: Props) {
    return this.methods().update(this, id, olds, news);
  }

  async delete(id: string, props: Props) {
    return this.methods().delete(this, id, props);
  }

  /**
   * Loads `cf-deployment-promotion/provider` as the Pulumi program's directory (the host's
   * working directory) resolves it: from its `node_modules`, or, inside this package's own
   * repository, through the package's self-reference. A failure here happens before the
   * implementation's boundary could put the code in front of the message, so this does; the
   * implementation's own check of the Node.js version says what to do already.
   */
  private methods(): ProviderMethods {
    const { createRequire } = require("node:module") as typeof import("node:module");
    const { join } = require("node:path") as typeof import("node:path");
    try {
      const entry = createRequire(join(process.cwd(), "pulumi-program.js"))(
        "cf-deployment-promotion/provider",
      ) as { providerMethods: ProviderMethods };
      return entry.providerMethods;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message.startsWith("cf-deployment-promotion needs Node.js")) throw error;
      throw Object.assign(
        new Error(
          `[PROMOTION_NOT_INSTALLED] DeploymentPromotion could not load cf-deployment-promotion/provider from ${process.cwd()}: ${message}. Install cf-deployment-promotion in the Pulumi project (npm install cf-deployment-promotion).`,
          { cause: error },
        ),
        { name: "PromotionError", code: "PROMOTION_NOT_INSTALLED" },
      );
    }
  }
}
