import type { InputFailure } from "./promotion-inputs.js";
import { checkPromotionInputs } from "./promotion-inputs.js";

/**
 * `check`: validates the new inputs and returns them unchanged, with one failure per mistake,
 * each naming the property. It throws nothing and reads nothing (it runs in `pulumi preview`,
 * where values of other resources arrive as the unknown sentinel and are let through).
 */
export async function checkPromotion(
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ inputs: Record<string, unknown>; failures: InputFailure[] }> {
  return { inputs: news, failures: checkPromotionInputs(news) };
}
