import { isCloudFoundryError } from "../client/index.js";
import { withProviderAdvice } from "./credential-advice.js";
import { isPromotionError } from "./promotion-error.js";
import type { InputFailure } from "./promotion-inputs.js";
import { PromotionPartialFailure } from "./promotion-partial-failure.js";

/**
 * The provider host sends an error's `message` and nothing else to the engine
 * (`grpcResponseFromError` in @pulumi/pulumi cmd/dynamic-provider/index.js), so a `code` property
 * never reaches the user. At the provider's boundary each error therefore gets its stable code in
 * front of its message, `[PROMOTION_WRONG_DROPLET] deployment … deploys droplet …`, which the CLI
 * prints and a script can match.
 */
export async function withUserFacingErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw userFacingError(error);
  }
}

/** Input failures of `check`, each reason led by `[PROMOTION_INVALID_INPUTS]`. */
export function userFacingFailures(failures: readonly InputFailure[]): InputFailure[] {
  return failures.map(({ property, reason }) => ({
    property,
    reason: withCode("PROMOTION_INVALID_INPUTS", reason),
  }));
}

/** `error` with its code in front of its message; errors without a stable code pass as they are. */
export function userFacingError(error: unknown): unknown {
  if (error instanceof PromotionPartialFailure) {
    const code = codeOf(error.cause);
    if (code === undefined) return error;
    // Keep id, properties and reasons: the host packs them so the engine keeps the resource.
    return new PromotionPartialFailure(withCode(code, error.message), {
      id: error.id,
      properties: error.properties,
      reasons: error.reasons.map((reason) => withCode(code, reason)),
      cause: error.cause,
    });
  }
  const code = codeOf(error);
  if (code === undefined || !(error instanceof Error)) return error;
  // No stack: the host prints `${error}: ${error.stack}` to stderr for a failed check, diff or
  // read, which the CLI shows as stack diagnostics; frames of our code only bury the message the
  // resource already shows. The original, with its stack, stays as `cause`.
  const message = isCloudFoundryError(error, "CF_AUTH_ERROR")
    ? withProviderAdvice(error)
    : error.message;
  return Object.assign(new Error(withCode(code, message), { cause: error }), {
    name: error.name,
    code,
    stack: "",
  });
}

function codeOf(error: unknown): string | undefined {
  if (isPromotionError(error) || isCloudFoundryError(error)) return error.code;
  return undefined;
}

function withCode(code: string, message: string): string {
  const prefix = `[${code}] `;
  return message.startsWith(prefix) ? message : `${prefix}${message}`;
}
