import { describe, expect } from "vitest";
import { it } from "../support/index.js";
import { faultRows } from "./fault-rows.js";
import { runStep } from "./run-step.js";

describe("fault matrix: one promotion step under each fault", () => {
  it.for(faultRows)("$fault", async (row, { sim, time }) => {
    const record = await runStep(sim, time, row);
    const { texts, ...seen } = record;
    expect(seen).toEqual({
      log: row.log,
      sleeps: row.sleeps,
      outcome: row.outcome,
      state: row.state,
      continues: row.continues,
    });
  });
});
