import { describe, expect } from "vitest";
import { canaryStepPlan } from "../../src/simulator/index.js";
import { it } from "../support/index.js";

describe("canaryStepPlan", () => {
  it("plans N=10, [20,40] as 2/9 then 4/7", () => {
    expect(canaryStepPlan(10, undefined, [20, 40])).toEqual([
      { canary: 2, original: 9 },
      { canary: 4, original: 7 },
    ]);
  });

  it("plans N=10, [1,25,50,99,100] as 1/10, 3/8, 5/6, 10/1, 10/0", () => {
    expect(canaryStepPlan(10, undefined, [1, 25, 50, 99, 100])).toEqual([
      { canary: 1, original: 10 },
      { canary: 3, original: 8 },
      { canary: 5, original: 6 },
      { canary: 10, original: 1 },
      { canary: 10, original: 0 },
    ]);
  });

  it("plans N=5, [10,20,30,70] as 1/5, 1/5, 2/4, 4/2", () => {
    expect(canaryStepPlan(5, undefined, [10, 20, 30, 70])).toEqual([
      { canary: 1, original: 5 },
      { canary: 1, original: 5 },
      { canary: 2, original: 4 },
      { canary: 4, original: 2 },
    ]);
  });

  it("plans the seeded web app (I=4, [25,50,75]) as 1/4, 2/3, 3/2", () => {
    expect(canaryStepPlan(4, undefined, [25, 50, 75])).toEqual([
      { canary: 1, original: 4 },
      { canary: 2, original: 3 },
      { canary: 3, original: 2 },
    ]);
  });

  it("uses web_instances only when smaller than the original count", () => {
    expect(canaryStepPlan(10, 4, [50])).toEqual([{ canary: 2, original: 3 }]);
    expect(canaryStepPlan(4, 10, [50])).toEqual([{ canary: 2, original: 3 }]);
  });

  it("plans a single step of one canary without steps", () => {
    expect(canaryStepPlan(6, undefined, undefined)).toEqual([{ canary: 1, original: 6 }]);
    expect(canaryStepPlan(6, undefined, [])).toEqual([{ canary: 1, original: 6 }]);
  });
});
