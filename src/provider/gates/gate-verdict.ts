/** The names of the gates, in the order they are checked (cheap reads first, outside calls last). */
export const GATE_ORDER = ["healthy", "soak", "webhook", "command"] as const;

/** One of {@link GATE_ORDER}. */
export type GateName = (typeof GATE_ORDER)[number];

/** What one check of one gate found. */
export interface GateVerdict {
  gate: GateName;
  passed: boolean;
  /** What it saw, for the progress line, the outputs and the error (never a secret). */
  detail: string;
  /** When looking again makes sense (a soak or a `forSeconds` still running), in ms. */
  retryInMs?: number;
  /** The call ran out of time (its own timeout, or what was left before the deadline). */
  timedOut?: boolean;
  /** It ran out of time because the deadline came before its own timeout: it says little. */
  cutByDeadline?: boolean;
}

/** A duration for a message: whole seconds, or tenths below ten (e.g. "0.3s", "30s"). */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${seconds < 10 ? Math.round(seconds * 10) / 10 : Math.round(seconds)}s`;
}
