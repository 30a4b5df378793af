import type * as pulumi from "@pulumi/pulumi";
import { providerMethods } from "./provider-methods.js";

/**
 * The provider object that the `__provider` text of every `DeploymentPromotion`
 * (`src/resource/provider-module.ts`) returns to the Pulumi provider host: each method forwards
 * to `providerMethods` with this object, whose identity keys what `configure` left for it. The
 * host evaluates each distinct text once and keeps its object, so each text gets its own.
 */
export function createProviderShell(): Required<pulumi.dynamic.ResourceProvider> {
  const shell: Required<pulumi.dynamic.ResourceProvider> = {
    configure: (req) => providerMethods.configure(shell, req),
    check: (olds, news) => providerMethods.check(shell, olds, news),
    diff: (id, olds, news) => providerMethods.diff(shell, id, olds, news),
    create: (inputs) => providerMethods.create(shell, inputs),
    read: (id, props) => providerMethods.read(shell, id, props),
    update: (id, olds, news) => providerMethods.update(shell, id, olds, news),
    delete: (id, props) => providerMethods.delete(shell, id, props),
  };
  return shell;
}
