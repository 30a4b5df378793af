import type { FaultRule } from "../../src/simulator/index.js";

/**
 * A fault met by a whole `up` through the real provider host (`runLocal`): the web canary is
 * promoted to step 2 under the fault, and the row states the outputs the stack records.
 */
export interface ProviderRow {
  fault: string;
  expected: string;
  rules: (paths: { get: string; continue: string }) => FaultRule[];
  /** Every POST the Cloud Controller saw, `continue <status>`. */
  posts: string[];
  /** `canaryStep.current` and the recorded `continues` (from → to) in the outputs. */
  step: number;
  continues: string[];
}

export const providerRows: ProviderRow[] = [
  {
    fault: "connection reset after handling: POST continue (through the provider)",
    expected: "the step is recorded once, from the read back; no second continue",
    rules: (p) => [{ method: "POST", path: p.continue, reset: "after" }],
    posts: ["continue 0"],
    step: 2,
    continues: ["1→2"],
  },
  {
    fault: "the Cloud Controller's own 500 on POST continue (through the provider)",
    expected: "read back unchanged: sent once more; one continue recorded",
    rules: (p) => [
      {
        method: "POST",
        path: p.continue,
        status: 500,
        body: {
          errors: [{ code: 10001, title: "CF-ServerError", detail: "An unknown error occurred." }],
        },
      },
    ],
    posts: ["continue 500", "continue 200"],
    step: 2,
    continues: ["1→2"],
  },
  {
    fault: "503 burst (3) on GET /v3/deployments/:guid (through the provider)",
    expected: "reads retried; one continue recorded",
    rules: (p) => [{ method: "GET", path: p.get, status: 503, times: 3 }],
    posts: ["continue 200"],
    step: 2,
    continues: ["1→2"],
  },
];
