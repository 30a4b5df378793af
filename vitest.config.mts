import { defineConfig } from "vitest/config";
import { countCliTests } from "./test/cli/count-cli-tests.js";
import { findPulumiCliDir } from "./test/cli/pulumi-cli.js";

// The CLI suite (test/cli) runs the real pulumi CLI: .tools/bin from `npm run tools`, or one on
// PATH. Without one it is left out, loudly, and its tests are not counted as passed.
const cliDir = findPulumiCliDir();
if (cliDir === undefined) {
  console.warn(`skipped ${countCliTests()} CLI tests: no pulumi CLI (run npm run tools)`);
}

export default defineConfig({
  test: {
    // .ci/run reads this file to print the plain "N passed, N failed" line.
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/cli/**"],
          // Tests start real loopback servers and real provider hosts; give them room on 2 cores.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      ...(cliDir === undefined
        ? []
        : [
            {
              extends: true,
              test: {
                name: "cli",
                include: ["test/cli/**/*.test.ts"],
                globalSetup: ["test/cli/global-setup.ts"],
                // Each pulumi command starts the engine, ts-node and a provider host.
                testTimeout: 300_000,
                hookTimeout: 300_000,
              },
            },
          ]),
    ],
  },
});
