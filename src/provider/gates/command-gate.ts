import { spawn } from "node:child_process";
import { bounded } from "../../shared/bounded-text.js";
import type { GateDocument } from "./gate-document.js";
import { formatSeconds, type GateVerdict } from "./gate-verdict.js";

/** How many of a command's last output lines go into a message. */
const TAIL_LINES = 5;

/** How much output is kept while it runs (only its end is shown). */
const KEPT_OUTPUT = 16 * 1024;

/**
 * Environment variables a command does not get: the Cloud Foundry connection and Pulumi's
 * config may hold credentials, and a gate needs neither.
 */
const WITHHELD_ENV = /^(CF_|CLOUDFOUNDRY_|PULUMI_CONFIG|PULUMI_ACCESS_TOKEN)/i;

/**
 * The command gate: runs `argv` without a shell, the document as JSON on stdin, and passes on
 * exit status 0. It is killed at `timeoutMs`; its last lines of output go into the verdict, which
 * names the program but not its arguments.
 */
export function checkCommand(
  argv: readonly string[],
  document: GateDocument,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<GateVerdict> {
  const [program = "", ...args] = argv;
  // The program only: an argument may be a secret (a secret Output in the stack), and messages
  // go into gateResults, an output the engine does not know to keep secret.
  const label = bounded(program, 80);
  return new Promise((resolve) => {
    let output = "";
    let timedOut = false;
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !WITHHELD_ENV.test(key)),
    );
    // Its own process group, so that a kill also takes whatever it started: a child left
    // holding its output open would otherwise keep the gate waiting for "close".
    const child = spawn(program, args, {
      shell: false,
      stdio: ["pipe", "pipe", "pipe"],
      env,
      detached: true,
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-KEPT_OUTPUT);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group is gone already.
      }
    };
    // Once the command itself has exited, nothing it left behind may outlive it.
    child.on("exit", kill);
    const timer = setTimeout(
      () => {
        timedOut = true;
        kill();
      },
      Math.max(1, timeoutMs),
    );
    signal?.addEventListener("abort", kill, { once: true });
    const finish = (verdict: Omit<GateVerdict, "gate">) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", kill);
      resolve({ gate: "command", ...verdict });
    };
    child.on("error", (error) => {
      finish({ passed: false, detail: `${label} could not be started: ${bounded(error.message)}` });
    });
    child.on("close", (code, killedBy) => {
      const tail = lastLines(output);
      const said = tail === "" ? "" : `; last output: ${tail}`;
      if (timedOut) {
        finish({
          passed: false,
          detail: `${label} was killed after ${formatSeconds(timeoutMs)} (its timeout)${said}`,
          timedOut: true,
        });
      } else if (code === 0) {
        finish({ passed: true, detail: `${label} exited with 0${said}` });
      } else {
        const how =
          code === null ? `was killed by ${killedBy ?? "a signal"}` : `exited with ${code}`;
        finish({ passed: false, detail: `${label} ${how}${said}` });
      }
    });
    // A command that does not read stdin closes it early: that is not a failure of the gate.
    child.stdin.on("error", () => {});
    child.stdin.end(JSON.stringify(document));
  });
}

/** The last {@link TAIL_LINES} non-empty lines, joined with " | " and bounded. */
function lastLines(output: string): string {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  return bounded(lines.slice(-TAIL_LINES).join(" | "), 400);
}
