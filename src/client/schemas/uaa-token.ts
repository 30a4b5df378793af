import { z } from "zod";

/** A UAA `/oauth/token` success response (UAA `docs/UAA-Tokens.md`, reference §9.2). Loose. */
export const UaaTokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string(),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().optional(),
  scope: z.string().optional(),
  jti: z.string().optional(),
});
/** A UAA token response. */
export type UaaTokenResponse = z.infer<typeof UaaTokenResponseSchema>;

/** A UAA (OAuth2) error body `{"error":"unauthorized","error_description":"Bad credentials"}`. */
export const UaaErrorSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});
