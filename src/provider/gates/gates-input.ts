import { z } from "zod";
import { number } from "../input-number.js";
import { isLoopbackUrl } from "../loopback-url.js";

/** The longest a gate may wait for instances to stay up or for a bake: a day. */
const MAX_GATE_SECONDS = 24 * 3600;

/** How long a webhook or a command may take when `timeoutSeconds` is not given. */
const DEFAULT_GATE_TIMEOUT_SECONDS = 30;

/** The longest `timeoutSeconds` of a webhook or a command. */
const MAX_GATE_TIMEOUT_SECONDS = 600;

const seconds = (what: string, least: "0" | "greater than 0", most: number) => {
  const reason = `must be a number of seconds ${least === "0" ? "from 0" : "greater than 0"} to ${most} (${what})`;
  const base = number(reason).max(most, reason);
  return least === "0" ? base.min(0, reason) : base.positive(reason);
};

const gateTimeout = seconds(
  "how long one call may take",
  "greater than 0",
  MAX_GATE_TIMEOUT_SECONDS,
).optional();

/** Where a webhook may be: https anywhere, plain http only to this machine. */
const webhookUrl = z.string({ error: "must be a URL string" }).superRefine((text, ctx) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    ctx.addIssue({
      code: "custom",
      message: "must be an http(s) URL such as https://ci.example.com/gate",
    });
    return;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    ctx.addIssue({ code: "custom", message: `must be an https:// URL, not ${url.protocol}` });
  } else if (url.protocol === "http:" && !isLoopbackUrl(text)) {
    ctx.addIssue({
      code: "custom",
      message: `must use https:// (plain http:// is only accepted to this machine, and ${url.hostname} is not loopback)`,
    });
  } else if (url.username !== "" || url.password !== "") {
    ctx.addIssue({
      code: "custom",
      message: "must not carry credentials in the URL; send them in headers, which are kept secret",
    });
  }
});

const webhookSchema = z.strictObject({
  url: webhookUrl,
  timeoutSeconds: gateTimeout,
  headers: z
    .record(
      z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "must be an HTTP header name"),
      z.string({ error: "must be a string (a header value)" }),
    )
    .optional(),
});

const commandSchema = z.strictObject({
  argv: z
    .array(z.string({ error: "must be strings" }).min(1, "must not hold an empty string"), {
      error: 'must be a list of strings such as ["./smoke-test.sh", "--quick"]',
    })
    .min(1, 'must not be empty: give the program and its arguments, e.g. ["./smoke-test.sh"]'),
  timeoutSeconds: gateTimeout,
});

const healthyWindowSchema = z.strictObject({
  forSeconds: seconds("how long every instance must have been RUNNING", "0", MAX_GATE_SECONDS),
});

/** The `gates` input: what must hold before every continue. */
export const gatesInputSchema = z.strictObject(
  {
    healthy: z
      .union([z.boolean(), healthyWindowSchema], {
        error: "must be true, false, or { forSeconds: N }",
      })
      .optional(),
    soakSeconds: seconds(
      "how long the deployment must stay paused at a step",
      "0",
      MAX_GATE_SECONDS,
    ).optional(),
    webhook: webhookSchema.optional(),
    command: commandSchema.optional(),
  },
  { error: "must be an object such as { healthy: { forSeconds: 60 }, soakSeconds: 300 }" },
);

/** The `gates` input as given. */
type GatesInput = z.infer<typeof gatesInputSchema>;

/** The keys each object under `gates` accepts, for "did you mean" on a typo. */
export const GATE_INPUT_KEYS: Readonly<Record<string, readonly string[]>> = {
  gates: Object.keys(gatesInputSchema.shape),
  "gates.healthy": Object.keys(healthyWindowSchema.shape),
  "gates.webhook": Object.keys(webhookSchema.shape),
  "gates.command": Object.keys(commandSchema.shape),
};

/** The gates with their defaults filled in; a gate that is off is `null`. */
export interface GateSettings {
  healthy: { forSeconds: number } | null;
  /** 0: no soak. */
  soakSeconds: number;
  webhook: { url: string; timeoutSeconds: number; headers: Record<string, string> } | null;
  command: { argv: string[]; timeoutSeconds: number } | null;
  /** `requireHealthyCanary` was given (a deprecated alias of `gates.healthy`). */
  deprecatedAlias: boolean;
}

/**
 * The gates from the inputs: `healthy` is on unless `gates.healthy` (or the deprecated
 * `requireHealthyCanary`) is false.
 */
export function gateSettingsOf(
  gates: GatesInput | undefined,
  requireHealthyCanary: boolean | undefined,
): GateSettings {
  const healthy = gates?.healthy ?? requireHealthyCanary ?? true;
  const webhook = gates?.webhook;
  const command = gates?.command;
  return {
    healthy: healthy === false ? null : { forSeconds: healthy === true ? 0 : healthy.forSeconds },
    soakSeconds: gates?.soakSeconds ?? 0,
    webhook:
      webhook === undefined
        ? null
        : {
            url: webhook.url,
            timeoutSeconds: webhook.timeoutSeconds ?? DEFAULT_GATE_TIMEOUT_SECONDS,
            headers: { ...webhook.headers },
          },
    command:
      command === undefined
        ? null
        : {
            argv: [...command.argv],
            timeoutSeconds: command.timeoutSeconds ?? DEFAULT_GATE_TIMEOUT_SECONDS,
          },
    deprecatedAlias: requireHealthyCanary !== undefined,
  };
}

/** A `check` failure when `requireHealthyCanary` and `gates.healthy` disagree, else undefined. */
export function aliasConflict(
  gates: unknown,
  requireHealthyCanary: unknown,
): { property: string; reason: string } | undefined {
  if (typeof requireHealthyCanary !== "boolean" || typeof gates !== "object" || gates === null)
    return undefined;
  const healthy = (gates as { healthy?: unknown }).healthy;
  if (healthy === undefined || (healthy !== false) === requireHealthyCanary) return undefined;
  return {
    property: "requireHealthyCanary",
    reason:
      "conflicts with gates.healthy: requireHealthyCanary is the deprecated name of gates.healthy; give only gates.healthy",
  };
}
