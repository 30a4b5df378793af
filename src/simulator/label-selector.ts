import { cfErrors } from "./cf-error.js";

/** One requirement of a `label_selector` (CC `label_selector_parser.rb`). */
type Requirement =
  | { op: "exists" | "not_exists"; key: string }
  | { op: "in" | "notin"; key: string; values: string[] };

const KEY = "[A-Za-z0-9][-A-Za-z0-9_./]*";

/**
 * Parses a `label_selector`: comma-separated `key`, `!key`, `key=v`, `key==v`, `key!=v`,
 * `key in (a,b)` and `key notin (a,b)`, all of which must hold. A malformed selector is
 * 400 10005, as in CC.
 */
export function parseLabelSelector(selector: string): Requirement[] {
  const requirements: Requirement[] = [];
  const pattern = new RegExp(
    `^\\s*(?:(!)(${KEY})|(${KEY})\\s*(?:(==|=|!=)\\s*([^,\\s]*)|\\s(in|notin)\\s*\\(([^)]*)\\))?)\\s*(?:,|$)`,
  );
  let rest = selector;
  while (rest.trim() !== "") {
    const match = pattern.exec(rest);
    if (match === null || match[0] === "") {
      throw cfErrors.badQueryParameter(`Invalid label_selector value: '${selector}'`);
    }
    const [whole, bang, notKey, key = "", op, value = "", setOp, set = ""] = match;
    if (bang !== undefined) requirements.push({ op: "not_exists", key: notKey ?? "" });
    else if (op !== undefined) {
      requirements.push({ op: op === "!=" ? "notin" : "in", key, values: [value] });
    } else if (setOp !== undefined) {
      const values = set.split(",").map((v) => v.trim());
      requirements.push({ op: setOp === "in" ? "in" : "notin", key, values });
    } else requirements.push({ op: "exists", key });
    rest = rest.slice(whole.length);
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
      case "notin":
        return value === undefined || !r.values.includes(value);
      default:
        return false;
    }
  });
}
