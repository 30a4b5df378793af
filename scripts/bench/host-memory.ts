/**
 * The peak resident memory of the Pulumi dynamic-provider host under a process tree, read from
 * Linux's /proc (`VmRSS` sampled, and `VmHWM`, the kernel's own high-water mark, at each sample).
 */
import { readdirSync, readFileSync } from "node:fs";

/** The host's entry point, whether started by the CLI's shim or by `runLocal`. */
const HOST_ENTRY = "cmd/dynamic-provider";

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    // Gone between the listing and the read.
    return undefined;
  }
}

/** Parent of every live process, from `/proc/<pid>/stat` (the field after the parenthesised name). */
function parents(): Map<number, number> {
  const result = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readProc(pid, "stat");
    if (stat === undefined) continue;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    result.set(pid, Number(fields[1]));
  }
  return result;
}

/** Live provider hosts that descend from `rootPid`. */
function hostPidsUnder(rootPid: number): number[] {
  const parentOf = parents();
  const descends = (pid: number): boolean => {
    for (let p = parentOf.get(pid), hops = 0; p !== undefined && hops < 64; hops += 1) {
      if (p === rootPid) return true;
      p = parentOf.get(p);
    }
    return false;
  };
  return [...parentOf.keys()].filter(
    (pid) =>
      descends(pid) &&
      (readProc(pid, "cmdline") ?? "").split("\0").some((a) => a.includes(HOST_ENTRY)),
  );
}

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readProc(pid, "status") ?? "");
  return match === null ? 0 : Number(match[1]);
}

/** Samples the hosts under `rootPid` every `everyMs` until `stop()`, which returns the peak in MB. */
export function sampleHostMemory(
  rootPid: number,
  everyMs = 200,
): { stop(): number; hostsSeen(): number } {
  let peakKb = 0;
  const seen = new Set<number>();
  const sample = () => {
    for (const pid of hostPidsUnder(rootPid)) {
      seen.add(pid);
      peakKb = Math.max(peakKb, statusKb(pid, "VmRSS"), statusKb(pid, "VmHWM"));
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(peakKb / 102.4) / 10;
    },
    hostsSeen: () => seen.size,
  };
}
