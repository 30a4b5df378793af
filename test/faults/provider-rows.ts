import type { FaultRule, SimulatorHandle } from "../../src/simulator/index.js";
import type { RouterLoss } from "./provider-router.js";

/** The deployment's paths a row's faults name. */
export interface RowPaths {
  get: string;
  continue: string;
}

/**
 * A fault met by a whole `up` through the real provider host (`runLocal`, `lateDeliverySeconds`
 * 2): the web canary is promoted to step 2 under the fault, and the row states the outputs the
 * stack records.
 */
export interface ProviderRow {
  fault: string;
  expected: string;
  rules: (paths: RowPaths) => FaultRule[];
  /** A router in front of the Cloud Controller that loses one request (see `startRouter`). */
  router?: (paths: RowPaths, sim: SimulatorHandle) => RouterLoss;
  /**
   * When the first `up` fails: its error message, and what the partial failure keeps in state
   * (`canaryStep.current`, `continues`). The row then lets `before` happen and runs `up` again.
   */
  failure?: {
    message: (guid: string) => string;
    step: number;
    continues: string[];
    before: (sim: SimulatorHandle) => Promise<void>;
  };
  /** Every POST the Cloud Controller saw, `continue <status>`. */
  posts: string[];
  /** `canaryStep.current` and the recorded `continues` (from → to) in the outputs of the last `up`. */
  step: number;
  continues: string[];
}

/** The Cloud Controller holds the continue until the row lets it go (`POST /_sim/faults/release`). */
const heldContinue = (p: RowPaths): FaultRule[] => [
  { method: "POST", path: p.continue, holdMs: 600_000 },
];

/** The router's 502 on the continue, which it passed on to the Cloud Controller before. */
const lostContinue =
  (release?: number) =>
  (p: RowPaths, sim: SimulatorHandle): RouterLoss => ({
    method: "POST",
    path: p.continue,
    ...(release === undefined
      ? {}
      : {
          beforeForward: async ({ method, path, count }) => {
            if (method === "GET" && path === p.get && count === release) {
              await sim.control.releaseHeld();
            }
          },
        }),
  });

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
  {
    fault:
      "a router's 502 on POST continue, delivered to the Cloud Controller within lateDeliverySeconds (through the provider)",
    expected:
      "in doubt: read back unchanged, not sent again; it lands before the second watch read: applied once, the up succeeds with 1→2",
    rules: heldContinue,
    router: lostContinue(2),
    posts: ["continue 200 held"],
    step: 2,
    continues: ["1→2"],
  },
  {
    fault:
      "a router's 502 on POST continue, delivered to the Cloud Controller only after lateDeliverySeconds (through the provider)",
    expected:
      "watched 2 s, then the up fails as a partial failure (CF_OUTCOME_UNKNOWN) keeping step 1 and no continue; the continue lands; the next up sends nothing and records 1→2 from the audit trail",
    rules: heldContinue,
    router: lostContinue(),
    failure: {
      message: (guid) =>
        `[CF_OUTCOME_UNKNOWN] POST /v3/deployments/${guid}/actions/continue: outcome unknown after 502 Bad Gateway, and not sent again, since it may still arrive; the deployment did not move in the 2 s it was watched; the next run decides from what the deployment then shows (check it with \`cf app\`); do not send the continue by hand before looking. (this operation had already sent a continue whose outcome is unknown; the resource is kept in state with what happened)`,
      step: 1,
      continues: [],
      before: async (sim) => {
        await sim.control.releaseHeld();
      },
    },
    posts: ["continue 200 held"],
    step: 2,
    continues: ["1→2"],
  },
];
