/**
 * Metadata on `PATCH /v3/deployments/:guid` and `POST /v3/deployments`, validated as CC's
 * `app/messages/validators/metadata_validator.rb` and `app/messages/metadata_validator_helper.rb`
 * do, and stored as `app/actions/labels_update.rb` and `annotations_update.rb` store it.
 */
import { describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import {
  appGuid,
  call,
  cfError,
  it,
  seededApp,
  tokenFor,
  webDeployment,
} from "../support/index.js";

const unprocessable = (detail: string) => cfError(10008, "CF-UnprocessableEntity", detail);

async function patch(sim: SimulatorHandle, body: unknown) {
  return call(sim, "PATCH", `/v3/deployments/${webDeployment(sim)}`, {
    token: await tokenFor(sim, "developer"),
    body,
  });
}

async function storedMetadata(sim: SimulatorHandle): Promise<unknown> {
  const answer = await call(sim, "GET", `/v3/deployments/${webDeployment(sim)}`, {
    token: await tokenFor(sim, "developer"),
  });
  return (answer.json as { metadata: unknown }).metadata;
}

const long = "x".repeat(64);

type Case = [string, unknown, string];

/** Label keys CC's MetadataValidatorHelper#key_error refuses, with its texts. */
const badKeys: Array<[string, string]> = [
  ["", "key cannot be empty string"],
  ["  ", "key cannot be empty string"],
  ["example.com/", "key cannot be empty string"],
  ["a/b/c", "key has more than one '/'"],
  ["CloudFoundry.org/team", "prefix 'cloudfoundry.org' is reserved"],
  ["not_dns/team", "prefix 'not_dns' must be in valid dns format"],
  ["team name", "'team name' contains invalid characters"],
  ["team-", "'team-' starts or ends with invalid characters"],
  [long, "'xxxxxxxx...' is greater than 63 characters"],
];
/** Label values `#value_error` refuses (a list is first made text with Ruby's `inspect`). */
const badValues: Array<[unknown, string]> = [
  ["a b", "'a b' contains invalid characters"],
  [long, "'xxxxxxxx...' is greater than 63 characters"],
  [["a", 1], `'["a", 1]' contains invalid characters`],
];

const cases: Case[] = [
  ["metadata null", { metadata: null }, "Metadata must be an object"],
  ["metadata a list", { metadata: [] }, "Metadata must be an object"],
  [
    "unexpected metadata fields",
    { metadata: { tags: {}, owner: "me" } },
    "Metadata has unexpected field(s): 'tags' 'owner'",
  ],
  ["labels a string", { metadata: { labels: "env" } }, "Metadata 'labels' is not an object"],
  [
    "annotations a list",
    { metadata: { annotations: ["a"] } },
    "Metadata 'annotations' is not an object",
  ],
  ...badKeys.map(
    ([key, error]): Case => [
      `the label key ${JSON.stringify(key)}`,
      { metadata: { labels: { [key]: "x" } } },
      `Metadata label key error: ${error}`,
    ],
  ),
  ...badKeys.map(
    ([key, error]): Case => [
      `the annotation key ${JSON.stringify(key)}`,
      { metadata: { annotations: { [key]: "x" } } },
      `Metadata annotation key error: ${error}`,
    ],
  ),
  ...badValues.map(
    ([value, error]): Case => [
      `the label value ${JSON.stringify(value)}`,
      { metadata: { labels: { team: value } } },
      `Metadata label value error: ${error}`,
    ],
  ),
  [
    "an annotation value over 5000 characters",
    { metadata: { annotations: { note: "n".repeat(5001) } } },
    "Metadata annotation value error: 'nnnnnnnn...' is greater than 5000 characters",
  ],
  [
    "a bad key and a bad value in one label",
    { metadata: { labels: { "-a": "b c" } } },
    "Metadata label key error: '-a' starts or ends with invalid characters, Metadata label value error: 'b c' contains invalid characters",
  ],
  [
    "metadata and an unknown field",
    { strategy: "canary", metadata: 1 },
    "Metadata must be an object, Unknown field(s): 'strategy'",
  ],
];

describe("PATCH /v3/deployments/:guid metadata validation", () => {
  it.for(cases)("answers %s with 422 and CC's text", async ([, body, detail], { sim }) => {
    const before = await storedMetadata(sim);
    const answer = await patch(sim, body);
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual(unprocessable(detail));
    expect(await storedMetadata(sim)).toEqual(before);
  });

  it("deletes an annotation under a key it would refuse to set", async ({ sim }) => {
    const answer = await patch(sim, { metadata: { annotations: { "bad key": null } } });
    expect(answer.status, answer.text).toBe(200);
  });

  it("accepts a body without metadata and labels or annotations that are null", async ({ sim }) => {
    for (const body of [{}, { metadata: { labels: null, annotations: null } }, { metadata: {} }]) {
      const answer = await patch(sim, body);
      expect(answer.status, answer.text).toBe(200);
    }
  });

  it("stores numbers and booleans as their text, and an empty label value", async ({ sim }) => {
    const answer = await patch(sim, {
      metadata: {
        labels: { count: 3, on: true, empty: "", "example.com/team": "a.b_c-d" },
        annotations: { size: 12, "example.com/note": "any text at all, spaces too" },
      },
    });
    expect(answer.status, answer.text).toBe(200);
    expect((answer.json as { metadata: unknown }).metadata).toEqual({
      labels: { count: "3", on: "true", empty: "", "example.com/team": "a.b_c-d" },
      annotations: { size: "12", "example.com/note": "any text at all, spaces too" },
    });
  });

  it.for<[string, unknown]>([
    ["a boolean annotation value (no Ruby size)", { note: true }],
    ["a list annotation value (no string typecast)", { note: ["a"] }],
  ])("answers %s with 500 UnknownError and stores nothing", async ([, annotations], { sim }) => {
    const answer = await patch(sim, { metadata: { labels: { team: "a" }, annotations } });
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual(cfError(10001, "UnknownError", "An unknown error occurred."));
    expect(await storedMetadata(sim)).toEqual({ labels: {}, annotations: {} });
  });
});

describe("POST /v3/deployments metadata validation", () => {
  it("reports metadata before the create message's own errors", async ({ sim }) => {
    const answer = await call(sim, "POST", "/v3/deployments", {
      token: await tokenFor(sim, "developer"),
      body: {
        relationships: { app: { data: { guid: appGuid(sim, "api") } } },
        droplet: { guid: seededApp(sim, "api").stagedDropletGuid },
        potato: 1,
        metadata: { labels: { "cloudfoundry.org/x": "y" } },
      },
    });
    expect(answer.body).toEqual(
      unprocessable(
        "Metadata label key error: prefix 'cloudfoundry.org' is reserved, Unknown field(s): 'potato'",
      ),
    );
  });
});
