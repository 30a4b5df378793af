import { describe, expect } from "vitest";
import type { FirstShellContract } from "../../src/provider/first-shell-contract.js";
import * as implementation from "../../src/provider/index.js";
import type { ProviderMethods } from "../../src/provider/provider-methods.js";
import type { createProviderShell } from "../../src/provider/provider-shell.js";
import { hostTest as it } from "../support/host-fixture.js";
import { PROVIDER_METHODS } from "../support/provider-method-names.js";

// These tests load the implementation the way the provider host does, from the built package
// (`npm test` builds first). The host fixture runs each with no CF_* variable and an empty
// CF_HOME, so the developer's own cf login is never found.

const inputs = { deploymentGuid: "8a1b7b9c-0d2e-4f3a-9b8c-7d6e5f4a3b2c", __provider: "p" };

function config(values: Record<string, string>) {
  return { get: (key: string) => values[key], require: (key: string) => values[key] ?? "" };
}

describe("the provider shell", () => {
  it("loads an implementation that exports every shell's contract and nothing else", () => {
    // The assignments are the type check; the keys say nothing more is public.
    const contract: FirstShellContract & {
      providerMethods: ProviderMethods;
      createProviderShell: typeof createProviderShell;
    } = implementation;
    expect(Object.keys(contract.providerMethods).sort()).toEqual(PROVIDER_METHODS);
    expect(Object.keys(contract).sort()).toEqual([
      "checkPromotion",
      "createPromotion",
      "createProviderRuntime",
      "createProviderShell",
      "deletePromotion",
      "diffPromotion",
      "providerMethods",
      "readPromotion",
      "readStackConnectionSettings",
      "updatePromotion",
      "userFacingFailures",
      "withUserFacingErrors",
    ]);
  });

  it("gives the host the seven methods, and a new object for each text it evaluates", () => {
    const shell = implementation.createProviderShell();
    expect(Object.keys(shell).sort()).toEqual(PROVIDER_METHODS);
    expect(implementation.createProviderShell()).not.toBe(shell);
  });

  it("makes calls that start before configure finishes see the stack configuration", async () => {
    const provider = implementation.createProviderShell();
    // The host caches the provider, then awaits configure; a concurrent call starts meanwhile.
    const configuring = provider.configure({
      config: config({ "cloudfoundry:apiUrl": "https://api.x" }),
    });
    const creating = provider.create(inputs);
    await configuring;
    await expect(creating).rejects.toThrow("none set (cloudfoundry:apiUrl is set)");
  });

  it("retries a failed read of the stack configuration instead of running unconfigured", async () => {
    const provider = implementation.createProviderShell();
    let reads = 0;
    await provider.configure({
      config: {
        get: (key: string) => {
          reads += 1;
          if (reads === 1) throw new TypeError("config is not ready");
          return key === "cloudfoundry:apiUrl" ? "https://api.x" : undefined;
        },
        require: () => "",
      },
    });
    await expect(provider.create(inputs)).rejects.toThrow("(cloudfoundry:apiUrl is set)");
  });

  it("reports a configuration that cannot be read on every call", async () => {
    const provider = implementation.createProviderShell();
    const broken = {
      get: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'cloudfoundry:apiUrl')");
      },
      require: () => "",
    };
    await provider.configure({ config: broken });
    for (let call = 0; call < 2; call++) {
      await expect(provider.create(inputs)).rejects.toThrow(
        "could not read the stack configuration (cloudfoundry:*): Cannot read properties of undefined (reading 'cloudfoundry:apiUrl')",
      );
    }
  });

  it("checks inputs without any configuration", async () => {
    const provider = implementation.createProviderShell();
    expect(await provider.check({}, { toStep: 0, __provider: "p" })).toEqual({
      inputs: { toStep: 0, __provider: "p" },
      failures: [
        {
          property: "toStep",
          reason: "[PROMOTION_INVALID_INPUTS] must be a whole number of at least 1",
        },
        expect.objectContaining({ property: "deploymentGuid" }),
      ],
    });
  });

  it("deletes without contacting anything or needing credentials", async () => {
    const provider = implementation.createProviderShell();
    await expect(provider.delete("id", { ...inputs })).resolves.toBeUndefined();
  });
});
