import { CF_CLI_CLIENT_ID } from "../../../src/client/credential-source.js";
import { basicAuthorization } from "../../../src/client/uaa-grant.js";
import type { SimulatorHandle } from "../../../src/simulator/index.js";

type Tokens = { access_token: string; refresh_token: string };

/** A token response from the simulator's UAA, fetched directly (as `cf login` would). */
export async function loginDirectly(sim: SimulatorHandle, user = "developer"): Promise<Tokens> {
  const { username, password } = sim.users[user] ?? { username: user, password: "" };
  const cf = { clientId: CF_CLI_CLIENT_ID, clientSecret: "" };
  const form = new URLSearchParams({ grant_type: "password", username, password });
  const answer = await fetch(`${sim.uaaUrl}/oauth/token`, {
    method: "POST",
    // A URLSearchParams body is sent as application/x-www-form-urlencoded.
    headers: { authorization: basicAuthorization(cf) },
    body: form,
  });
  if (!answer.ok) throw new Error(`login ${user}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as Tokens;
}

export { uaaRefusesToken } from "../../support/index.js";
