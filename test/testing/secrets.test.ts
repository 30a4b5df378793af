import { describe, expect, it } from "vitest";
import {
  annotateSecrets,
  makeSecret,
  markSecretOutputs,
  resourceSig,
  revealSecrets,
  secretPropertyNames,
  specialSigKey,
  toProviderValue,
  unknownValue,
  withoutResourceReferences,
} from "../../src/testing/secrets.js";

describe("toProviderValue", () => {
  it("removes secret wrappers at any depth, as the engine does for a provider that refuses secrets", () => {
    const value = {
      token: makeSecret("t"),
      nested: { list: [makeSecret(1), 2], deep: makeSecret({ a: makeSecret("b") }) },
    };

    expect(toProviderValue(value)).toEqual({
      token: "t",
      nested: { list: [1, 2], deep: { a: "b" } },
    });
  });

  it("downgrades resource references to the id, unknown while empty, or a component's urn", () => {
    const custom = { [specialSigKey]: resourceSig, urn: "urn:a", id: "id-a" };
    const pending = { [specialSigKey]: resourceSig, urn: "urn:b", id: "" };
    const component = { [specialSigKey]: resourceSig, urn: "urn:c" };

    expect(toProviderValue({ custom, pending, component })).toEqual({
      custom: "id-a",
      pending: unknownValue,
      component: "urn:c",
    });
  });
});

describe("withoutResourceReferences", () => {
  it("downgrades references but keeps secrets", () => {
    const resourceRef = { [specialSigKey]: resourceSig, urn: "urn:a", id: "id-a" };

    expect(withoutResourceReferences({ r: makeSecret(resourceRef) })).toEqual({
      r: makeSecret("id-a"),
    });
  });
});

describe("annotateSecrets", () => {
  it("marks outputs secret whose same-named input holds a secret, recursing into objects", () => {
    const outputs = {
      token: "t",
      derived: "from t",
      config: { password: "p", user: "u" },
      list: [1, 2],
    };
    const inputs = {
      token: makeSecret("t"),
      config: { password: makeSecret("p"), user: "u" },
      list: [makeSecret(1), 2],
      missing: makeSecret("x"),
    };

    expect(annotateSecrets(outputs, inputs)).toEqual({
      token: makeSecret("t"),
      derived: "from t",
      config: { password: makeSecret("p"), user: "u" },
      list: makeSecret([1, 2]),
    });
  });

  it("marks a whole output object secret when the input object is itself a secret", () => {
    expect(annotateSecrets({ config: { a: 1 } }, { config: makeSecret({ a: 1 }) })).toEqual({
      config: makeSecret({ a: 1 }),
    });
  });
});

describe("markSecretOutputs", () => {
  it("marks the named outputs that exist, once", () => {
    expect(markSecretOutputs({ a: 1, b: makeSecret(2) }, ["a", "b", "c"])).toEqual({
      a: makeSecret(1),
      b: makeSecret(2),
    });
  });
});

describe("revealSecrets and secretPropertyNames", () => {
  it("give the plaintext and the names of the top-level properties that hold secrets", () => {
    const properties = { a: makeSecret("x"), b: { c: makeSecret(1) }, d: 2 };

    expect(revealSecrets(properties)).toEqual({ a: "x", b: { c: 1 }, d: 2 });
    expect(secretPropertyNames(properties)).toEqual(["a", "b"]);
  });
});
