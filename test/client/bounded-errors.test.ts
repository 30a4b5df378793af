/** Whatever the client echoes into an error is cut to a readable length. */
import { describe, expect } from "vitest";
import { bounded, ECHO_LIMIT } from "../../src/shared/bounded-text.js";
import { test as it } from "../support/client-fixture.js";
import { pausedWebDeployment } from "../support/index.js";

const MEGABYTE = 1024 * 1024;

/** The message and JSON of what `promise` rejects with. */
async function failureOf(promise: Promise<unknown>): Promise<{ message: string; json: string }> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e as Error,
  );
  return { message: error.message, json: JSON.stringify(error) };
}

describe("errors about huge inputs", () => {
  it("stay under 2 KB for a 1 MB app name filter (a 431)", async ({ sim, client }) => {
    const failure = await failureOf(client.findAppByName(sim.space.guid, "a".repeat(MEGABYTE)));
    expect(failure.message).toMatch(/^GET \/v3\/apps\?.*a… \(\d+ characters\) → 431 /);
    expect(failure.message.length).toBeLessThan(2_048);
    expect(failure.json.length).toBeLessThan(4_096);
  });

  it("stay under 2 KB for a 1 MB deployment GUID", async ({ client }) => {
    const failure = await failureOf(client.getDeployment("g".repeat(MEGABYTE)));
    expect(failure.message).toMatch(/^GET \/v3\/deployments\/g+… \(\d+ characters\) → 4\d\d /);
    expect(failure.message.length).toBeLessThan(2_048);
    expect(failure.json.length).toBeLessThan(4_096);
  });

  it("cut a half-megabyte Cloud Controller error detail", async ({ sim, client }) => {
    const guid = await pausedWebDeployment(sim);
    const detail = `Cannot continue\n${"x".repeat(MEGABYTE / 2)}`;
    await sim.control.addFault({
      method: "POST",
      path: `/v3/deployments/${guid}/actions/continue`,
      status: 422,
      body: { errors: [{ code: 10008, title: "CF-UnprocessableEntity", detail }] },
    });
    const failure = await failureOf(client.continueDeployment(guid));
    expect(failure.message).toContain(
      `(10008): Cannot continue ${"x".repeat(ECHO_LIMIT - 16)}… (${detail.length} characters)`,
    );
    expect(failure.message.length).toBeLessThan(2_048);
    expect(failure.json.length).toBeLessThan(4_096);
  });
});

describe("bounded", () => {
  it.each([
    ["short text", "short text"],
    ["two\nlines  and\ttabs", "two lines and tabs"],
    ["z".repeat(ECHO_LIMIT), "z".repeat(ECHO_LIMIT)],
    ["z".repeat(ECHO_LIMIT + 1), `${"z".repeat(ECHO_LIMIT)}… (${ECHO_LIMIT + 1} characters)`],
    ["y".repeat(MEGABYTE), `${"y".repeat(ECHO_LIMIT)}… (${MEGABYTE} characters)`],
  ])("makes %j one bounded line", (text, expected) => {
    expect(bounded(text)).toBe(expected);
  });
});
