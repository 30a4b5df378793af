import { z } from "zod";
import type { GateSettings } from "./gates/gates-input.js";
import {
  aliasConflict,
  GATE_INPUT_KEYS,
  gateSettingsOf,
  gatesInputSchema,
} from "./gates/gates-input.js";
import { echoInput, firstOf } from "./input-echo.js";
import { number } from "./input-number.js";
import { PromotionError } from "./promotion-error.js";
import type { PromotionGoal } from "./promotion-plan.js";
import { holdsUnknownValue } from "./unknown-value.js";

/** How long `create`/`update` may take before `onTimeout` applies, in seconds. */
const DEFAULT_TIMEOUT_SECONDS = 600;

/** Seconds between two reads of a deployment while waiting: the cf CLI's `DefaultPollingInterval`. */
const DEFAULT_POLL_INTERVAL_SECONDS = 3;

/**
 * How long a continue or cancel whose outcome is unknown is watched for it to land, in seconds:
 * the client's own default window, long enough for a router queue that holds a request.
 */
const DEFAULT_LATE_DELIVERY_SECONDS = 60;

/** The longest late-delivery window accepted: beyond it a run would stall on one request. */
const MAX_LATE_DELIVERY_SECONDS = 600;

/**
 * The least `pollIntervalSeconds` accepted: fast enough for a simulator on loopback, where tests
 * wait for many steps, while a value such as 1e-9 (hundreds of reads a second) is refused.
 */
const MIN_POLL_INTERVAL_SECONDS = 0.05;

/**
 * The least interval used against a Cloud Controller that is not on loopback: a shared API is
 * read at most once a second per promotion, whatever `pollIntervalSeconds` says.
 */
export const API_POLL_FLOOR_SECONDS = 1;

// Cloud Controller GUIDs are UUID-shaped; the simulator's deterministic ones need not carry the
// RFC 4122 version nibble, so only the shape is checked.
const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = z
  .string()
  .regex(GUID_PATTERN, "must be a GUID such as 8a1b7b9c-0d2e-4f3a-9b8c-7d6e5f4a3b2c");
// The Cloud Controller refuses longer app and space names (cloud_controller_ng
// app/messages/app_create_message.rb, app/messages/space_create_message.rb); a longer one could
// never match, and would only make a request line too long for the router.
const MAX_NAME_LENGTH = 255;
const name = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(MAX_NAME_LENGTH, {
    error: (issue) =>
      `must be at most ${MAX_NAME_LENGTH} characters, the Cloud Controller's limit for names (this one has ${typeof issue.input === "string" ? issue.input.length : "more"})`,
  });

/** How many input failures `check` reports; the rest are counted in one last failure. */
export const MAX_REPORTED_FAILURES = 10;

/**
 * Strict schema of the resource inputs with every unknown value removed: an unknown property
 * is a typo, not something to ignore. Exclusivity rules live in
 * {@link checkPromotionInputs} because they must also see properties whose value is unknown.
 */
export const promotionInputsSchema = z.strictObject({
  deploymentGuid: guid.optional(),
  appGuid: guid.optional(),
  appName: name.optional(),
  spaceGuid: guid.optional(),
  spaceName: name.optional(),
  orgName: name.optional(),
  toStep: number("must be a whole number of at least 1")
    .int("must be a whole number of at least 1")
    .min(1, "must be a whole number of at least 1")
    .optional(),
  expectedDropletGuid: guid.optional(),
  timeoutSeconds: number("must be a number of seconds greater than 0")
    .positive("must be a number of seconds greater than 0")
    .max(7 * 24 * 3600, "must be at most 604800 (7 days)")
    .optional(),
  onTimeout: z.enum(["fail", "cancel"], { error: 'must be "fail" or "cancel"' }).optional(),
  pollIntervalSeconds: number("must be a number of seconds greater than 0")
    .positive("must be a number of seconds greater than 0")
    .min(
      MIN_POLL_INTERVAL_SECONDS,
      `must be at least ${MIN_POLL_INTERVAL_SECONDS} (and is raised to ${API_POLL_FLOOR_SECONDS} against a Cloud Controller that is not on this machine)`,
    )
    .max(300, "must be at most 300")
    .optional(),
  /** Deprecated: `gates.healthy`. */
  requireHealthyCanary: z.boolean({ error: "must be true or false" }).optional(),
  gates: gatesInputSchema.optional(),
  onGateFailure: z.enum(["fail", "cancel"], { error: 'must be "fail" or "cancel"' }).optional(),
  lateDeliverySeconds: number(`must be a number of seconds from 1 to ${MAX_LATE_DELIVERY_SECONDS}`)
    .min(1, `must be at least 1 (seconds a continue in doubt is watched for it to land)`)
    .max(
      MAX_LATE_DELIVERY_SECONDS,
      `must be at most ${MAX_LATE_DELIVERY_SECONDS} (seconds a continue in doubt is watched for it to land)`,
    )
    .optional(),
});

/** The resource inputs after `check`: what is stored as the resource's inputs. */
export type PromotionInputs = z.infer<typeof promotionInputsSchema>;

/** The four legal ways to name the target (plain strings: it is also read back from state). */
export const promotionTargetSchema = z.union([
  z.object({ deploymentGuid: z.string() }),
  z.object({ appGuid: z.string() }),
  z.object({ appName: z.string(), spaceGuid: z.string() }),
  z.object({ appName: z.string(), spaceName: z.string(), orgName: z.string() }),
]);

/** Which deployment the resource promotes, exactly as the user named it. */
export type PromotionTarget = z.infer<typeof promotionTargetSchema>;

/** The inputs that shape a promotion but never cause one (they only change how it is done). */
export interface PromotionSettings {
  goal: PromotionGoal;
  expectedDropletGuid: string | null;
  timeoutSeconds: number;
  onTimeout: "fail" | "cancel";
  pollIntervalSeconds: number;
  /** What must hold before every continue. */
  gates: GateSettings;
  /** What a gate still failing at the deadline does: fail, or cancel the deployment and fail. */
  onGateFailure: "fail" | "cancel";
  lateDeliverySeconds: number;
}

/** One reason `check` rejects the inputs; `property` names the input to change. */
export interface InputFailure {
  property: string;
  reason: string;
}

/** The properties that name the target; changing them means another deployment (a replace). */
export const TARGET_PROPERTIES = [
  "deploymentGuid",
  "appGuid",
  "appName",
  "spaceGuid",
  "spaceName",
  "orgName",
] as const;

/** The inputs that change how a promotion is done, never which deployment it is about. */
export const SETTING_PROPERTIES = [
  "toStep",
  "expectedDropletGuid",
  "timeoutSeconds",
  "onTimeout",
  "pollIntervalSeconds",
  "requireHealthyCanary",
  "gates",
  "onGateFailure",
  "lateDeliverySeconds",
] as const;

export const PROMOTION_INPUT_PROPERTIES = [...TARGET_PROPERTIES, ...SETTING_PROPERTIES] as const;

/** The property under which the engine passes the provider text; never an input. */
export const PROVIDER_KEY = "__provider";

/**
 * Validates the inputs the way `check` must: every mistake becomes a failure naming the property,
 * nothing throws, and properties whose value is not known yet (preview) pass unvalidated.
 */
export function checkPromotionInputs(news: Record<string, unknown>): InputFailure[] {
  const present = new Set<string>();
  const known: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(news)) {
    if (key === PROVIDER_KEY || value === undefined || value === null) continue;
    present.add(key);
    if (!holdsUnknownValue(value)) known[key] = value;
  }

  const failures: InputFailure[] = [];
  const parsed = promotionInputsSchema.safeParse(known);
  if (!parsed.success) {
    let knownListed = false;
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        const parent = issue.path.join(".");
        for (const key of issue.keys) {
          if (parent !== "") {
            failures.push(unknownNestedKey(parent, key));
            continue;
          }
          const reason = unknownPropertyReason(key, knownListed);
          knownListed ||= reason.includes("known inputs");
          failures.push({ property: echoInput(key), reason });
        }
      } else {
        failures.push({ property: issue.path.join(".") || "(inputs)", reason: issue.message });
      }
    }
  }
  failures.push(...targetFailures(present));
  const conflict = aliasConflict(known["gates"], known["requireHealthyCanary"]);
  if (conflict !== undefined) failures.push(conflict);
  return firstOf(failures, MAX_REPORTED_FAILURES, (left) => ({
    property: "(inputs)",
    reason: `and ${left} more problem${left === 1 ? "" : "s"} (fix the ones above first)`,
  }));
}

/**
 * The checked inputs as typed values. `create`/`update` call it on what `check` already accepted,
 * so a failure here means state written by something else; it throws with the same wording.
 */
export function parsePromotionInputs(props: Record<string, unknown>): PromotionInputs {
  const failures = checkPromotionInputs(props);
  const unknown = Object.entries(props).find(([, value]) => holdsUnknownValue(value));
  if (unknown) failures.push({ property: unknown[0], reason: "is not known yet" });
  if (failures.length > 0) {
    throw new PromotionError(
      "PROMOTION_INVALID_INPUTS",
      `invalid DeploymentPromotion inputs: ${failures.map((f) => `${f.property} ${f.reason}`).join("; ")}`,
    );
  }
  const known = Object.fromEntries(
    Object.entries(props).filter(([key, value]) => key !== PROVIDER_KEY && value != null),
  );
  return promotionInputsSchema.parse(known);
}

/** The target named by valid inputs (see {@link checkPromotionInputs} for the rules). */
export function promotionTargetOf(inputs: PromotionInputs): PromotionTarget {
  if (inputs.deploymentGuid !== undefined) return { deploymentGuid: inputs.deploymentGuid };
  if (inputs.appGuid !== undefined) return { appGuid: inputs.appGuid };
  if (inputs.appName !== undefined && inputs.spaceGuid !== undefined) {
    return { appName: inputs.appName, spaceGuid: inputs.spaceGuid };
  }
  if (inputs.appName !== undefined && inputs.spaceName !== undefined && inputs.orgName) {
    return { appName: inputs.appName, spaceName: inputs.spaceName, orgName: inputs.orgName };
  }
  throw new PromotionError(
    "PROMOTION_INVALID_INPUTS",
    "invalid DeploymentPromotion inputs: no target (this is a bug in check)",
  );
}

/** The settings with their documented defaults filled in. */
export function promotionSettingsOf(inputs: PromotionInputs): PromotionSettings {
  return {
    goal:
      inputs.toStep === undefined ? { kind: "deployed" } : { kind: "step", step: inputs.toStep },
    expectedDropletGuid: inputs.expectedDropletGuid ?? null,
    timeoutSeconds: inputs.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    onTimeout: inputs.onTimeout ?? "fail",
    pollIntervalSeconds: inputs.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS,
    gates: gateSettingsOf(inputs.gates, inputs.requireHealthyCanary),
    onGateFailure: inputs.onGateFailure ?? "fail",
    lateDeliverySeconds: inputs.lateDeliverySeconds ?? DEFAULT_LATE_DELIVERY_SECONDS,
  };
}

const TARGET_HELP =
  "give exactly one target: deploymentGuid, appGuid, or appName with spaceGuid (or with spaceName and orgName)";

/** Exclusivity rules over which properties are present (known or not). */
function targetFailures(present: ReadonlySet<string>): InputFailure[] {
  const has = (key: string) => present.has(key);
  const failures: InputFailure[] = [];
  const targets = ["deploymentGuid", "appGuid", "appName"].filter(has);
  if (targets.length === 0) {
    failures.push({ property: "deploymentGuid", reason: `is missing: ${TARGET_HELP}` });
  }
  for (const extra of targets.slice(1)) {
    failures.push({ property: extra, reason: `conflicts with ${targets[0]}: ${TARGET_HELP}` });
  }
  if (has("appName")) {
    if (has("spaceGuid") && has("spaceName")) {
      failures.push({
        property: "spaceName",
        reason: "conflicts with spaceGuid: give one of them",
      });
    } else if (!has("spaceGuid") && !has("spaceName")) {
      failures.push({
        property: "spaceGuid",
        reason: "is missing: appName needs spaceGuid, or spaceName with orgName",
      });
    }
    if (has("spaceName") && !has("orgName")) {
      failures.push({ property: "orgName", reason: "is missing: spaceName needs orgName" });
    }
    if (has("orgName") && !has("spaceName")) {
      failures.push({ property: "orgName", reason: "is only used with spaceName" });
    }
  } else {
    for (const key of ["spaceGuid", "spaceName", "orgName"].filter(has)) {
      failures.push({ property: key, reason: "is only used with appName" });
    }
  }
  return failures;
}

const KNOWN_PROPERTIES = Object.keys(promotionInputsSchema.shape);

/** Names the known inputs once (`listed`: an earlier failure already did), so that many typos stay short. */
function unknownPropertyReason(key: string, listed: boolean): string {
  const lower = key.toLowerCase();
  const near = KNOWN_PROPERTIES.find((known) => known.toLowerCase() === lower);
  if (near !== undefined) return `is not a DeploymentPromotion input; did you mean ${near}?`;
  return listed
    ? "is not a DeploymentPromotion input either"
    : `is not a DeploymentPromotion input (known inputs: ${KNOWN_PROPERTIES.join(", ")})`;
}

/** A typo inside `gates` (or one of its objects): names the keys it takes, and the likely one. */
function unknownNestedKey(parent: string, key: string): InputFailure {
  const keys = GATE_INPUT_KEYS[parent] ?? [];
  const near = nearestKey(key, keys);
  return {
    property: `${parent}.${echoInput(key)}`,
    reason: `is not a key of ${parent}${near === undefined ? "" : `; did you mean ${near}?`} (it takes ${keys.join(", ")})`,
  };
}

/**
 * The key `typo` most likely meant: the same but for case, its start (`timeout` for
 * `timeoutSeconds`), or a few edits away (a third of its length, at least two).
 */
function nearestKey(typo: string, keys: readonly string[]): string | undefined {
  const lower = typo.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const key of keys) {
    const known = key.toLowerCase();
    const distance = lower.length >= 4 && known.startsWith(lower) ? 1 : editDistance(lower, known);
    const near = distance <= Math.max(2, Math.floor(known.length / 3));
    if (near && (best === undefined || distance < best.distance)) best = { key, distance };
  }
  return best?.key;
}

/** Levenshtein distance (short strings only: keys). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
