import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LATE_DELIVERY, type RandomRunRecord, REQUEST_TIMEOUT_MS } from "./random-promotions.js";
import type { StackRunRecord } from "./stack-promotions.js";

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
  stack: { record: StackRunRecord; seed: number; passed: boolean } | undefined;
}

/** A random run's secret scan, in the shape of a row's. */
function figuresOf(
  run: { record: { scanned: number; leaked: readonly string[] } } | undefined,
): Array<{ scanned: number; leaked: number }> {
  return run === undefined
    ? []
    : [{ scanned: run.record.scanned, leaked: run.record.leaked.length }];
}

/** The late deliveries of the client run, by when each held continue was let through. */
function lateDeliveries({ lateDeliveries: late }: RandomRunRecord): string {
  const total = late.before + late.after + late.beyond;
  return `${total}: ${late.before} before the read back, ${late.after} during the watch, ${late.beyond} after the call`;
}

/** The full names (`describe > test`) of the two random-fault runs. */
export interface RandomTestNames {
  random: string;
  stack: string;
}

/** The README's paragraphs on retries and on what is guaranteed: what the matrix checks. */
export function guaranteeWording(readme: string): string[] {
  const paragraphs = readme.split(/\n\s*\n/);
  return ["**Retry policy.**", "What is guaranteed:"].map((start) => {
    const paragraph = paragraphs.find((p) => p.startsWith(start));
    if (paragraph === undefined) throw new Error(`README.md has no paragraph "${start} …"`);
    return paragraph.replace(/\s*\n\s*/g, " ");
  });
}

const cell = (text: string) => text.replaceAll("|", "\\|");

/**
 * RELIABILITY.md as this run's results make it. Nothing in it varies between runs (no
 * timings), so the file can be compared byte for byte.
 */
export function renderReliability(
  groups: ReadonlyArray<{ name: string; rows: readonly MatrixRow[] }>,
  names: RandomTestNames,
  results: SuiteResults,
): string {
  const rows = groups.flatMap((group) => group.rows.map((row) => ({ ...row, group: group.name })));
  const readme = readFileSync(join(REPOSITORY_ROOT, "README.md"), "utf8");
  const { random, stack } = results;
  const passed = (row: MatrixRow) => results.rows.get(row.fault)?.passed === true;
  const ran = [...results.rows.values(), ...[random, stack].flatMap((run) => figuresOf(run))];
  // A count of the lines would vary with the provider host's progress lines; only whether any were scanned is shown.
  const scanned = ran.reduce((sum, r) => sum + r.scanned, 0);
  const leaked = ran.reduce((sum, r) => sum + r.leaked, 0);
  const runs = [random, stack].filter((run) => run?.passed === true);
  // Through the client the requests are the same every run; in the stack, which requests meet a
  // fault depends on how the host happens to gather its reads, so only whether any did is shown.
  const struck = random?.passed === true ? random.record.faultedRequests : 0;
  const stackStruck = (count: number) =>
    count === 0 ? "0" : "some (how many varies with how the host gathers its reads)";
  const promoted = runs.reduce((sum, run) => sum + (run?.record.promotions ?? 0), 0);
  const doubles =
    random === undefined || stack === undefined
      ? "not run"
      : random.record.doubleContinues + stack.record.doubleContinues;
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
    ...guaranteeWording(readme).flatMap((paragraph, i) =>
      (i === 0 ? [] : [">"]).concat(`> ${paragraph}`),
    ),
    "",
    "## Figures",
    "",
    "| figure | value |",
    "|---|---|",
    `| faults survived | ${rows.filter(passed).length} of ${rows.length} matrix rows, and ${struck} requests struck by random faults through the client (more in the stack) |`,
    `| promotions under random faults | ${promoted} (3 steps each, seed ${random?.seed ?? "-"}): ${random?.passed === true ? random.record.promotions : 0} through the client, ${stack?.passed === true ? stack.record.promotions : 0} in one stack |`,
    `| double continues | ${doubles} |`,
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
    "A TLS row runs the client row's step over `https://`, to the simulator's HTTPS (with the",
    "self-signed certificate it makes at start) or to its plain-HTTP port, and asserts the",
    "outcome or the exact error message, the client's warnings, the request log (empty when the",
    "first request was refused: nothing reached the server, so no continue) and the continue",
    "events. The rate limiter row promotes the web canary through all three steps against a",
    "simulator started with a small `rateLimit` (its own limiter, not an injected 429) and",
    "asserts the request log, every wait (exactly to the window's reset), one continue a step,",
    "and that no request was sent while the limit held.",
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
    "Through the client: one simulator, one client, canaries of `web` (steps 25/50/75) promoted",
    "one after another on the fake clock; before each continue 0–2 faults drawn from resets",
    "before and after on every request kind, 502/503/504 bursts on reads and the token request,",
    "500/502/503 on the continue, 429 with `Retry-After`, a slow read, revoked tokens, and late",
    `deliveries: the continue held past the client's ${REQUEST_TIMEOUT_MS} ms timeout and let through before its`,
    `read back, at the first read of its ${LATE_DELIVERY.windowMs / 1000} s watch, or after the call ended CF_OUTCOME_UNKNOWN`,
    "and the deployment had settled (so a continue sent twice would land on the next step), before",
    "the next attempt: a new call, as the next `up` makes. A step whose call failed is tried",
    "again from a fresh read. Continue audit events are counted per deployment and step.",
    "",
    "In one stack: one program of 50 `DeploymentPromotion`s through `runLocal` (the real provider",
    "host, real time, independent resources side by side up to its default `parallel`) against",
    "one simulator; before the first `up`, 0–2",
    "faults for each promotion on its own requests or on the reads all share (resets before and",
    "after on reads, 502/503/504 bursts, a reset after the continue, the Cloud Controller's 500",
    "on the continue, 429 with `Retry-After: 1`, slow reads) and two resets of the first token",
    "requests. An `up` that fails is followed by one more. The outputs' `continues` are compared",
    "with the audit trail, and the provider's progress lines must show each step continued once.",
    "",
    "| test | promotions | faults injected | requests struck | late deliveries | outcomes unknown, then resolved | `up`s | double continues | result |",
    "|---|---|---|---|---|---|---|---|---|",
    random === undefined
      ? `| ${cell(names.random)} | - | - | - | - | - | - | - | not run |`
      : `| ${cell(names.random)} | ${random.record.promotions} | ${random.record.faultsInjected} | ${random.record.faultedRequests} | ${lateDeliveries(random.record)} | ${random.record.unknownOutcomes}, ${random.record.unresolvedUnknowns.length === 0 ? "all" : "not all"} | - | ${random.record.doubleContinues} | ${random.passed ? "passed" : "failed"} |`,
    stack === undefined
      ? `| ${cell(names.stack)} | - | - | - | - | - | - | - | not run |`
      : `| ${cell(names.stack)} | ${stack.record.promotions} | ${stack.record.faultsInjected} | ${stackStruck(stack.record.faultedRequests)} | - | - | ${stack.record.ups} | ${stack.record.doubleContinues} | ${stack.passed ? "passed" : "failed"} |`,
    "",
    "## Not in the matrix yet",
    "",
    "A continue or cancel held longer than the late-delivery window (`lateDeliverySeconds`, 60 s",
    "by default) and past the next run's read: the client ends with CF_OUTCOME_UNKNOWN and sends",
    "nothing more, but the next run reads the deployment unchanged and continues; if the held",
    "request lands after that, the deployment moves twice. The Cloud Controller offers no",
    "conditional continue, so no client can close this; the random runs let every held continue",
    "land before the next attempt, and so does the provider row of a continue held past the",
    "window (its next `up` then sends nothing).",
    "",
  ];
  return lines.join("\n");
}
