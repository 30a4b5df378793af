import { cfErrors } from "../cf-error.js";
import { type MetadataUpdate, validateMetadata } from "../metadata-message.js";
import type { DeploymentOptions } from "../model.js";

/** A validated `POST /v3/deployments` body. */
export interface DeploymentCreateMessage extends DeploymentOptions {
  appGuid: string | undefined;
  dropletGuid: string | undefined;
  revisionGuid: string | undefined;
  metadata: MetadataUpdate | undefined;
}

const ALLOWED_KEYS = ["relationships", "droplet", "revision", "strategy", "options", "metadata"];
const ALLOWED_OPTION_KEYS = [
  "canary",
  "max_in_flight",
  "web_instances",
  "memory_in_mb",
  "disk_in_mb",
  "log_rate_limit_in_bytes_per_second",
];

/** CC `BaseMessage::MAX_DB_INT` and `MAX_DB_BIGINT`, the numericality upper bounds. */
const MAX_DB_INT = { value: 2 ** 31 - 1, text: "2147483647" };
const MAX_DB_BIGINT = { value: 2 ** 63 - 1, text: "9223372036854775807" };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
/** Ruby truthiness: everything but nil and false. */
const truthy = (value: unknown) => value !== undefined && value !== null && value !== false;
/** Rails `present?`: truthy and not an empty string/array/hash. */
const present = (value: unknown) =>
  truthy(value) &&
  value !== "" &&
  !(Array.isArray(value) && value.length === 0) &&
  !(isObject(value) && Object.keys(value).length === 0);

function dig(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isObject(current) ? current[key] : undefined;
  return current;
}

/**
 * Rails `numericality` messages for an option: `is not a number`, `must be an integer`, then the
 * bound (`must be greater than 0` / `must be greater than or equal to N`).
 */
function validateNumber(
  options: Record<string, unknown>,
  key: string,
  label: string,
  bound: { min: number; inclusive: boolean; max: { value: number; text: string } },
  errors: string[],
): number | undefined {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    errors.push(`${label} is not a number`);
    return undefined;
  }
  if (!Number.isInteger(value)) {
    errors.push(`${label} must be an integer`);
    return undefined;
  }
  if (bound.inclusive ? value < bound.min : value <= bound.min) {
    errors.push(
      `${label} must be greater than ${bound.inclusive ? "or equal to " : ""}${bound.min}`,
    );
    return undefined;
  }
  if (value > bound.max.value) {
    errors.push(`${label} must be less than or equal to ${bound.max.text}`);
    return undefined;
  }
  return value;
}

function validateSteps(steps: unknown, errors: string[]): number[] | undefined {
  // CC `deployment_create_message.rb#validate_steps` and `#validate_step_instance_weights`.
  if (!Array.isArray(steps) || steps.some((step) => !isObject(step))) {
    errors.push("Options canary steps must be an array of objects");
    return undefined;
  }
  const objects = steps as Record<string, unknown>[];
  for (const step of objects) {
    const extra = Object.keys(step).filter((k) => k !== "instance_weight");
    if (extra.length > 0) {
      errors.push(`Options canary steps has unsupported key(s): ${extra.join(", ")}`);
    }
  }
  if (objects.some((step) => !("instance_weight" in step))) {
    errors.push('Options canary steps missing key: "instance_weight"');
  }
  const weights = objects.map(({ instance_weight }) => instance_weight);
  if (weights.some((w) => typeof w !== "number" || !Number.isInteger(w))) {
    errors.push(
      "Options canary steps instance weight must be an Integer between 1-100 (inclusive)",
    );
    return undefined;
  }
  const numbers = weights as number[];
  if (numbers.some((w) => w < 1 || w > 100)) {
    errors.push(
      "Options canary steps instance weight must be an Integer between 1-100 (inclusive)",
    );
  }
  if (numbers.some((w, i) => i > 0 && w < (numbers[i - 1] ?? w))) {
    errors.push("Options canary steps instance weight must be sorted in ascending order");
  }
  return numbers;
}

/**
 * Validates a create body like CC `app/messages/deployment_create_message.rb`, collecting every
 * message in CC's order and throwing one 422 whose detail joins them with `, ` (CC `lib/cloud_controller/errors/api_error.rb`).
 */
export function parseDeploymentCreateMessage(body: unknown): DeploymentCreateMessage {
  if (!isObject(body)) throw cfErrors.messageParseError();
  const errors: string[] = [];
  // MetadataBaseMessage's MetadataValidator is declared in the parent class and runs first.
  const metadata = validateMetadata(body, errors);
  const extra = Object.keys(body).filter((k) => !ALLOWED_KEYS.includes(k));
  if (extra.length > 0) errors.push(`Unknown field(s): '${extra.join("', '")}'`);

  const { strategy, revision, droplet, options } = body;
  if (truthy(strategy) && strategy !== "rolling" && strategy !== "canary") {
    errors.push(`Strategy '${String(strategy)}' is not a supported deployment strategy`);
  }
  if (present(revision) && present(droplet)) {
    errors.push("Droplet Cannot set both fields 'droplet' and 'revision'");
  }

  let maxInFlight = 1;
  let canarySteps: number[] | undefined;
  let webInstances: number | undefined;
  let memoryInMb: number | undefined;
  let diskInMb: number | undefined;
  let logRateLimitInBytesPerSecond: number | undefined;
  if (present(options) && !isObject(options)) {
    errors.push("Options must be an object");
  } else if (isObject(options)) {
    const unsupported = Object.keys(options).filter((k) => !ALLOWED_OPTION_KEYS.includes(k));
    if (unsupported.length > 0) {
      errors.push(`Options has unsupported key(s): ${unsupported.join(", ")}`);
    }
    // CC `#validate_scaling_options` runs ProcessScaleMessage's checks before max_in_flight and
    // canary, so its messages come first.
    const atLeast = (min: number, max = MAX_DB_INT) => ({ min, inclusive: true, max });
    const above = (min: number) => ({ min, inclusive: false, max: MAX_DB_INT });
    webInstances = validateNumber(options, "web_instances", "Web instances", atLeast(0), errors);
    memoryInMb = validateNumber(options, "memory_in_mb", "Memory in mb", above(0), errors);
    diskInMb = validateNumber(options, "disk_in_mb", "Disk in mb", above(0), errors);
    logRateLimitInBytesPerSecond = validateNumber(
      options,
      "log_rate_limit_in_bytes_per_second",
      "Log rate limit in bytes per second",
      atLeast(-1, MAX_DB_BIGINT),
      errors,
    );
    const { max_in_flight: max, canary } = options;
    if (truthy(max)) {
      if (typeof max !== "number" || !Number.isInteger(max) || max < 1) {
        errors.push("Max in flight must be an integer greater than 0");
      } else {
        maxInFlight = max;
      }
    }
    if (truthy(canary)) {
      if (!isObject(canary)) {
        errors.push("Options canary must be an object");
      } else if (strategy !== "canary") {
        errors.push("Options canary are only valid for Canary deployments");
      } else {
        const { steps } = canary;
        if (truthy(steps)) canarySteps = validateSteps(steps, errors);
      }
    }
  }
  if (errors.length > 0) throw cfErrors.unprocessableEntity(errors.join(", "));

  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return {
    appGuid: text(dig(body, "relationships", "app", "data", "guid")),
    dropletGuid: text(dig(droplet, "guid")),
    revisionGuid: text(dig(revision, "guid")),
    strategy: strategy === "canary" ? "canary" : "rolling",
    maxInFlight,
    webInstances,
    memoryInMb,
    diskInMb,
    logRateLimitInBytesPerSecond,
    canarySteps,
    metadata,
  };
}
