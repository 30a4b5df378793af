import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect } from "vitest";
import promoteToStep from "../../examples/promote-to-step/index.js";
import type { RunLocalError } from "../../src/testing/index.js";
import { it as hostIt, stackConfig } from "../e2e/host-helpers.js";
import { it, seededUser } from "../support/index.js";
import { faultRows } from "./fault-rows.js";
import { eventsPerDeployment, requestKinds } from "./fault-world.js";
import { startRouter } from "./provider-router.js";
import { providerRows } from "./provider-rows.js";
import { randomPromotions } from "./random-promotions.js";
import { limitedPromotion, RATE_LIMIT, rateLimitRow } from "./rate-limit-row.js";
import { RELIABILITY_FILE, renderReliability, type SuiteResults } from "./reliability-report.js";
import { runStep } from "./run-step.js";
import { leakedSecrets } from "./secret-watch.js";
import { fleetApps, fleetSeed, stackPromotions } from "./stack-promotions.js";
import { httpsOrigin, runTlsStep, tlsExpectation, tlsRows } from "./tls-rows.js";

// The fault matrix behind `npm run test:faults`: every row records its result, and the last test
// renders RELIABILITY.md from them, so the file cannot claim more than this run showed.

const MATRIX = "fault matrix: one promotion step under each fault";
const TLS = "TLS: one promotion step over https://";
const LIMITER = "the Cloud Controller's rate limiter: a whole promotion";
const PROVIDER = "through the provider host: up to step 2 under each fault";
const RANDOM = "random faults";
const RANDOM_TEST = "promotes 50 canaries under seeded random faults with no double continue";
const SEED = 9;

const results: SuiteResults = { rows: new Map(), random: undefined, stack: undefined };

/** The outputs of `examples/promote-to-step` a provider row looks at. */
interface Outputs {
  canaryStep: { current: number };
  continues: Array<{ fromStep: number; toStep: number | "deployed" }>;
}

describe(MATRIX, () => {
  it.for(faultRows)("$fault", async (row, { sim, time }) => {
    const { scanned, leaked, ...seen } = await runStep(sim, time, row);
    const result = { passed: false, scanned, leaked: leaked.length };
    results.rows.set(row.fault, result);
    expect(leaked).toEqual([]);
    expect(seen).toEqual({
      log: row.log,
      sleeps: row.sleeps,
      outcome: row.outcome,
      state: row.state,
      continues: row.continues,
      cancels: row.cancels ?? 0,
    });
    result.passed = true;
  });
});

describe(TLS, () => {
  it.for(tlsRows)("$fault", async (row, { startSim, time }) => {
    const sim = await startSim({ tls: row.tls });
    const { scanned, leaked, ...seen } = await runTlsStep(sim, time, row);
    const result = { passed: false, scanned, leaked: leaked.length };
    results.rows.set(row.fault, result);
    expect(leaked).toEqual([]);
    expect(seen).toEqual(tlsExpectation(row, httpsOrigin(sim)));
    result.passed = true;
  });
});

describe(LIMITER, () => {
  it(rateLimitRow.fault, async ({ startSim, time }) => {
    const sim = await startSim({ rateLimit: RATE_LIMIT });
    const { scanned, leaked, ...seen } = await limitedPromotion(sim, time);
    const result = { passed: false, scanned, leaked: leaked.length };
    results.rows.set(rateLimitRow.fault, result);
    expect(leaked).toEqual([]);
    expect(seen).toEqual(rateLimitRow.expectation);
    result.passed = true;
  });
});

describe(PROVIDER, { timeout: 60_000 }, () => {
  hostIt.for(providerRows)("$fault", async (row, { sim, stack: { run }, webDeployment: guid }) => {
    const result = { passed: false, scanned: 0, leaked: 0 };
    results.rows.set(row.fault, result);
    await sim.control.tick(20);
    await sim.control.clearRequests();
    const paths = {
      get: `/v3/deployments/${guid}`,
      continue: `/v3/deployments/${guid}/actions/continue`,
    };
    for (const rule of row.rules(paths)) await sim.control.addFault(rule);
    const router = row.router && (await startRouter(sim.url, row.router(paths, sim)));
    try {
      const config = stackConfig(sim, {
        toStep: "2",
        lateDeliverySeconds: "2",
        ...(router ? { "cloudfoundry:apiUrl": router.url } : {}),
      });
      const up = () => run("up", promoteToStep, config);
      const texts: string[] = [];
      if (row.failure !== undefined) {
        const failed = await up().then(
          () => undefined,
          (error: RunLocalError) => error,
        );
        texts.push(failed?.message ?? "", ...(failed?.logs ?? []));
        const kept = failed?.initFailure?.properties as Outputs | undefined;
        expect({
          message: failed?.providerMessage,
          step: kept?.canaryStep.current,
          continues: kept?.continues.map((c) => `${c.fromStep}→${c.toStep}`),
        }).toEqual({
          message: row.failure.message(guid),
          step: row.failure.step,
          continues: row.failure.continues,
        });
        await row.failure.before(sim);
      }
      const last = await up();
      const outputs = last.outputs as unknown as Outputs;
      const posts = (await requestKinds(sim)).filter((line) => line.startsWith("continue"));
      texts.push(...last.logs, JSON.stringify(last.outputs));
      result.scanned = texts.length;
      result.leaked = leakedSecrets(texts, [seededUser(sim, "developer").password]).length;
      expect(result.leaked).toBe(0);
      expect({
        posts,
        step: outputs.canaryStep.current,
        continues: outputs.continues.map((c) => `${c.fromStep}→${c.toStep}`),
        events: (await eventsPerDeployment(sim)).get(guid),
      }).toEqual({ posts: row.posts, step: row.step, continues: row.continues, events: 1 });
    } finally {
      await router?.close();
    }
    result.passed = true;
  });
});

describe(RANDOM, { timeout: 120_000 }, () => {
  it(RANDOM_TEST, async ({ sim, time }) => {
    const record = await randomPromotions(sim, time, { promotions: 50, seed: SEED });
    results.random = { record, seed: SEED, passed: false };
    expect(record).toMatchObject({
      promotions: 50,
      unfinished: [],
      doubleContinues: 0,
      missingContinues: 0,
      unresolvedUnknowns: [],
      leaked: [],
    });
    // Every kind of late delivery was drawn and let through at its moment.
    expect(Object.values(record.lateDeliveries).every((n) => n > 0)).toBe(true);
    results.random.passed = true;
  });
});

const STACK = "one stack";
const STACK_TEST =
  "promotes 50 canaries in one runLocal stack under seeded random faults with no double continue";
const FLEET = fleetApps(50);

describe(STACK, { timeout: 180_000 }, () => {
  // The override holds in this describe only (vitest scopes it to the suite it is called in).
  const fleetIt = hostIt.override({ simOptions: { tickMs: 5, seed: fleetSeed(FLEET) } });
  fleetIt(STACK_TEST, async ({ sim, stack }) => {
    const record = await stackPromotions(sim, stack, { apps: FLEET, seed: SEED });
    results.stack = { record, seed: SEED, passed: false };
    expect(record).toMatchObject({
      promotions: 50,
      notDeployed: [],
      doubleContinues: 0,
      stepsMismatch: [],
      continuesMismatch: [],
      leaked: [],
    });
    expect(record.ups).toBeLessThanOrEqual(2);
    results.stack.passed = true;
  });
});

const groups = [
  { name: MATRIX, rows: faultRows },
  { name: TLS, rows: tlsRows },
  { name: LIMITER, rows: [rateLimitRow] },
  { name: PROVIDER, rows: providerRows },
];

describe("RELIABILITY.md", () => {
  it("shows what this run saw (UPDATE_RELIABILITY=1 rewrites it)", () => {
    const rendered = renderReliability(
      groups,
      { random: `${RANDOM} > ${RANDOM_TEST}`, stack: `${STACK} > ${STACK_TEST}` },
      results,
    );
    const notRun = groups
      .flatMap((group) => group.rows.map((row) => row.fault))
      .filter((fault) => !results.rows.has(fault));
    if (results.random === undefined) notRun.push(RANDOM_TEST);
    if (results.stack === undefined) notRun.push(STACK_TEST);
    expect(
      notRun,
      "RELIABILITY.md is checked after a run of every row (npm run test:faults)",
    ).toEqual([]);
    if (process.env["UPDATE_RELIABILITY"] === "1") writeFileSync(RELIABILITY_FILE, rendered);
    expect(readFileSync(RELIABILITY_FILE, "utf8")).toBe(rendered);
  });
});
