import { type CloudFoundryAuthError, composeMessage } from "../client/index.js";

/**
 * Where a Pulumi user sets each kind of credentials: the client's advice says what to do, this
 * adds the provider's stack config keys and environment variables. A cf CLI login keeps the
 * client's advice (`cf login`), which is already the whole answer.
 */
const PROVIDER_ADVICE: Partial<Record<CloudFoundryAuthError["credentialKind"], string>> = {
  accessToken:
    "pass a fresh one (e.g. from `cf oauth-token`; cloudfoundry:accessToken or CF_ACCESS_TOKEN) or use credentials that can refresh",
  refreshToken:
    "the refresh token is expired or revoked; get a new one with `cf login` (cloudfoundry:refreshToken or CF_REFRESH_TOKEN)",
  password:
    "check the user name and password (cloudfoundry:user and cloudfoundry:password, or CF_USER and CF_PASSWORD)",
  clientCredentials:
    "check the client id and secret (cloudfoundry:cfClientId and cloudfoundry:cfClientSecret, or CF_CLIENT_ID and CF_CLIENT_SECRET)",
};

/** The message of a client auth error with the provider's advice in place of the client's. */
export function withProviderAdvice(error: CloudFoundryAuthError): string {
  const advice = PROVIDER_ADVICE[error.credentialKind];
  // An error from another copy of the client may lack the structured fields; keep its message.
  if (advice === undefined || typeof error.summary !== "string") return error.message;
  return composeMessage(error.summary, [advice]);
}
