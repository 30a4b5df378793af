import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect } from "vitest";
import { type Recorder, startRecorder } from "../fixtures/recorder.js";
import { hostTest } from "../support/host-fixture.js";
import { isAlive } from "../support/processes.js";

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

type UpWith = (...resources: Parameters<typeof programOf>[0]) => ReturnType<typeof runLocal>;

interface State {
  version: number;
  outputs: Record<string, unknown>;
  resources: Array<Record<string, unknown> & { urn: string; inputs: Record<string, unknown> }>;
}

/**
 * The fixture of these tests, on the host fixture:
 *
 * - `recorder`: the one the fixture provider reports to (one per file), reset for each test;
 * - `directory`, `stateFile`: a fresh directory per test, and the state file in it;
 * - `base()`: the runLocal options of stack `fixture/dev` on that state file;
 * - `upWith(...)`: `up` of a program with one fixture resource per entry (see {@link programOf});
 * - `upBefore(...)`: the same `up` as where a test starts from, its calls forgotten;
 * - `readState()`: the state file, parsed.
 */
const it = hostTest
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern, and the recorder has none.
  .extend("fileRecorder", { scope: "file" }, async ({}, { onCleanup }): Promise<Recorder> => {
    const recorder = await startRecorder();
    onCleanup(() => recorder.close());
    return recorder;
  })
  .extend("recorder", ({ fileRecorder }) => {
    fileRecorder.reset();
    return fileRecorder;
  })
  .extend("directory", ({ tempDir }) => tempDir("run-local-"))
  .extend("stateFile", ({ directory }) => join(directory, "state.json"))
  .extend("base", ({ recorder, stateFile }) => () => ({
    project: "fixture",
    stack: "dev",
    stateFile,
    projectDir,
    config: { "fixture:recorderUrl": recorder.url, "fixture:apiKey": { secret: "api-key-1234" } },
  }))
  .extend(
    "upWith",
    ({ base }): UpWith =>
      (...resources) =>
        runLocal({ ...base(), operation: "up", program: programOf(resources) }),
  )
  .extend("upBefore", ({ upWith, recorder }) => async (...resources: Parameters<UpWith>) => {
    await upWith(...resources);
    recorder.calls.length = 0;
  })
  .extend(
    "readState",
    ({ stateFile }) =>
      async (): Promise<State> =>
        JSON.parse(await readFile(stateFile, "utf8")),
  );

describe("runLocal up", () => {
  it("creates the resource through the real host and records it in the state file", async ({
    recorder,
    upWith,
    readState,
  }) => {
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

  it("runs the provider's methods in the host process, which is gone after the run", async ({
    recorder,
    upWith,
  }) => {
    await upWith({ name: "one" });

    const hostPid = recorder.calls[0]?.body.hostPid;
    expect(hostPid).toBeTypeOf("number");
    expect(hostPid).not.toBe(process.pid);
    expect(isAlive(hostPid as number)).toBe(false);
  });

  it("leaves an unchanged resource the same on a second up, without a create call", async ({
    recorder,
    base,
  }) => {
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

  it("updates the resource in place when an input changes", async ({
    recorder,
    upWith,
    upBefore,
    readState,
  }) => {
    await upBefore({ name: "one", value: "a" });

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

  it("compares the inputs itself when the provider's diff leaves changes unknown", async ({
    base,
  }) => {
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

  it("replaces the resource when its identity changes: creates the new one, then deletes the old", async ({
    recorder,
    base,
    upBefore,
    readState,
  }) => {
    await upBefore({ name: "one", value: "a" });
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

  it("deletes the old resource first when the provider asks for deleteBeforeReplace", async ({
    recorder,
    base,
    upBefore,
    readState,
  }) => {
    await upBefore({ name: "one" });
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

  it("keeps the old resource as it was when the replacement's create fails", async ({
    recorder,
    base,
    upWith,
    readState,
  }) => {
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

  it("deletes resources the program no longer declares", async ({
    recorder,
    upWith,
    upBefore,
    readState,
  }) => {
    await upBefore({ name: "one" }, { name: "two" });

    const result = await upWith({ name: "one" });

    expect(recorder.methods()).toEqual(["check", "diff", "delete"]);
    expect(recorder.calls[2]?.body["id"]).toBe("two-2");
    expect(result.resources.map((resource) => [resource.name, resource.operation])).toEqual([
      ["one", "same"],
      ["two", "delete"],
    ]);
    expect((await readState()).resources.map((resource) => resource.urn)).toEqual([urnOf("one")]);
  });

  it("runs independent resources side by side, and lists them in the order they were registered", async ({
    recorder,
    upWith,
  }) => {
    const result = await upWith({ name: "slow", sleepMs: 300 }, { name: "fast" });

    // The fast one is created while the slow create sleeps.
    const names = recorder.calls.map((call) => {
      const inputs = (call.body["news"] ?? call.body["inputs"]) as { name: string };
      return `${call.method} ${inputs.name}`;
    });
    expect(names.indexOf("create fast")).toBeLessThan(names.indexOf("create slow"));
    const checked = names.filter((name) => name.startsWith("check ")).map((name) => name.slice(6));
    expect(result.resources.map((resource) => resource.name)).toEqual(checked);
  });

  it("lets a step that is running finish when another fails, as the engine does", async ({
    upWith,
    readState,
  }) => {
    const error = await upWith(
      { name: "bad", fail: "create" },
      { name: "slow", fail: "none", sleepMs: 300 },
    ).catch((caught: unknown) => caught);

    expect(isRunLocalError(error, "RUN_LOCAL_RESOURCE_FAILED")).toBe(true);
    expect(error).toMatchObject({ resourceName: "bad" });
    expect((await readState()).resources.map((resource) => resource.urn)).toEqual([urnOf("slow")]);
  });

  it("processes registrations one at a time with parallel: 1", async ({ recorder, base }) => {
    const program = programOf([{ name: "slow", sleepMs: 300 }, { name: "fast" }]);
    await runLocal({ ...base(), operation: "up", program, parallel: 1 });

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

  it("feeds one resource's outputs to another's inputs, as the engine does", async ({ base }) => {
    const program = () => {
      const first = new Echo("first", { name: "first" });
      const second = new Echo("second", { name: "second", value: first.id });
      return { value: second.value };
    };

    const result = await runLocal({ ...base(), operation: "up", program });

    expect(result.outputs).toEqual({ value: "first-1" });
  });

  it("accepts the path of a CommonJS program module", async ({ base }) => {
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
  it("runs overlapping calls one after the other (the Pulumi runtime is process-global)", async ({
    recorder,
    directory,
    base,
    upWith,
  }) => {
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
  it("runs only Check and Diff, reports the plan and leaves the state file untouched", async ({
    recorder,
    stateFile,
    base,
    upWith,
  }) => {
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

    // The two resources are planned side by side, so their calls may interleave.
    expect(recorder.methods().sort()).toEqual(["check", "check", "diff"]);
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

  it("sends unknown values to check as the unknown sentinel", async ({ recorder, base }) => {
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
  async function upThenChangeOutside({ upWith, recorder }: { upWith: UpWith; recorder: Recorder }) {
    await upWith({ name: "one", value: "a" });
    recorder.remote.set("one-1", { value: "changed outside" });
    recorder.calls.length = 0;
  }

  it("reads each resource and records drift in the state", async ({
    recorder,
    base,
    upWith,
    readState,
  }) => {
    await upThenChangeOutside({ upWith, recorder });

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

  it("with legacyRefreshDiff, decides drift from changed outputs without asking diff", async ({
    recorder,
    base,
    upWith,
  }) => {
    await upThenChangeOutside({ upWith, recorder });

    const result = await runLocal({ ...base(), operation: "refresh", legacyRefreshDiff: true });

    expect(recorder.methods()).toEqual(["read"]);
    expect(result.resources[0]).toMatchObject({ operation: "refresh", drift: true });
  });

  it("reports no drift when the read matches the state", async ({ base, upWith }) => {
    await upWith({ name: "one", value: "a" });

    const result = await runLocal({ ...base(), operation: "refresh" });

    expect(result.resources[0]).toMatchObject({ operation: "refresh", drift: false });
  });

  it("drops a resource whose read returns no id", async ({ recorder, base, upWith, readState }) => {
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
  it("deletes every resource, last first, and empties the state", async ({
    recorder,
    base,
    upBefore,
    readState,
  }) => {
    await upBefore({ name: "one" }, { name: "two" });

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
  it("rejects with the provider's message and the resource's urn and name", async ({
    recorder,
    base,
    readState,
  }) => {
    const program = programOf([
      { name: "ok", fail: "none" },
      { name: "bad", fail: "create" },
      { name: "later", fail: "none" },
    ]);
    const error = await runLocal({ ...base(), operation: "up", program, parallel: 1 }).catch(
      (caught: unknown) => caught,
    );

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

  it("keeps a partially failed resource in state, and updates it on the next up", async ({
    recorder,
    upWith,
    readState,
  }) => {
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

  it("shows a refused secret input as [secret], never its value", async ({ upWith }) => {
    const error = await upWith({ name: "one", value: pulumi.secret("refused-secret") }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toMatchObject({
      code: "RUN_LOCAL_INVALID_INPUTS",
      message: `pulumi-nodejs:dynamic:Resource resource 'one': property value value [secret] has a problem: is refused`,
    });
    expect(JSON.stringify(error)).not.toContain("refused-secret");
  });

  it("rejects with every check failure, naming the property", async ({
    recorder,
    stateFile,
    upWith,
  }) => {
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

  it("rejects with the serialization error of a provider that cannot be serialized", async ({
    base,
  }) => {
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

  it("rejects with the program's own error", async ({ base }) => {
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

  it("stops at an abort, killing the host in the middle of a provider call", async ({
    stateFile,
    base,
  }) => {
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

  it("times out after timeoutMs", async ({ base }) => {
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

  it("refuses a state file of another stack", async ({ base, upWith }) => {
    await upWith({ name: "one" });

    const error = await runLocal({ ...base(), stack: "prod", operation: "refresh" }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toMatchObject({ code: "RUN_LOCAL_STATE_ERROR" });
  });

  it("refuses a program without which up cannot run", async ({ base }) => {
    const options = { ...base(), operation: "up" } as unknown as Parameters<typeof runLocal>[0];

    await expect(runLocal(options)).rejects.toMatchObject({ code: "RUN_LOCAL_INVALID_OPTIONS" });
  });

  it("lists every bad option in one error", async ({ base }) => {
    const options = {
      ...base(),
      operation: "up",
      program: () => ({}),
      timeoutMs: -1,
      parallel: 0.5,
    } as const;

    await expect(runLocal(options)).rejects.toMatchObject({
      code: "RUN_LOCAL_INVALID_OPTIONS",
      message:
        "invalid runLocal options: timeoutMs must be a positive number; parallel must be a whole number of at least 1",
    });
  });
});

describe("runLocal secrets and logs", () => {
  it("passes secret config to configure in plaintext", async ({ recorder, upWith }) => {
    await upWith({ name: "one" });

    expect(recorder.calls[1]?.body["apiKey"]).toBe("api-key-1234");
  });

  it("never writes secret inputs or outputs to the state file in plaintext", async ({
    recorder,
    stateFile,
    base,
  }) => {
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

  it("returns the provider host's printed lines, and streams them to onLog", async ({
    base,
    upWith,
  }) => {
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
