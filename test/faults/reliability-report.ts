import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RandomRunRecord } from "./random-promotions.js";

export const REPOSITORY_ROOT = join(__dirname, "../..");
export const RELIABILITY_FILE = join(REPOSITORY_ROOT, "RELIABILITY.md");

/** A row as RELIABILITY.md lists it. */
export interface MatrixRow {
  fault: string;
  expected: string;
}

/** What one run of the suite saw, filled in by the tests as they pass. */
export interface SuiteResults {
  /** Rows that ran, by fault: whether every assertion held, and what the secret scan saw. */
  rows: Map<string, { passed: boolean; scanned: number; leaked: number }>;
  random: { record: RandomRunRecord; seed: number; passed: boolean } | undefined;
}

/** The README's paragraph on retries and continues: the guarantee the matrix checks. */
export function guaranteeWording(readme: string): string {
  const paragraph = readme.split(/\n\s*\n/).find((p) => p.startsWith("**Retry policy.**"));
  if (paragraph === undefined) throw new Error("README.md has no **Retry policy.** paragraph");
  return paragraph.replace(/\s*\n\s*/g, " ");
}

const cell = (text: string) => text.replaceAll("|", "\\|");

/**
 * RELIABILITY.md as this run's results make it. Nothing in it varies between runs (no
 * timings), so the file can be compared byte for byte.
 */
export function renderReliability(
  groups: ReadonlyArray<{ name: string; rows: readonly MatrixRow[] }>,
  randomTestName: string,
  results: SuiteResults,
): string {
  const rows = groups.flatMap((group) => group.rows.map((row) => ({ ...row, group: group.name })));
  const readme = readFileSync(join(REPOSITORY_ROOT, "README.md"), "utf8");
  const random = results.random;
  const passed = (row: MatrixRow) => results.rows.get(row.fault)?.passed === true;
  const ran = [...results.rows.values()];
  // A count of the lines would vary with the provider host's progress lines; only whether any were scanned is shown.
  const scanned = ran.reduce((sum, r) => sum + r.scanned, random?.record.scanned ?? 0);
  const leaked = ran.reduce((sum, r) => sum + r.leaked, random?.record.leaked.length ?? 0);
  const lines = [
    "# Reliability",
    "",
    "What a promotion survives, as `npm run test:faults` (the suite in `test/faults/`) shows it",
    "against the simulator. The suite renders this file from what it saw and fails when the file",
    "differs; `UPDATE_RELIABILITY=1 npm run test:faults` rewrites it.",
    "",
    "## The guarantee",
    "",
    "As the README's client section states it:",
    "",
    `> ${guaranteeWording(readme)}`,
    "",
    "## Figures",
    "",
    "| figure | value |",
    "|---|---|",
    `| faults survived | ${rows.filter(passed).length} of ${rows.length} matrix rows, and ${random?.passed === true ? random.record.faultedRequests : 0} requests struck by random faults |`,
    `| promotions under random faults | ${random?.passed === true ? random.record.promotions : 0} (3 steps each, seed ${random?.seed ?? "-"}) |`,
    `| double continues | ${random?.record.doubleContinues ?? "not run"} |`,
    `| secrets found in errors and log lines | ${leaked} (${scanned === 0 ? "nothing" : "every error message and log line of every row"} scanned) |`,
    "",
    "## Fault matrix",
    "",
    "A client row runs one promotion step with a client that has no token yet: `GET /`, a UAA",
    "token, the app's active deployment (`GET /v3/deployments`), a read, a safe continue and a",
    "read back. It asserts the outcome, the simulator's request log, every wait, the deployment",
    "afterwards, that exactly one `audit.app.deployment.continue` was recorded for the step",
    "(none when the step fails), and that no password, client secret or token appears in an",
    "error or log line. A provider row runs `up` of `examples/promote-to-step` (`toStep: 2`,",
    "`lateDeliverySeconds: 2`) through `runLocal` and asserts the continue POSTs, the recorded",
    "step and `continues`, one continue audit event, and no password in the host's lines or the",
    "outputs. A router row puts a router in front of the simulator that passes one continue on",
    "and answers it with its own 502; when the `up` fails, the row asserts the partial failure's",
    "message and the state it kept, then runs `up` again.",
    "",
    "| fault | expected behaviour | test | result |",
    "|---|---|---|---|",
    ...rows.map(
      (row) =>
        `| ${cell(row.fault)} | ${cell(row.expected)} | ${cell(`${row.group} > ${row.fault}`)} | ${passed(row) ? "passed" : "failed"} |`,
    ),
    "",
    "## Random faults",
    "",
    "One simulator, one client, canaries of `web` (steps 25/50/75) promoted one after another;",
    "before each continue 0–2 faults drawn from resets before and after on every request kind,",
    "502/503/504 bursts on reads and the token request, 500/502/503 on the continue, 429 with",
    "`Retry-After`, a slow read and revoked tokens. Continues are counted per deployment from",
    "the audit events.",
    "",
    "| test | promotions | faults injected | requests struck | double continues | result |",
    "|---|---|---|---|---|---|",
    random === undefined
      ? `| ${cell(randomTestName)} | - | - | - | - | not run |`
      : `| ${cell(randomTestName)} | ${random.record.promotions} | ${random.record.faultsInjected} | ${random.record.faultedRequests} | ${random.record.doubleContinues} | ${random.passed ? "passed" : "failed"} |`,
    "",
    "## Not in the matrix yet",
    "",
    "A continue or cancel held longer than the late-delivery window (`lateDeliverySeconds`, 60 s",
    "by default) and delivered only after the next run read the deployment unchanged: the client",
    "ends with CF_OUTCOME_UNKNOWN and sends nothing more, but the next run continues, and the held",
    "request then moves the deployment twice. The Cloud Controller offers no conditional",
    "continue, so no client can close this. The provider row of a continue held past the window",
    "lets it land before the next `up` (which then sends nothing); the random faults leave late",
    "deliveries out.",
    "",
  ];
  return lines.join("\n");
}
