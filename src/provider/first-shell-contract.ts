import type * as pulumi from "@pulumi/pulumi";
import type { ConnectionSettings } from "./connection-settings.js";
import type { ProviderRuntime } from "./provider-runtime.js";

type Props = Record<string, unknown>;

/**
 * What the provider shell of version 0.1 calls in `cf-deployment-promotion/provider`. That shell
 * stays in the outputs of every resource it created until the resource is next updated, and the
 * host runs it for `pulumi refresh` (Read) and `pulumi destroy` (Delete) of those resources
 * (`read` and `delete` of `ResourceProviderService` in @pulumi/pulumi cmd/dynamic-provider/index.ts
 * take the provider from the stored outputs), so the entry keeps exporting all of this, unchanged.
 */
export interface FirstShellContract {
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
