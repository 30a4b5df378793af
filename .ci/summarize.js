// Prints "N passed, N failed" from vitest's JSON report and exits with the test command's status.
// A build, typecheck or lint failure leaves no report: that counts as one failure, never as green.
const fs = require("node:fs");

const [reportPath, statusText] = process.argv.slice(2);
const status = Number(statusText);
let passed = 0;
let failed = 0;
let skipped = 0;
if (fs.existsSync(reportPath)) {
  const report = JSON.parse(fs.readFileSync(reportPath, "utf8"));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that fails to load has no failed test but must not look green.
  if (status !== 0 && failed === 0) failed = 1;
} else if (status !== 0) {
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(status === 0 && failed === 0 ? 0 : 1);
