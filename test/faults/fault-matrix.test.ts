import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect } from "vitest";
import { it } from "../support/index.js";
import { type FaultRow, faultRows } from "./fault-rows.js";
import { randomPromotions } from "./random-promotions.js";
import { RELIABILITY_FILE, renderReliability, type SuiteResults } from "./reliability-report.js";
import { runStep } from "./run-step.js";

const MATRIX = "fault matrix: one promotion step under each fault";
const RANDOM = "random faults";
const RANDOM_TEST = "promotes 50 canaries under seeded random faults with no double continue";
const SEED = 9;

const results: SuiteResults = { rows: new Map(), random: undefined };

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
    });
    result.passed = true;
  });
});

describe(RANDOM, () => {
  it(RANDOM_TEST, async ({ sim, time }) => {
    const record = await randomPromotions(sim, time, { promotions: 50, seed: SEED });
    results.random = { record, seed: SEED, passed: false };
    expect(record).toMatchObject({
      promotions: 50,
      unfinished: [],
      doubleContinues: 0,
      missingContinues: 0,
      leaked: [],
    });
    results.random.passed = true;
  });
});

describe("RELIABILITY.md", () => {
  it("shows what this run saw (UPDATE_RELIABILITY=1 rewrites it)", () => {
    const rendered = renderReliability(
      faultRows,
      (row: FaultRow) => `${MATRIX} > ${row.fault}`,
      `${RANDOM} > ${RANDOM_TEST}`,
      results,
    );
    if (process.env["UPDATE_RELIABILITY"] === "1") writeFileSync(RELIABILITY_FILE, rendered);
    expect(readFileSync(RELIABILITY_FILE, "utf8")).toBe(rendered);
  });
});
