import { hasErrorBrand } from "../shared/error-brand.js";

/** Stable codes of the errors the provider raises (match on `code`, not `instanceof`). */
export type PromotionErrorCode =
  | "PROMOTION_NOT_FOUND"
  | "PROMOTION_NOT_PROMOTABLE"
  | "PROMOTION_WRONG_DROPLET"
  | "PROMOTION_UNHEALTHY_CANARY"
  | "PROMOTION_GATE_FAILED"
  | "PROMOTION_TIMEOUT"
  | "PROMOTION_NO_CREDENTIALS"
  | "PROMOTION_CONNECTION_CONFIG"
  | "PROMOTION_INVALID_INPUTS"
  | "PROMOTION_NOT_INSTALLED"
  | "PROMOTION_ENGINE_GONE"
  | "PROMOTION_REFUSED";

/**
 * An error of the promotion itself (as opposed to a Cloud Controller or network error from the
 * client). Pulumi prints `message` verbatim under the resource, so it names the deployment and
 * app, says what happened and whether anything was sent, and never contains a credential.
 */
export class PromotionError extends Error {
  override readonly name = "PromotionError";
  readonly code: PromotionErrorCode;

  constructor(code: PromotionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Whether `error` is a {@link PromotionError}, optionally with the given code. */
export function isPromotionError(
  error: unknown,
  code?: PromotionErrorCode,
): error is PromotionError {
  return hasErrorBrand(error, "PromotionError", "PROMOTION_", code);
}
