import type { RecordedDeployment } from "./promotion-record.js";

/** Prints what a promotion is doing, one line at a time. */
export interface ProgressReporter {
  /**
   * Reports an observation of the deployment; prints only on change or after a quiet spell.
   * `finalContinueSent`: the last canary step was continued, so ACTIVE/DEPLOYING is the rollout
   * to every instance, not a canary step scaling.
   */
  observe(deployment: RecordedDeployment, finalContinueSent?: boolean): void;
  /** Prints a line as is (with the elapsed time). */
  note(text: string): void;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressReporterOptions {
  /** The app's name, which starts every line. */
  appName: string;
  /** The clock (epoch ms). */
  now: () => number;
  /**
   * Where lines go. The dynamic-provider host's stdout reaches `pulumi up` as info diagnostics
   * since CLI v3.146 (pulumi/pulumi#18253), so `console.log` is what users see.
   */
  print: (line: string) => void;
  /** Repeat an unchanged status after this long, so a long wait still shows life. @default 10000 */
  heartbeatMs?: number;
}

/**
 * Progress lines such as "web: canary step 2/3 scaling… (12s)". They carry only the app name,
 * the deployment's status and time: never anything from the connection.
 */
export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const startedAt = options.now();
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  let lastKey = "";
  let lastPrintedAt = Number.NEGATIVE_INFINITY;
  const print = (text: string) => {
    const now = options.now();
    lastPrintedAt = now;
    options.print(`${options.appName}: ${text} (${formatElapsed(now - startedAt)})`);
  };
  return {
    observe(deployment, finalContinueSent = false) {
      const text = describeProgress(deployment, finalContinueSent);
      const now = options.now();
      if (text !== lastKey || now - lastPrintedAt >= heartbeatMs) {
        lastKey = text;
        print(text);
      }
    },
    note(text) {
      print(text);
    },
  };
}

/** The status part of a progress line, e.g. "canary step 2/3 scaling…". */
export function describeProgress(
  deployment: RecordedDeployment,
  finalContinueSent = false,
): string {
  const step = deployment.canaryStep;
  const where =
    step === null
      ? `${deployment.strategy} deployment`
      : `canary step ${step.current}/${step.total}`;
  switch (`${deployment.statusValue}/${deployment.statusReason}`) {
    case "ACTIVE/DEPLOYING":
      if (step === null) return `${where} deploying…`;
      // After the last continue CC keeps `current == total` while it rolls out
      // (cloud_controller_ng app/actions/deployment_continue.rb).
      return finalContinueSent ? "rolling out to all instances…" : `${where} scaling…`;
    case "ACTIVE/PAUSED":
      return `${where} paused`;
    case "ACTIVE/CANCELING":
      return `${where} canceling…`;
    case "FINALIZED/DEPLOYED":
      return "deployed";
    default:
      return `${where}: ${deployment.statusValue}/${deployment.statusReason}`;
  }
}

/** "12s", or "2m05s" from a minute on. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}
