import type { Handler, SimResponse } from "../context.js";
import type { Actor } from "../model.js";
import { CF_CLIENT_ID } from "../token-service.js";

/** UAA's error body: `{ error, error_description }` (UAA `docs/UAA-Tokens.md`). */
function uaaError(status: number, error: string, description: string): SimResponse {
  return { status, body: { error, error_description: description } };
}

const badCredentials = () => uaaError(401, "unauthorized", "Bad credentials");

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^basic\s+(\S+)$/i.exec(header?.trim() ?? "");
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] ?? "", "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

/**
 * `POST <uaa>/oauth/token` with a form body: the `password` grant (Basic `cf:`), the
 * `refresh_token` grant (Basic `cf:`) and `client_credentials` (id and secret in the form, or in
 * Basic). Wrong credentials get UAA's 401 `{"error":"unauthorized","error_description":"Bad
 * credentials"}`; a bad refresh token gets 401 `invalid_token`. Client-credentials responses carry
 * no refresh token.
 */
export const postToken: Handler = (request, { store, tokens }) => {
  const form = new URLSearchParams(request.body.toString("utf8"));
  const grantType = form.get("grant_type");
  const basic = basicCredentials(request.headers.authorization);
  const cfClient = () => basic?.id === CF_CLIENT_ID && basic.secret === "";
  const issue = (actor: Actor | undefined, clientId: string, refresh: boolean) =>
    actor === undefined
      ? badCredentials()
      : { status: 200, body: tokens.issue(actor, grantType ?? "", clientId, refresh) };

  switch (grantType) {
    case "password": {
      if (!cfClient()) return badCredentials();
      const user = store.findActor("user", form.get("username") ?? "");
      return issue(user?.secret === form.get("password") ? user : undefined, CF_CLIENT_ID, true);
    }
    case "refresh_token": {
      if (!cfClient()) return badCredentials();
      const checked = tokens.checkRefreshToken(form.get("refresh_token") ?? "");
      if (checked === undefined) {
        return uaaError(
          401,
          "invalid_token",
          "The token expired, was revoked, or the token ID is incorrect.",
        );
      }
      return issue(checked.actor, checked.clientId, true);
    }
    case "client_credentials": {
      const id = form.get("client_id") ?? basic?.id ?? "";
      const secret = form.get("client_secret") ?? basic?.secret ?? "";
      const client = store.findActor("client", id);
      return issue(client?.secret === secret ? client : undefined, id, false);
    }
    case null:
      return uaaError(400, "invalid_request", "Missing grant type");
    default:
      return uaaError(400, "unsupported_grant_type", `Unsupported grant type: ${grantType}`);
  }
};
