import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests start real loopback servers and real provider hosts; give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // .ci/run reads this file to print the plain "N passed, N failed" line.
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
  },
});
