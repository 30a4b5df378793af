import { createRequire } from "node:module";
import type * as Grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import type * as StructProto from "google-protobuf/google/protobuf/struct_pb";
import type { CheckFailure } from "./run-local-error.js";
import type { PropertyMap } from "./secrets.js";

// `@grpc/grpc-js` and `google-protobuf` are loaded exactly as `@pulumi/pulumi` resolves them: its
// generated stubs check credentials and messages against their own copies, so a second copy (a
// different version hoisted elsewhere) would fail `instanceof` checks at run time.
const requireFromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = requireFromPulumi("@grpc/grpc-js") as typeof Grpc;
const { Struct } = requireFromPulumi(
  "google-protobuf/google/protobuf/struct_pb",
) as typeof StructProto;

/** The resource a call is about, as the engine names it in every request. */
export interface ResourceRef {
  urn: string;
  name: string;
  type: string;
}

/** A provider's answer to `Diff`: `changes` as the host maps `DiffResult.changes`. */
export interface ProviderDiff {
  changes: "unknown" | "none" | "some";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/**
 * A failed provider call: the gRPC status and the provider's message; for Create/Update, the
 * `ErrorResourceInitFailed` detail when the resource was created but failed to initialize.
 */
export class ProviderCallError extends Error {
  override readonly name = "ProviderCallError";
  constructor(
    message: string,
    readonly grpcCode: number,
    readonly initFailure:
      | { id: string; properties: PropertyMap; reasons: string[] }
      | undefined = undefined,
  ) {
    super(message);
  }
}

/** Typed wrappers over the `ResourceProvider` RPCs the engine sends to a dynamic provider. */
export interface ProviderClient {
  configure(args: PropertyMap): Promise<void>;
  check(
    ref: ResourceRef,
    olds: PropertyMap,
    news: PropertyMap,
  ): Promise<{ inputs: PropertyMap; failures: CheckFailure[] }>;
  diff(
    ref: ResourceRef,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
  ): Promise<ProviderDiff>;
  create(
    ref: ResourceRef,
    properties: PropertyMap,
  ): Promise<{ id: string; properties: PropertyMap }>;
  read(
    ref: ResourceRef,
    id: string,
    properties: PropertyMap,
    inputs: PropertyMap,
  ): Promise<{ id: string; properties: PropertyMap; inputs: PropertyMap | undefined }>;
  update(
    ref: ResourceRef,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
  ): Promise<{ properties: PropertyMap }>;
  delete(
    ref: ResourceRef,
    id: string,
    properties: PropertyMap,
    oldInputs: PropertyMap,
  ): Promise<void>;
  close(): void;
}

/** The setters every per-resource request has. */
interface NamedRequest<T> {
  setUrn(value: string): T;
  setName(value: string): T;
  setType(value: string): T;
}

function named<T extends NamedRequest<T>>(request: T, ref: ResourceRef): T {
  return request.setUrn(ref.urn).setName(ref.name).setType(ref.type);
}

/** The setters of the requests that weigh a resource's recorded state against new inputs. */
interface ChangeRequest<T> extends NamedRequest<T> {
  setId(value: string): T;
  setOlds(value: StructProto.Struct): T;
  setNews(value: StructProto.Struct): T;
  setOldInputs(value: StructProto.Struct): T;
}

type Callback<Res> = (error: Grpc.ServiceError | null, response: Res) => void;

/** Connects to the host at `127.0.0.1:port` and waits until the channel is ready. */
export async function connectProviderClient(
  port: number,
  readyTimeoutMs: number,
): Promise<ProviderClient> {
  const client = new provrpc.ResourceProviderClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
  try {
    await new Promise<void>((resolve, reject) =>
      client.waitForReady(Date.now() + readyTimeoutMs, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  } catch (error) {
    client.close();
    throw error;
  }

  const calls = new Set<Grpc.ClientUnaryCall>();
  const call = <Res>(start: (callback: Callback<Res>) => Grpc.ClientUnaryCall): Promise<Res> =>
    new Promise<Res>((resolve, reject) => {
      const pending = start((error, response) => {
        calls.delete(pending);
        if (error) reject(toProviderCallError(error));
        else resolve(response);
      });
      calls.add(pending);
    });
  const struct = (value: PropertyMap) =>
    Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
  const plain = (value: StructProto.Struct | undefined): PropertyMap =>
    (value?.toJavaScript() ?? {}) as PropertyMap;
  const change = <T extends ChangeRequest<T>>(
    request: T,
    ref: ResourceRef,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
  ): T =>
    named(request, ref)
      .setId(id)
      .setOlds(struct(olds))
      .setNews(struct(news))
      .setOldInputs(struct(oldInputs));

  return {
    async configure(args) {
      const request = new provproto.ConfigureRequest()
        .setArgs(struct(args))
        .setAcceptsecrets(true)
        .setAcceptresources(true)
        .setType("pulumi:providers:pulumi-nodejs");
      await call<provproto.ConfigureResponse>((callback) => client.configure(request, callback));
    },
    async check(ref, olds, news) {
      const request = named(new provproto.CheckRequest(), ref)
        .setOlds(struct(olds))
        .setNews(struct(news));
      const response = await call<provproto.CheckResponse>((callback) =>
        client.check(request, callback),
      );
      return {
        inputs: plain(response.getInputs()),
        failures: response
          .getFailuresList()
          .map((failure) => ({ property: failure.getProperty(), reason: failure.getReason() })),
      };
    },
    async diff(ref, id, olds, news, oldInputs) {
      const request = change(new provproto.DiffRequest(), ref, id, olds, news, oldInputs);
      const response = await call<provproto.DiffResponse>((callback) =>
        client.diff(request, callback),
      );
      const Changes = provproto.DiffResponse.DiffChanges;
      const changes = response.getChanges();
      return {
        changes:
          changes === Changes.DIFF_SOME
            ? "some"
            : changes === Changes.DIFF_NONE
              ? "none"
              : "unknown",
        replaces: response.getReplacesList(),
        deleteBeforeReplace: response.getDeletebeforereplace(),
      };
    },
    async create(ref, properties) {
      const request = named(new provproto.CreateRequest(), ref).setProperties(struct(properties));
      const response = await call<provproto.CreateResponse>((callback) =>
        client.create(request, callback),
      );
      return { id: response.getId(), properties: plain(response.getProperties()) };
    },
    async read(ref, id, properties, inputs) {
      const request = named(new provproto.ReadRequest(), ref)
        .setId(id)
        .setProperties(struct(properties))
        .setInputs(struct(inputs));
      const response = await call<provproto.ReadResponse>((callback) =>
        client.read(request, callback),
      );
      const returnedInputs = response.getInputs();
      return {
        id: response.getId(),
        properties: plain(response.getProperties()),
        inputs: returnedInputs === undefined ? undefined : plain(returnedInputs),
      };
    },
    async update(ref, id, olds, news, oldInputs) {
      const request = change(new provproto.UpdateRequest(), ref, id, olds, news, oldInputs);
      const response = await call<provproto.UpdateResponse>((callback) =>
        client.update(request, callback),
      );
      return { properties: plain(response.getProperties()) };
    },
    async delete(ref, id, properties, oldInputs) {
      const request = named(new provproto.DeleteRequest(), ref)
        .setId(id)
        .setProperties(struct(properties))
        .setOldInputs(struct(oldInputs));
      await call<unknown>((callback) => client.delete(request, callback));
    },
    close() {
      for (const pending of calls) pending.cancel();
      client.close();
    },
  };
}

/**
 * The host answers a failed call with gRPC UNKNOWN and the provider's message as `details`; a
 * Create/Update whose error carried an `id` also gets a `google.rpc.Status` in the
 * `grpc-status-details-bin` trailer with a `pulumirpc.ErrorResourceInitFailed` detail
 * (`grpcResponseFromError` in `cmd/dynamic-provider/index.ts`).
 */
function toProviderCallError(error: Grpc.ServiceError): ProviderCallError {
  const message = error.details || error.message;
  const [bin] = error.metadata?.get("grpc-status-details-bin") ?? [];
  if (bin === undefined) return new ProviderCallError(message, error.code);
  const status = statusproto.Status.deserializeBinary(
    typeof bin === "string" ? Buffer.from(bin, "base64") : new Uint8Array(bin),
  );
  for (const detail of status.getDetailsList()) {
    const failed = detail.unpack(
      provproto.ErrorResourceInitFailed.deserializeBinary,
      "pulumirpc.ErrorResourceInitFailed",
    );
    if (failed !== null) {
      return new ProviderCallError(message, error.code, {
        id: failed.getId(),
        properties: (failed.getProperties()?.toJavaScript() ?? {}) as PropertyMap,
        reasons: failed.getReasonsList(),
      });
    }
  }
  return new ProviderCallError(message, error.code);
}
