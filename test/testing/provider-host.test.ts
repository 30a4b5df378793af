import { resolve } from "node:path";
import { describe, expect } from "vitest";
import { connectProviderClient, type ProviderClient } from "../../src/testing/provider-client.js";
import { type ProviderHost, startProviderHost } from "../../src/testing/provider-host.js";
import { hostTest } from "../support/host-fixture.js";
import { isAlive } from "../support/processes.js";

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

type OnLog = (line: string, stream: "stdout" | "stderr") => void;

/**
 * `start`: starts the fixture's provider host, connects a client and configures it; both are
 * stopped when the test ends.
 */
// biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern, and start has none.
const it = hostTest.extend("start", ({}, { onCleanup }) => {
  const started: Array<{ host: ProviderHost; provider: ProviderClient }> = [];
  onCleanup(async () => {
    for (const { host, provider } of started.splice(0)) {
      provider.close();
      await host.stop();
    }
  });
  return async (onLog?: OnLog) => {
    const host = await startProviderHost({
      projectDir: resolve(__dirname, "../.."),
      project: "fixture",
      nodejsConfig: {},
      onLog,
      startTimeoutMs: 30_000,
    });
    const provider = await connectProviderClient(host.port, 10_000);
    started.push({ host, provider });
    await provider.configure({ "fixture:greeting": "hello" });
    return { host, provider };
  };
});

/** What a Create of resource `r` in the fixture's failing `mode` rejects with. */
async function failedCreate(provider: ProviderClient, mode: "fail" | "partial"): Promise<unknown> {
  return provider
    .create(ref, { __provider: providerModule, name: "r", mode })
    .catch((caught: unknown) => caught);
}

describe("the provider host and its client", () => {
  it("serves Check and Create from a serialized provider in another process", async ({ start }) => {
    const { host, provider } = await start();

    const checked = await provider.check(ref, {}, { __provider: providerModule, name: "r" });
    const created = await provider.create(ref, checked.inputs);

    expect(checked).toEqual({
      inputs: { __provider: providerModule, name: "r", checked: true },
      failures: [],
    });
    expect(created.id).toBe("r-1");
    expect(created.properties).toMatchObject({ name: "r", __provider: providerModule });
    expect(created.properties["pid"]).toBe(host.pid);
  });

  it("collects the lines the provider prints after the port line, and streams them", async ({
    start,
  }) => {
    const streamed: string[] = [];
    const { host, provider } = await start((line, stream) => streamed.push(`${stream}: ${line}`));

    await provider.create(ref, { __provider: providerModule, name: "r" });
    await host.stop();

    expect(host.logs).toEqual(["creating r with hello"]);
    expect(streamed).toEqual(["stdout: creating r with hello"]);
  });

  it("answers a provider error with its message", async ({ start }) => {
    const error = await failedCreate((await start()).provider, "fail");

    expect(error).toMatchObject({
      name: "ProviderCallError",
      message: "no r today",
      grpcCode: 2,
      initFailure: undefined,
    });
  });

  it("decodes a partial failure's ErrorResourceInitFailed detail", async ({ start }) => {
    const error = await failedCreate((await start()).provider, "partial");

    expect(error).toMatchObject({
      message: "r is not ready",
      initFailure: {
        id: "half-1",
        properties: { name: "r", mode: "partial", ready: false, __provider: providerModule },
        reasons: ["still starting"],
      },
    });
  });

  it("leaves no process behind once stopped", async ({ start }) => {
    const { host, provider } = await start();
    const created = await provider.create(ref, { __provider: providerModule, name: "r" });
    const pid = created.properties["pid"] as number;

    await host.stop();

    expect(isAlive(pid)).toBe(false);
  });
});
