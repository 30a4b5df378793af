import { metadataKeyError, metadataValueError } from "./metadata-validator-helper.js";

/** One requirement of a `label_selector` (CC `app/models/helpers/label_selector_requirement.rb`). */
export interface Requirement {
  op: "in" | "notin" | "exists" | "not_exists";
  key: string;
  values: string[];
}

const KEY = "[\\w\\-./]+";
/** CC `MetadataHelpers::REQUIREMENT_OPERATOR_PAIRS`, tried in this order. */
const PATTERNS: Array<[RegExp, Requirement["op"]]> = [
  [/^(.*?) in \((.*)\)$/, "in"],
  [/^(.*?) notin \((.*)\)$/, "notin"],
  [new RegExp(`^(${KEY})==?(.*)$`), "in"],
  [new RegExp(`^(${KEY})!=(.*)$`), "notin"],
  [new RegExp(`^(${KEY})()$`), "exists"],
  [new RegExp(`^!(${KEY})()$`), "not_exists"],
];
/** CC `MetadataHelpers::REQUIREMENT_SPLITTER`: commas inside parentheses do not split. */
const SPLITTER = /(?:\(.*?\)|[^,])+/g;
const MAX_REQUIREMENTS = 50;

/** Ruby's `split(',')`: trailing empty parts are dropped, so `""` has no values at all. */
function splitValues(text: string): string[] {
  const parts = text.split(",");
  while (parts.length > 0 && parts.at(-1) === "") parts.pop();
  return parts;
}

function parseRequirement(text: string): Requirement | undefined {
  for (const [pattern, op] of PATTERNS) {
    const match = pattern.exec(text);
    if (match !== null) return { op, key: match[1] ?? "", values: splitValues(match[2] ?? "") };
  }
  return undefined;
}

/**
 * Parses and validates a `label_selector` the way CC's list messages do (`ListMessage
 * .parse_label_selector`, `LabelSelectorRequirementValidator`): no requirement at all, more than
 * 50, or each requirement that matches no operator or has a bad key or value adds its message to
 * `errors`. `=`/`==` is `in` with one value and `!=` is `notin`, as CC's query generator treats them.
 */
export function parseLabelSelector(selector: string, errors: string[]): Requirement[] {
  const parsed = (selector.match(SPLITTER) ?? []).map(parseRequirement);
  if (parsed.length === 0) {
    errors.push("Missing label_selector value");
    return [];
  }
  if (parsed.length > MAX_REQUIREMENTS) {
    errors.push(`Too many label_selector requirements (maximum is ${MAX_REQUIREMENTS})`);
    return [];
  }
  const requirements: Requirement[] = [];
  for (const requirement of parsed) {
    const error =
      requirement === undefined
        ? "Invalid label_selector value"
        : (metadataKeyError(requirement.key) ??
          requirement.values.map(metadataValueError).find((e) => e !== undefined));
    if (error !== undefined) errors.push(error);
    else if (requirement !== undefined) requirements.push(requirement);
  }
  return requirements;
}

/** Whether `labels` satisfy every requirement. */
export function matchesLabels(
  labels: Record<string, string>,
  requirements: Requirement[],
): boolean {
  return requirements.every((r) => {
    const value = labels[r.key];
    switch (r.op) {
      case "exists":
        return value !== undefined;
      case "not_exists":
        return value === undefined;
      case "in":
        return value !== undefined && r.values.includes(value);
      default:
        return value === undefined || !r.values.includes(value);
    }
  });
}
