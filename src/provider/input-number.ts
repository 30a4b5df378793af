import { z } from "zod";
import { echoInput } from "./input-echo.js";

/**
 * A number, with `reason` for anything else; a numeric string gets its own message because it is
 * the usual slip: `pulumi.Config.get` returns strings.
 */
export function number(reason: string) {
  return z.number({
    error: (issue) =>
      typeof issue.input === "string"
        ? `must be a number, not the string ${JSON.stringify(echoInput(issue.input))} (read stack config with config.requireNumber, or convert with Number(…))`
        : reason,
  });
}
