import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";
import type { FaultRule, SeedDescription, SimulatorHandle } from "../../src/simulator/index.js";
import { type Stack, stackConfig } from "../e2e/host-helpers.js";
import { seededRandom } from "../support/index.js";
import { eventsPerDeployment } from "./fault-world.js";
import { leakedSecrets, seedSecrets } from "./secret-watch.js";

/** Names of the stack's apps, `svc-00` on: one canary promotion each. */
export function fleetApps(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `svc-${String(i).padStart(2, "0")}`);
}

/** One org and space of `apps`, each with a canary (25/50/75) paused at step 1, and two users. */
export function fleetSeed(apps: readonly string[]): SeedDescription {
  return {
    users: [
      { username: "admin", scopes: ["openid", "cloud_controller.admin"] },
      { username: "developer", roles: [{ type: "space_developer", org: "fleet", space: "prod" }] },
    ],
    clients: [],
    orgs: [
      {
        name: "fleet",
        spaces: [
          {
            name: "prod",
            apps: apps.map((name) => ({
              name,
              deployment: { strategy: "canary", steps: [25, 50, 75], paused: true },
            })),
          },
        ],
      },
    ],
  };
}

/** What the stack records of one promotion. */
interface PromotionOutputs {
  deploymentGuid: string;
  statusReason: string;
  continues: Array<{ fromStep: number; toStep: number | string; ours: boolean }>;
}

/** One program, one DeploymentPromotion per app, to FINALIZED/DEPLOYED; outputs by app name. */
function fleetProgram(apps: readonly string[]) {
  return () => {
    const config = new pulumi.Config();
    const outputs: Record<string, unknown> = {};
    for (const app of apps) {
      const promotion = new DeploymentPromotion(app, {
        appName: app,
        orgName: config.require("org"),
        spaceName: config.require("space"),
        pollIntervalSeconds: 0.05,
      });
      outputs[app] = {
        deploymentGuid: promotion.deploymentGuid,
        statusReason: promotion.statusReason,
        continues: promotion.continues,
      };
    }
    return outputs;
  };
}

const CC_500 = {
  errors: [{ code: 10001, title: "CF-ServerError", detail: "An unknown error occurred." }],
};

/** Paths every promotion reads: the first matching request of any promotion meets the fault. */
const SHARED_READS = ["/v3/deployments", "/v3/apps", "/v3/audit_events", "/v3/processes/*/stats"];

type Pick = <T>(items: readonly T[]) => T;

/**
 * Faults the provider settles within seconds of real time: nothing that leaves a continue in
 * doubt (a reset before the answer, a proxy's 5xx, a held continue), since the provider watches
 * such a continue for its 60 s late-delivery window.
 */
const STACK_PALETTE: Array<(p: { get: string; continue: string }, pick: Pick) => FaultRule> = [
  (p, pick) => ({ method: "GET", path: p.get, reset: pick(["before", "after"] as const) }),
  (p, pick) => ({
    method: "GET",
    path: pick([p.get, ...SHARED_READS]),
    status: pick([502, 503, 504]),
    times: pick([1, 2, 3]),
  }),
  (p) => ({ method: "POST", path: p.continue, reset: "after" }),
  (p) => ({ method: "POST", path: p.continue, status: 500, body: CC_500 }),
  (p, pick) => ({
    ...pick([
      { method: "GET", path: p.get },
      { method: "POST", path: p.continue },
    ]),
    status: 429,
    headers: { "Retry-After": "1" },
  }),
  (p, pick) => ({ method: "GET", path: p.get, delayMs: pick([20, 50, 100]) }),
];

/** Every promotion logs in: the first two token requests of the run are reset. */
const TOKEN_FAULTS: FaultRule[] = (["before", "after"] as const).map((reset) => ({
  method: "POST",
  path: "/uaa/oauth/token",
  reset,
}));

const STEPS = 3;
/** The recorded `continues` of a promotion that continued every step itself, once. */
const ALL_STEPS = "1→2, 2→3, 3→deployed";

/** How many progress lines of `app` say it continued step 1, 2 and 3. */
function continuedLines(lines: readonly string[], app: string): number[] {
  return [1, 2, 3].map(
    (step) =>
      lines.filter((line) => line.startsWith(`${app}: continued from step ${step}/${STEPS} → `))
        .length,
  );
}

/** What the stack run left behind, for the assertions and RELIABILITY.md. */
export interface StackRunRecord {
  promotions: number;
  /** `up`s it took: 1, or 2 when a partial failure needed the next `up`. */
  ups: number;
  faultsInjected: number;
  /** Requests the faults struck: resets, 429s and 5xx answers. */
  faultedRequests: number;
  /** Apps whose outputs do not say DEPLOYED. */
  notDeployed: string[];
  /**
   * Continues beyond one a step: audit events per deployment beyond its three steps, plus a
   * step the provider reports continuing more than once.
   */
  doubleContinues: number;
  /** Apps whose progress lines do not show each step continued exactly once by this provider. */
  stepsMismatch: string[];
  /** Apps whose recorded `continues` differ from the audit trail (count, or not all ours). */
  continuesMismatch: string[];
  scanned: number;
  leaked: string[];
}

const MAX_UPS = 3;

/**
 * Runs one stack of a promotion per app under seeded random faults registered before the first
 * `up` (0–2 per promotion on its own paths, some on the reads all promotions share); an `up`
 * that fails is followed by another, as an operator would, at most {@link MAX_UPS}.
 */
export async function stackPromotions(
  sim: SimulatorHandle,
  stack: Stack,
  { apps, seed }: { apps: readonly string[]; seed: number },
): Promise<StackRunRecord> {
  const random = seededRandom(seed);
  const pick: Pick = (items) => items[Math.floor(random() * items.length)] as (typeof items)[0];
  for (const rule of TOKEN_FAULTS) await sim.control.addFault(rule);
  let faultsInjected = TOKEN_FAULTS.length;
  for (const app of apps) {
    const guid = sim.deployments[app] ?? "";
    const paths = {
      get: `/v3/deployments/${guid}`,
      continue: `/v3/deployments/${guid}/actions/continue`,
    };
    const count = Math.floor(random() * 3);
    for (let f = 0; f < count; f++) {
      await sim.control.addFault(pick(STACK_PALETTE)(paths, pick));
      faultsInjected++;
    }
  }
  const texts: string[] = [];
  const lines: string[] = [];
  let outputs: Record<string, unknown> = {};
  let ups = 0;
  while (ups < MAX_UPS) {
    ups++;
    try {
      const up = await stack.run("up", fleetProgram(apps), stackConfig(sim));
      texts.push(...up.logs, JSON.stringify(up.outputs));
      lines.push(...up.logs);
      outputs = up.outputs;
      break;
    } catch (error) {
      texts.push(String(error), JSON.stringify(error));
    }
  }
  await sim.control.clearFaults();
  const faultedRequests = (await sim.control.requests()).filter(
    (entry) => entry.status === 0 || entry.status === 429 || entry.status >= 500,
  ).length;
  const events = await eventsPerDeployment(sim);
  const recorded = (app: string) => outputs[app] as PromotionOutputs | undefined;
  const trailOf = (app: string) => events.get(sim.deployments[app] ?? "") ?? 0;
  return {
    promotions: apps.length,
    ups,
    faultsInjected,
    faultedRequests,
    notDeployed: apps.filter((app) => recorded(app)?.statusReason !== "DEPLOYED"),
    doubleContinues: apps.reduce(
      (sum, app) =>
        sum +
        Math.max(0, trailOf(app) - STEPS) +
        continuedLines(lines, app).reduce((extra, n) => extra + Math.max(0, n - 1), 0),
      0,
    ),
    stepsMismatch: apps.filter(
      (app) =>
        continuedLines(lines, app).some((n) => n !== 1) ||
        lines.some((line) => line.startsWith(`${app}: `) && line.includes("someone else")),
    ),
    continuesMismatch: apps.filter((app) => {
      const continues = recorded(app)?.continues ?? [];
      const steps = continues.map((c) => `${c.fromStep}→${c.toStep}${c.ours ? "" : " (not ours)"}`);
      return continues.length !== trailOf(app) || steps.join(", ") !== ALL_STEPS;
    }),
    scanned: texts.length,
    leaked: leakedSecrets(texts, seedSecrets(sim)),
  };
}
