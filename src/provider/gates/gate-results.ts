import { z } from "zod";
import { GATE_ORDER } from "./gate-verdict.js";

const gateOutcomeSchema = z.object({
  gate: z.enum(GATE_ORDER),
  /** `null`: not checked in the last round, because a gate before it had not passed. */
  passed: z.boolean().nullable(),
  detail: z.string(),
});

/** What one gate saw in the last round before a continue. */
export type GateOutcome = z.infer<typeof gateOutcomeSchema>;

const gateRoundSchema = z.object({
  /** The step the deployment was paused at, and where the continue would take it. */
  fromStep: z.number(),
  toStep: z.union([z.number(), z.literal("deployed")]),
  /** Whether every gate passed (and so the continue was sent). */
  passed: z.boolean(),
  /** When the first and the last round of checks began (ISO 8601, the provider's clock). */
  firstCheckAt: z.string(),
  lastCheckAt: z.string(),
  /** Seconds from the first round to the last. */
  waitedSeconds: z.number(),
  /** How many rounds it took. */
  rounds: z.number(),
  gates: z.array(gateOutcomeSchema),
});

/** The gates before one continue: the `gateResults` output has one per continue. */
export type GateRound = z.infer<typeof gateRoundSchema>;

/** How many rounds the outputs keep (the latest): enough to look back on, bounded for state. */
const KEPT_GATE_ROUNDS = 50;

/** The `gateResults` output as read back from state (old state has none). */
export const gateResultsSchema = z.array(gateRoundSchema).catch([]);

/** `previous` and `latest`, keeping the last {@link KEPT_GATE_ROUNDS}. */
export function appendGateRounds(
  previous: readonly GateRound[],
  latest: readonly GateRound[],
): GateRound[] {
  return [...previous, ...latest].slice(-KEPT_GATE_ROUNDS);
}
