import { z } from "zod";

/** A fault to inject, written as data (like msw's per-test overrides): `POST /_sim/faults`. */
export const faultRuleSchema = z
  .strictObject({
    /** HTTP method to match; any method when absent. */
    method: z.string().min(1).optional(),
    /** Exact path, or a glob where `*` stands for one path segment (`/v3/deployments/*`). */
    path: z.string().startsWith("/"),
    /** Respond with this status instead of handling the request (not combined with `reset`). */
    status: z.number().int().min(100).max(599).optional(),
    /** Response body: JSON, or a string sent verbatim. Empty when absent. */
    body: z.unknown().optional(),
    /** Headers added to the response (the injected one, or the real one when no `status`). */
    headers: z.record(z.string(), z.string()).optional(),
    /**
     * Wait this long (wall-clock ms) before handling the request, as a slow server does. The
     * request is handled after the wait even if its client has hung up meanwhile; the request
     * log then marks it `clientGone: true`. @default 0
     */
    delayMs: z.number().int().min(0).max(600_000).optional(),
    /**
     * Hold the request, unanswered, for this many wall-clock ms or until `POST
     * /_sim/faults/release`, then handle it whether or not its client is still there: a late
     * delivery, as a router queue can make one. Listed at `GET /_sim/held` while held; logged
     * with `held: true` when handled. Not combined with `delayMs`.
     */
    holdMs: z.number().int().min(1).max(600_000).optional(),
    /**
     * Destroy the connection `before` the request is handled (no state change), or `after` it
     * was handled (the state changed, the caller never learns). Logged with status 0.
     */
    reset: z.enum(["before", "after"]).optional(),
    /** How many matching requests the rule applies to. @default 1 */
    times: z.number().int().min(1).optional(),
  })
  .refine((rule) => rule.status === undefined || rule.reset === undefined, {
    message: "status and reset cannot be combined",
  })
  .refine((rule) => rule.delayMs === undefined || rule.holdMs === undefined, {
    message: "delayMs and holdMs cannot be combined",
  });

export type FaultRule = z.infer<typeof faultRuleSchema>;

interface ActiveRule {
  rule: FaultRule;
  pattern: RegExp;
  remaining: number;
}

/** The registered faults; the first matching rule with uses left applies. */
export class FaultRegistry {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ rule, pattern: globToRegExp(rule.path), remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Consumes one use of the first rule matching the request, if any. */
  take(method: string, path: string): FaultRule | undefined {
    const index = this.rules.findIndex(
      (r) =>
        (r.rule.method === undefined || r.rule.method.toUpperCase() === method.toUpperCase()) &&
        r.pattern.test(path),
    );
    const active = this.rules[index];
    if (active === undefined) return undefined;
    active.remaining -= 1;
    if (active.remaining <= 0) this.rules.splice(index, 1);
    return active.rule;
  }
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^/]+");
  return new RegExp(`^${source}$`);
}
