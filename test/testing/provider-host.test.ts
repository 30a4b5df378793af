import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { connectProviderClient, type ProviderClient } from "../../src/testing/provider-client.js";
import { type ProviderHost, startProviderHost } from "../../src/testing/provider-host.js";
import { isAlive } from "../fixtures/is-alive.js";

// A provider module written by hand in the shape the closure serializer produces: the host
// evaluates `__provider` with require-from-string and calls `handler()`.
const providerModule = `exports.handler = () => ({
  async configure(request) { this.greeting = request.config.require("fixture:greeting"); },
  async check(olds, news) { return { inputs: { ...news, checked: true } }; },
  async create(inputs) {
    console.log("creating " + inputs.name + " with " + this.greeting);
    if (inputs.mode === "fail") throw new Error("no " + inputs.name + " today");
    if (inputs.mode === "partial") {
      const error = new Error(inputs.name + " is not ready");
      error.id = "half-1";
      error.properties = { ...inputs, ready: false };
      error.reasons = ["still starting"];
      throw error;
    }
    return { id: inputs.name + "-1", outs: { ...inputs, pid: process.pid } };
  },
});`;

const ref = {
  urn: "urn:pulumi:dev::fixture::pulumi-nodejs:dynamic:Resource::r",
  name: "r",
  type: "t",
};

let host: ProviderHost | undefined;
let client: ProviderClient | undefined;

afterEach(async () => {
  client?.close();
  await host?.stop();
  client = undefined;
  host = undefined;
});

async function start(onLog?: (line: string, stream: "stdout" | "stderr") => void) {
  host = await startProviderHost({
    projectDir: resolve(__dirname, "../.."),
    project: "fixture",
    nodejsConfig: {},
    onLog,
    startTimeoutMs: 30_000,
  });
  client = await connectProviderClient(host.port, 10_000);
  await client.configure({ "fixture:greeting": "hello" });
  return client;
}

/** What a Create of resource `r` in the fixture's failing `mode` rejects with. */
async function failedCreate(mode: "fail" | "partial"): Promise<unknown> {
  const provider = await start();
  return provider
    .create(ref, { __provider: providerModule, name: "r", mode })
    .catch((caught: unknown) => caught);
}

describe("the provider host and its client", () => {
  it("serves Check and Create from a serialized provider in another process", async () => {
    const provider = await start();

    const checked = await provider.check(ref, {}, { __provider: providerModule, name: "r" });
    const created = await provider.create(ref, checked.inputs);

    expect(checked).toEqual({
      inputs: { __provider: providerModule, name: "r", checked: true },
      failures: [],
    });
    expect(created.id).toBe("r-1");
    expect(created.properties).toMatchObject({ name: "r", __provider: providerModule });
    expect(created.properties["pid"]).toBe(host?.pid);
  });

  it("collects the lines the provider prints after the port line, and streams them", async () => {
    const streamed: string[] = [];
    const provider = await start((line, stream) => streamed.push(`${stream}: ${line}`));

    await provider.create(ref, { __provider: providerModule, name: "r" });
    await host?.stop();

    expect(host?.logs).toEqual(["creating r with hello"]);
    expect(streamed).toEqual(["stdout: creating r with hello"]);
  });

  it("answers a provider error with its message", async () => {
    const error = await failedCreate("fail");

    expect(error).toMatchObject({
      name: "ProviderCallError",
      message: "no r today",
      grpcCode: 2,
      initFailure: undefined,
    });
  });

  it("decodes a partial failure's ErrorResourceInitFailed detail", async () => {
    const error = await failedCreate("partial");

    expect(error).toMatchObject({
      message: "r is not ready",
      initFailure: {
        id: "half-1",
        properties: { name: "r", mode: "partial", ready: false, __provider: providerModule },
        reasons: ["still starting"],
      },
    });
  });

  it("leaves no process behind once stopped", async () => {
    const provider = await start();
    const created = await provider.create(ref, { __provider: providerModule, name: "r" });
    const pid = created.properties["pid"] as number;

    await host?.stop();

    expect(isAlive(pid)).toBe(false);
  });
});
