import type { SimulatorHandle } from "../../../src/simulator/index.js";

/** A token response from the simulator's UAA, fetched directly (as `cf login` would). */
export async function loginDirectly(
  sim: SimulatorHandle,
  user = "developer",
): Promise<{ access_token: string; refresh_token: string }> {
  const creds = sim.users[user];
  if (creds === undefined) throw new Error(`no seeded user ${user}`);
  const response = await fetch(`${sim.uaaUrl}/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from("cf:").toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({
      grant_type: "password",
      username: creds.username,
      password: creds.password,
    }).toString(),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
  return (await response.json()) as { access_token: string; refresh_token: string };
}
