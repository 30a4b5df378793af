import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isAlive } from "../fixtures/is-alive.js";
import { type Recorder, startRecorder } from "../fixtures/recorder.js";

// The harness and the fixture provider are loaded with Node's own `require`, not through Vite:
// Pulumi serializes the provider from its real CommonJS source, and the harness is used as users
// get it (the package's `testing` export, i.e. `dist/`, built by `npm test` before vitest runs).
// Vitest defines `__filename` in test modules; `createRequire` makes the loader Node's own.
const require = createRequire(__filename);
const testing: typeof import("../../src/testing/index.js") = require("cf-deployment-promotion/testing");
const { runLocal, isRunLocalError, unknownValue } = testing;
const { echoProvider } = require("../fixtures/echo-provider.js") as {
  echoProvider: pulumi.dynamic.ResourceProvider;
};

/** The fixture's resource: a dynamic resource whose outputs the tests read back. */
class Echo extends pulumi.dynamic.Resource {
  declare readonly serial: pulumi.Output<number>;
  declare readonly value: pulumi.Output<string>;
  declare readonly token: pulumi.Output<string>;

  constructor(name: string, props: EchoProps, options?: pulumi.CustomResourceOptions) {
    // Outputs that are not inputs are seeded as undefined (the typed-outputs pattern).
    super(echoProvider, name, { serial: undefined, tokenDigest: undefined, ...props }, options);
  }
}

const projectDir = resolve(__dirname, "../..");
const urnOf = (name: string) => `urn:pulumi:dev::fixture::pulumi-nodejs:dynamic:Resource::${name}`;

interface EchoProps {
  name: string;
  value?: pulumi.Input<string>;
  token?: pulumi.Input<string>;
  fail?: string;
  partial?: boolean;
  deleteBeforeReplace?: boolean;
  sleepMs?: number;
  diffUnknown?: boolean;
}

/** A program with one fixture resource per entry; outputs expose each resource's id and serial. */
function programOf(
  resources: Array<EchoProps & { options?: pulumi.CustomResourceOptions }>,
): () => Record<string, unknown> {
  return () => {
    const outputs: Record<string, unknown> = {};
    for (const { options, ...props } of resources) {
      const resource = new Echo(props.name, props, options);
      outputs[`${props.name}Id`] = resource.id;
      outputs[`${props.name}Serial`] = resource.serial;
    }
    return outputs;
  };
}

let recorder: Recorder;
let directory: string;
let stateFile: string;

beforeAll(async () => {
  recorder = await startRecorder();
});
afterAll(async () => {
  await recorder.close();
});
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "run-local-"));
  stateFile = join(directory, "state.json");
  recorder.reset();
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function base() {
  return {
    project: "fixture",
    stack: "dev",
    stateFile,
    projectDir,
    config: { "fixture:recorderUrl": recorder.url, "fixture:apiKey": { secret: "api-key-1234" } },
  };
}

/** `up` of a program with one fixture resource per entry (see {@link programOf}). */
function upWith(...resources: Parameters<typeof programOf>[0]) {
  return runLocal({ ...base(), operation: "up", program: programOf(resources) });
}

async function readState(): Promise<{
  version: number;
  outputs: Record<string, unknown>;
  resources: Array<Record<string, unknown> & { urn: string; inputs: Record<string, unknown> }>;
}> {
  return JSON.parse(await readFile(stateFile, "utf8"));
}

describe("runLocal up", () => {
  it("creates the resource through the real host and records it in the state file", async () => {
    const result = await upWith({ name: "one", value: "a" });

    expect(recorder.methods()).toEqual(["check", "create"]);
    expect(result.outputs).toEqual({ oneId: "one-1", oneSerial: 1 });
    expect(result.resources).toEqual([
      {
        urn: urnOf("one"),
        name: "one",
        type: "pulumi-nodejs:dynamic:Resource",
        operation: "create",
        id: "one-1",
        inputs: { name: "one", value: "a" },
        outputs: { name: "one", value: "a", serial: 1, apiKeySeen: true, tokenDigest: null },
        secretOutputNames: [],
      },
    ]);
    const state = await readState();
    expect(state.version).toBe(1);
    expect(state.outputs).toEqual({ oneId: "one-1", oneSerial: 1 });
    expect(state.resources).toHaveLength(1);
    expect(state.resources[0]).toMatchObject({
      urn: urnOf("one"),
      type: "pulumi-nodejs:dynamic:Resource",
      id: "one-1",
      inputs: { name: "one", value: "a", __provider: expect.stringContaining("exports.handler") },
      outputs: { name: "one", value: "a", serial: 1, __provider: expect.any(String) },
    });
  });

  it("runs the provider's methods in the host process, which is gone after the run", async () => {
    await upWith({ name: "one" });

    const hostPid = recorder.calls[0]?.body.hostPid;
    expect(hostPid).toBeTypeOf("number");
    expect(hostPid).not.toBe(process.pid);
    expect(isAlive(hostPid as number)).toBe(false);
  });

  it("leaves an unchanged resource the same on a second up, without a create call", async () => {
    const program = programOf([{ name: "one", value: "a" }]);
    await runLocal({ ...base(), operation: "up", program });
    recorder.calls.length = 0;

    const second = await runLocal({ ...base(), operation: "up", program });

    expect(recorder.methods()).toEqual(["check", "diff"]);
    expect(recorder.calls[0]?.body["olds"]).toMatchObject({ name: "one", value: "a" });
    expect(second.resources.map((resource) => resource.operation)).toEqual(["same"]);
    expect(second.resources[0]?.diff).toEqual({
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(second.outputs).toEqual({ oneId: "one-1", oneSerial: 1 });
  });

  it("updates the resource in place when an input changes", async () => {
    await upWith({ name: "one", value: "a" });
    recorder.calls.length = 0;

    const result = await upWith({ name: "one", value: "b" });

    expect(recorder.methods()).toEqual(["check", "diff", "update"]);
    const update: Record<string, unknown> = recorder.calls[2]?.body ?? {};
    expect(update["id"]).toBe("one-1");
    expect(update["olds"]).toMatchObject({ value: "a", serial: 1 });
    expect(update["news"]).toMatchObject({ value: "b" });
    expect(result.resources[0]).toMatchObject({
      operation: "update",
      id: "one-1",
      outputs: { value: "b", serial: 1, updatedFrom: "a" },
      previous: { id: "one-1", outputs: { value: "a", serial: 1 } },
      diff: { changes: "some", replaces: [] },
    });
    expect((await readState()).resources[0]).toMatchObject({
      id: "one-1",
      outputs: { value: "b" },
    });
  });

  it("compares the inputs itself when the provider's diff leaves changes unknown", async () => {
    const program = (value: string) => programOf([{ name: "one", value, diffUnknown: true }]);
    await runLocal({ ...base(), operation: "up", program: program("a") });

    const same = await runLocal({ ...base(), operation: "up", program: program("a") });
    const changed = await runLocal({ ...base(), operation: "up", program: program("b") });

    expect(same.resources[0]).toMatchObject({
      operation: "same",
      diff: { changes: "unknown", changedKeys: [] },
    });
    expect(changed.resources[0]).toMatchObject({
      operation: "update",
      diff: { changes: "unknown", changedKeys: ["value"] },
    });
  });

  it("replaces the resource when its identity changes: creates the new one, then deletes the old", async () => {
    await upWith({ name: "one", value: "a" });
    recorder.calls.length = 0;
    const renamed = () => {
      const resource = new Echo("one", { name: "uno", value: "a" });
      return { id: resource.id };
    };

    const result = await runLocal({ ...base(), operation: "up", program: renamed });

    expect(recorder.methods()).toEqual(["check", "diff", "check", "create", "delete"]);
    expect(recorder.calls[2]?.body["olds"]).toEqual({});
    expect(recorder.calls[4]?.body["id"]).toBe("one-1");
    expect(result.outputs).toEqual({ id: "uno-2" });
    expect(result.resources).toHaveLength(1);
    expect(result.resources[0]).toMatchObject({
      operation: "replace",
      id: "uno-2",
      previous: { id: "one-1" },
      diff: { changes: "some", replaces: ["name"], deleteBeforeReplace: false },
    });
    const state = await readState();
    expect(state.resources.map((resource) => resource["id"])).toEqual(["uno-2"]);
  });

  it("deletes the old resource first when the provider asks for deleteBeforeReplace", async () => {
    await upWith({ name: "one" });
    recorder.calls.length = 0;
    const renamed = () => {
      new Echo("one", {
        name: "uno",
        deleteBeforeReplace: true,
      });
    };

    await runLocal({ ...base(), operation: "up", program: renamed });

    expect(recorder.methods()).toEqual(["check", "diff", "check", "delete", "create"]);
    expect((await readState()).resources.map((resource) => resource["id"])).toEqual(["uno-2"]);
  });

  it("keeps the old resource as it was when the replacement's create fails", async () => {
    await upWith({ name: "one" });
    const before = (await readState()).resources;
    recorder.calls.length = 0;
    const renamed = () => {
      new Echo("one", { name: "uno", fail: "create" });
    };

    await expect(runLocal({ ...base(), operation: "up", program: renamed })).rejects.toMatchObject({
      code: "RUN_LOCAL_RESOURCE_FAILED",
      step: "create",
    });

    expect(recorder.methods()).toEqual(["check", "diff", "check", "create"]);
    expect((await readState()).resources).toEqual(before);
  });

  it("deletes resources the program no longer declares", async () => {
    await upWith({ name: "one" }, { name: "two" });
    recorder.calls.length = 0;

    const result = await upWith({ name: "one" });

    expect(recorder.methods()).toEqual(["check", "diff", "delete"]);
    expect(recorder.calls[2]?.body["id"]).toBe("two-2");
    expect(result.resources.map((resource) => [resource.name, resource.operation])).toEqual([
      ["one", "same"],
      ["two", "delete"],
    ]);
    expect((await readState()).resources.map((resource) => resource.urn)).toEqual([urnOf("one")]);
  });

  it("processes registrations one at a time", async () => {
    await upWith({ name: "slow", sleepMs: 300 }, { name: "fast" });

    // Each resource's check and create run back to back: no step of one overlaps the other's.
    const names = recorder.calls.map((call) => {
      const inputs = (call.body["news"] ?? call.body["inputs"]) as { name: string };
      return `${call.method} ${inputs.name}`;
    });
    expect(names).toHaveLength(4);
    expect(names[0]?.split(" ")[1]).toBe(names[1]?.split(" ")[1]);
    expect(names[2]?.split(" ")[1]).toBe(names[3]?.split(" ")[1]);
    expect(recorder.methods()).toEqual(["check", "create", "check", "create"]);
  });

  it("feeds one resource's outputs to another's inputs, as the engine does", async () => {
    const program = () => {
      const first = new Echo("first", { name: "first" });
      const second = new Echo("second", { name: "second", value: first.id });
      return { value: second.value };
    };

    const result = await runLocal({ ...base(), operation: "up", program });

    expect(result.outputs).toEqual({ value: "first-1" });
  });

  it("accepts the path of a CommonJS program module", async () => {
    const result = await runLocal({
      ...base(),
      operation: "up",
      program: "test/fixtures/echo-program.js",
    });

    expect(result.resources.map((resource) => resource.name)).toEqual(["from-module"]);
    expect(result.outputs).toEqual({ id: "from-module-1" });
  });
});

describe("runLocal in one process", () => {
  it("runs overlapping calls one after the other (the Pulumi runtime is process-global)", async () => {
    const otherState = join(directory, "other.json");

    const [first, second] = await Promise.all([
      upWith({ name: "first" }),
      runLocal({
        ...base(),
        stack: "other",
        stateFile: otherState,
        operation: "up",
        program: programOf([{ name: "second" }]),
      }),
    ]);

    expect(first.outputs).toEqual({ firstId: "first-1", firstSerial: 1 });
    expect(second.outputs).toEqual({ secondId: "second-2", secondSerial: 2 });
    const pids = recorder.calls.map((call) => call.body.hostPid);
    expect(new Set(pids).size).toBe(2);
    expect(pids).toEqual([pids[0], pids[0], pids[2], pids[2]]);
  });
});

describe("runLocal preview", () => {
  it("runs only Check and Diff, reports the plan and leaves the state file untouched", async () => {
    await upWith({ name: "kept", value: "a" }, { name: "dropped", value: "x" });
    const before = await readFile(stateFile, "utf8");
    recorder.calls.length = 0;

    const result = await runLocal({
      ...base(),
      operation: "preview",
      program: programOf([
        { name: "kept", value: "b" },
        { name: "added", value: "y" },
      ]),
    });

    expect(recorder.methods()).toEqual(["check", "diff", "check"]);
    expect(
      result.resources.map((resource) => [resource.name, resource.operation, resource.id]),
    ).toEqual([
      ["kept", "update", "kept-1"],
      ["added", "create", undefined],
      ["dropped", "delete", "dropped-2"],
    ]);
    expect(result.resources[0]?.outputs).toEqual({ name: "kept", value: "b" });
    expect(result.outputs).toEqual({
      keptId: "kept-1",
      keptSerial: unknownValue,
      addedId: unknownValue,
      addedSerial: unknownValue,
    });
    expect(await readFile(stateFile, "utf8")).toBe(before);
  });

  it("sends unknown values to check as the unknown sentinel", async () => {
    const program = () => {
      const first = new Echo("first", { name: "first" });
      new Echo("second", {
        name: "second",
        value: first.id,
      });
    };

    await runLocal({ ...base(), operation: "preview", program });

    expect(recorder.calls[1]?.body["news"]).toMatchObject({ name: "second", value: unknownValue });
  });
});

describe("runLocal refresh", () => {
  /** Creates resource `one` with value "a", then changes it behind the state's back. */
  async function upThenChangeOutside() {
    await upWith({ name: "one", value: "a" });
    recorder.remote.set("one-1", { value: "changed outside" });
    recorder.calls.length = 0;
  }

  it("reads each resource and records drift in the state", async () => {
    await upThenChangeOutside();

    const result = await runLocal({ ...base(), operation: "refresh" });

    // As the CLI does since 3.120: diff(refreshed outputs → recorded inputs) decides the drift.
    expect(recorder.methods()).toEqual(["read", "diff"]);
    expect(recorder.calls[0]?.body["props"]).toMatchObject({ value: "a", serial: 1 });
    expect(recorder.calls[1]?.body).toMatchObject({
      olds: { value: "changed outside" },
      news: { value: "a" },
    });
    expect(result.resources[0]).toMatchObject({
      operation: "refresh",
      drift: true,
      outputs: { value: "changed outside" },
      previous: { outputs: { value: "a" } },
    });
    expect(result.outputs).toEqual({ oneId: "one-1", oneSerial: 1 });
    expect((await readState()).resources[0]).toMatchObject({
      outputs: { value: "changed outside" },
      inputs: { value: "a" },
    });
  });

  it("with legacyRefreshDiff, decides drift from changed outputs without asking diff", async () => {
    await upThenChangeOutside();

    const result = await runLocal({ ...base(), operation: "refresh", legacyRefreshDiff: true });

    expect(recorder.methods()).toEqual(["read"]);
    expect(result.resources[0]).toMatchObject({ operation: "refresh", drift: true });
  });

  it("reports no drift when the read matches the state", async () => {
    await upWith({ name: "one", value: "a" });

    const result = await runLocal({ ...base(), operation: "refresh" });

    expect(result.resources[0]).toMatchObject({ operation: "refresh", drift: false });
  });

  it("drops a resource whose read returns no id", async () => {
    await upWith({ name: "one" }, { name: "two" });
    recorder.remote.delete("two-2");

    const result = await runLocal({ ...base(), operation: "refresh" });

    expect(result.resources.map((resource) => [resource.name, resource.operation])).toEqual([
      ["one", "refresh"],
      ["two", "delete"],
    ]);
    expect((await readState()).resources.map((resource) => resource.urn)).toEqual([urnOf("one")]);
  });
});

describe("runLocal destroy", () => {
  it("deletes every resource, last first, and empties the state", async () => {
    await upWith({ name: "one" }, { name: "two" });
    recorder.calls.length = 0;

    const result = await runLocal({ ...base(), operation: "destroy" });

    expect(recorder.methods()).toEqual(["delete", "delete"]);
    expect(recorder.calls.map((call) => call.body["id"])).toEqual(["two-2", "one-1"]);
    expect(result.resources.map((resource) => resource.operation)).toEqual(["delete", "delete"]);
    expect(result.outputs).toEqual({});
    const state = await readState();
    expect(state.resources).toEqual([]);
    expect(state.outputs).toEqual({});
  });
});

describe("runLocal failures", () => {
  it("rejects with the provider's message and the resource's urn and name", async () => {
    const error = await upWith(
      { name: "ok", fail: "none" },
      { name: "bad", fail: "create" },
      { name: "later", fail: "none" },
    ).catch((caught: unknown) => caught);

    expect(isRunLocalError(error, "RUN_LOCAL_RESOURCE_FAILED")).toBe(true);
    expect(error).toMatchObject({
      name: "RunLocalError",
      message: `create failed for ${urnOf("bad")}: cannot create bad: the fixture was told to fail`,
      providerMessage: "cannot create bad: the fixture was told to fail",
      urn: urnOf("bad"),
      resourceName: "bad",
      resourceType: "pulumi-nodejs:dynamic:Resource",
      step: "create",
      initFailure: undefined,
    });
    // Nothing after the failure runs, and what succeeded before it is kept.
    expect(recorder.methods()).toEqual(["check", "create", "check", "create"]);
    expect((await readState()).resources.map((resource) => resource.urn)).toEqual([urnOf("ok")]);
  });

  it("keeps a partially failed resource in state, and updates it on the next up", async () => {
    const error = await upWith({ name: "one", value: "a", partial: true }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toMatchObject({
      code: "RUN_LOCAL_RESOURCE_FAILED",
      providerMessage: "one was created but did not become ready",
      initFailure: {
        id: "one-1",
        properties: expect.objectContaining({ name: "one", serial: 1 }),
        reasons: ["not ready"],
      },
    });
    expect((await readState()).resources[0]).toMatchObject({
      id: "one-1",
      initErrors: ["not ready"],
      outputs: { serial: 1 },
    });
    recorder.calls.length = 0;

    // The fixture's diff sees no change (it ignores `partial`): the update comes from the
    // engine's rule for resources with init errors.
    const result = await upWith({ name: "one", value: "a" });

    expect(recorder.methods()).toEqual(["check", "diff", "update"]);
    expect(result.resources[0]).toMatchObject({
      operation: "update",
      id: "one-1",
      diff: { changes: "none" },
    });
    expect((await readState()).resources[0]).not.toHaveProperty("initErrors");
  });

  it("rejects with every check failure, naming the property", async () => {
    const error = await upWith({ name: "Bad", value: "forbidden" }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toMatchObject({
      code: "RUN_LOCAL_INVALID_INPUTS",
      message: [
        `pulumi-nodejs:dynamic:Resource resource 'Bad': property name value "Bad" has a problem: must be lowercase letters, digits and dashes`,
        "pulumi-nodejs:dynamic:Resource resource 'Bad' has a problem: value is forbidden",
      ].join("\n"),
      urn: urnOf("Bad"),
      step: "check",
      failures: [
        { property: "name", reason: "must be lowercase letters, digits and dashes" },
        { property: "", reason: "value is forbidden" },
      ],
    });
    expect(recorder.methods()).toEqual(["check"]);
    await expect(readFile(stateFile, "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("rejects with the serialization error of a provider that cannot be serialized", async () => {
    const now = Date.now.bind(Date);
    const unserializable: pulumi.dynamic.ResourceProvider = {
      async create() {
        return { id: String(now()) };
      },
    };
    class Broken extends pulumi.dynamic.Resource {
      constructor(name: string) {
        super(unserializable, name, {});
      }
    }
    const program = () => {
      new Broken("broken");
    };

    const error = await runLocal({ ...base(), operation: "up", program }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toMatchObject({ code: "RUN_LOCAL_PROGRAM_FAILED" });
    expect((error as Error).message).toContain('error serializing property "__provider"');
  });

  it("rejects with the program's own error", async () => {
    const error = await runLocal({
      ...base(),
      operation: "up",
      program: () => {
        throw new Error("the program broke");
      },
    }).catch((caught: unknown) => caught);

    expect(error).toMatchObject({
      code: "RUN_LOCAL_PROGRAM_FAILED",
      message: "the program failed: the program broke",
    });
  });

  it("stops at an abort, killing the host in the middle of a provider call", async () => {
    const controller = new AbortController();
    const started = Date.now();

    const error = await runLocal({
      ...base(),
      operation: "up",
      signal: controller.signal,
      onLog: (line) => {
        if (line === "fixture: creating slow") controller.abort();
      },
      program: programOf([{ name: "slow", sleepMs: 60_000 }]),
    }).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: "RUN_LOCAL_ABORTED", logs: ["fixture: creating slow"] });
    expect(Date.now() - started).toBeLessThan(20_000);
    await expect(readFile(stateFile, "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("times out after timeoutMs", async () => {
    const error = await runLocal({
      ...base(),
      operation: "up",
      timeoutMs: 1_000,
      program: programOf([{ name: "slow", sleepMs: 60_000 }]),
    }).catch((caught: unknown) => caught);

    expect(error).toMatchObject({
      code: "RUN_LOCAL_TIMEOUT",
      message: "runLocal timed out after 1000 ms",
    });
  });

  it("refuses a state file of another stack", async () => {
    await upWith({ name: "one" });

    const error = await runLocal({ ...base(), stack: "prod", operation: "refresh" }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toMatchObject({ code: "RUN_LOCAL_STATE_ERROR" });
  });

  it("refuses a program without which up cannot run", async () => {
    const options = { ...base(), operation: "up" } as unknown as Parameters<typeof runLocal>[0];

    await expect(runLocal(options)).rejects.toMatchObject({ code: "RUN_LOCAL_INVALID_OPTIONS" });
  });
});

describe("runLocal secrets and logs", () => {
  it("passes secret config to configure in plaintext", async () => {
    await upWith({ name: "one" });

    expect(recorder.calls[1]?.body["apiKey"]).toBe("api-key-1234");
  });

  it("never writes secret inputs or outputs to the state file in plaintext", async () => {
    const program = () => {
      const resource = new Echo(
        "one",
        { name: "one", token: pulumi.secret("s3cret-token") },
        { additionalSecretOutputs: ["tokenDigest"] },
      );
      return { token: resource.token };
    };

    const result = await runLocal({ ...base(), operation: "up", program });

    // The provider got plaintext; the results show it, and say what is secret.
    expect(recorder.calls[0]?.body["news"]).toMatchObject({ token: "s3cret-token" });
    expect(result.outputs).toEqual({ token: "s3cret-token" });
    expect(result.secretOutputNames).toEqual(["token"]);
    expect(result.resources[0]?.secretOutputNames).toEqual(["token", "tokenDigest"]);
    const digest = result.resources[0]?.outputs["tokenDigest"] as string;
    const text = await readFile(stateFile, "utf8");
    expect(text).not.toContain("s3cret-token");
    expect(text).not.toContain(digest);
    expect(text).not.toContain("api-key-1234");
    expect(text).toContain("ciphertext");

    // A second run decrypts what the first wrote: the token is unchanged, so nothing happens.
    recorder.calls.length = 0;
    const second = await runLocal({ ...base(), operation: "up", program });
    expect(second.resources[0]?.operation).toBe("same");
    expect(recorder.calls[1]?.body["olds"]).toMatchObject({ token: "s3cret-token" });
  });

  it("returns the provider host's printed lines, and streams them to onLog", async () => {
    const streamed: Array<[string, string]> = [];
    await upWith({ name: "one", value: "a" });

    const result = await runLocal({
      ...base(),
      operation: "up",
      program: programOf([{ name: "one", value: "b" }]),
      onLog: (line, stream) => streamed.push([line, stream]),
    });

    expect(result.logs).toEqual(["fixture: updating one-1"]);
    expect(streamed).toEqual([["fixture: updating one-1", "stderr"]]);
  });
});
