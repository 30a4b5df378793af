import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { makeSecret } from "../../src/testing/secrets.js";
import { openStateFile, type StateResource } from "../../src/testing/state-file.js";
import { hostTest } from "../support/host-fixture.js";

const stack = { project: "p", stack: "dev", passphrase: "correct horse" };

/** `directory`: a fresh one per test; `path`: a state file in a folder of it not made yet. */
const it = hostTest
  .extend("directory", ({ tempDir }) => tempDir("state-file-"))
  .extend("path", ({ directory }) => join(directory, "nested", "state.json"));

describe("openStateFile", () => {
  it("starts an empty stack when the file does not exist", async ({ path }) => {
    const file = await openStateFile(path, stack);

    expect(file.state).toEqual({
      version: 1,
      project: "p",
      stack: "dev",
      outputs: {},
      resources: [],
    });
  });

  it("writes secrets encrypted and reads them back", async ({ path }) => {
    const file = await openStateFile(path, stack);
    file.state.outputs = { password: makeSecret("hunter2"), plain: "visible" };
    file.state.resources.push({
      urn: "urn:pulumi:dev::p::t::r",
      type: "t",
      id: "id-1",
      inputs: { nested: { token: makeSecret({ deep: "s3cret" }) } },
      outputs: {},
    });

    await file.save();

    const text = await readFile(path, "utf8");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("s3cret");
    expect(text).toContain("visible");
    expect(JSON.parse(text).outputs.password).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: expect.stringMatching(/^v1:/),
    });
    const reopened = await openStateFile(path, stack);
    expect(reopened.state.outputs).toEqual(file.state.outputs);
    expect(reopened.state.resources).toEqual(file.state.resources);
  });

  it("writes through a temporary file, leaving nothing else behind", async ({
    path,
    directory,
  }) => {
    const file = await openStateFile(path, stack);

    await Promise.all([file.save(), file.save(), file.save()]);

    expect(await readdir(join(directory, "nested"))).toEqual(["state.json"]);
  });

  it("refuses a wrong passphrase", async ({ path }) => {
    const file = await openStateFile(path, stack);
    file.state.outputs = { password: makeSecret("hunter2") };
    await file.save();

    await expect(openStateFile(path, { ...stack, passphrase: "wrong" })).rejects.toMatchObject({
      code: "RUN_LOCAL_STATE_ERROR",
      message: expect.stringContaining("cannot decrypt"),
    });
  });

  it("refuses the state of another project or stack, and files that are not state", async ({
    path,
  }) => {
    await (await openStateFile(path, stack)).save();

    await expect(openStateFile(path, { ...stack, stack: "prod" })).rejects.toMatchObject({
      code: "RUN_LOCAL_STATE_ERROR",
      message: `state file ${path} belongs to p/dev, not p/prod`,
    });
    await writeFile(path, "{}");
    await expect(openStateFile(path, stack)).rejects.toMatchObject({
      code: "RUN_LOCAL_STATE_ERROR",
    });
  });
});

describe("a state file's resource list", () => {
  const entry = (urn: string, more: Partial<StateResource> = {}): StateResource => ({
    urn,
    type: "t",
    id: `id-${urn}`,
    inputs: {},
    outputs: {},
    ...more,
  });

  it("upsert puts a resource in the place of the live entry of its URN, or appends it", async ({
    path,
  }) => {
    const file = await openStateFile(path, stack);
    const old = entry("a", { pendingDelete: true });
    const live = entry("a");
    file.state.resources.push(old, live, entry("b"));

    const updated = entry("a", { id: "id-new" });
    file.upsert(updated);
    file.upsert(entry("c"));

    expect(file.state.resources).toEqual([old, updated, entry("b"), entry("c")]);
  });

  it("replace swaps one entry for another, or appends when the entry is gone", async ({ path }) => {
    const file = await openStateFile(path, stack);
    const a = entry("a");
    file.state.resources.push(a, entry("b"));

    const condemned = { ...a, pendingDelete: true };
    file.replace(a, condemned);
    file.replace(a, entry("c"));

    expect(file.state.resources).toEqual([condemned, entry("b"), entry("c")]);
  });

  it("remove drops that entry only, and ignores one already gone", async ({ path }) => {
    const file = await openStateFile(path, stack);
    const old = entry("a", { pendingDelete: true });
    const live = entry("a");
    file.state.resources.push(old, live);

    file.remove(live);
    file.remove(live);

    expect(file.state.resources).toEqual([old]);
  });
});
