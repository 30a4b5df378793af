import { join } from "node:path";
import { describe, expect } from "vitest";
import { createCloudFoundryClient, isCloudFoundryError } from "../../src/client/index.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { it, loggedIn, passwordOf } from "../support/client-fixture.js";
import {
  passwordGrant,
  rejectionOf,
  requestLines,
  uaaRefusesToken,
  webDeployment,
} from "../support/index.js";

const TOKEN = "POST /uaa/oauth/token";
const TTL_MS = 1_200_000;

/** What `cf login` against the simulator would have written. */
async function cfLoginConfig(sim: SimulatorHandle, extra: Record<string, unknown> = {}) {
  const tokens = await passwordGrant(sim, "developer");
  return {
    ConfigVersion: 3,
    Target: sim.url,
    APIVersion: "3.201.0",
    AccessToken: `bearer ${tokens.access_token}`,
    RefreshToken: tokens.refresh_token,
    AuthorizationEndpoint: sim.uaaUrl,
    UaaEndpoint: sim.uaaUrl,
    SSLDisabled: false,
    UAAGrantType: "",
    UAAOAuthClient: "cf",
    UAAOAuthClientSecret: "",
    ...extra,
  };
}

describe("authentication", () => {
  it("gets one token for many concurrent calls (single flight)", async ({ sim, client }) => {
    const guid = webDeployment(sim);
    await Promise.all([1, 2, 3, 4, 5].map(() => client.getDeployment(guid)));
    const lines = await requestLines(sim);
    expect(lines.filter((line) => line.startsWith(TOKEN))).toEqual([`${TOKEN} 200`]);
    expect(lines.filter((line) => line === "GET / 200")).toHaveLength(1);
    expect(lines).toHaveLength(7);
  });

  it("refreshes a token that expires within 60 s before using it, once for concurrent calls", async ({
    sim,
    time,
    client,
    log,
  }) => {
    const guid = webDeployment(sim);
    await client.getDeployment(guid);
    time.advance(TTL_MS - 61_000);
    await client.getDeployment(guid);
    time.advance(2_000);
    await sim.control.clearRequests();
    await Promise.all([1, 2, 3].map(() => client.getDeployment(guid)));
    expect(await requestLines(sim)).toEqual([
      `${TOKEN} 200`,
      `GET /v3/deployments/${guid} 200`,
      `GET /v3/deployments/${guid} 200`,
      `GET /v3/deployments/${guid} 200`,
    ]);
    expect(log.debug.filter((line) => line.startsWith("Requesting a token"))).toEqual([
      "Requesting a token from UAA (password) for the password grant for user 'developer'.",
      "Requesting a token from UAA (refresh_token) for the password grant for user 'developer'.",
    ]);
    expect(time.sleeps).toEqual([]);
  });

  it("answers a 401 with one refresh and one retry", async ({ sim, client }) => {
    const guid = webDeployment(sim);
    await client.getDeployment(guid);
    await sim.control.expireTokens();
    await sim.control.clearRequests();
    await client.getDeployment(guid);
    expect(await requestLines(sim)).toEqual([
      `GET /v3/deployments/${guid} 401`,
      `${TOKEN} 200`,
      `GET /v3/deployments/${guid} 200`,
    ]);
  });

  it("fails after a second 401, naming the credential source and what to do", async ({
    sim,
    client,
  }) => {
    const guid = webDeployment(sim);
    const path = `/v3/deployments/${guid}`;
    await client.getDeployment(guid);
    await sim.control.clearRequests();
    await sim.control.addFault({
      method: "GET",
      path,
      status: 401,
      times: 2,
      body: {
        errors: [{ code: 1000, title: "CF-InvalidAuthToken", detail: "Invalid Auth Token" }],
      },
    });
    const error = await rejectionOf(client.getDeployment(guid));
    expect(isCloudFoundryError(error, "CF_AUTH_ERROR")).toBe(true);
    expect(error.message).toBe(
      `GET ${path} → 401 CF-InvalidAuthToken (1000): Invalid Auth Token, even with a new token from the password grant for user 'developer'; check the user name and password.`,
    );
    expect(error).toMatchObject({
      credentialSource: "password grant for user 'developer'",
      status: 401,
    });
    expect(await requestLines(sim)).toEqual([`GET ${path} 401`, `${TOKEN} 200`, `GET ${path} 401`]);
  });

  it("re-sends a continue refused with 401 once it has a new token, and continues once", async ({
    sim,
    client,
  }) => {
    await sim.control.tick();
    const guid = webDeployment(sim);
    const expected = await client.getDeployment(guid);
    await sim.control.expireTokens();
    await sim.control.clearRequests();
    const outcome = await client.continueDeployment(guid, { expected });
    expect(outcome).toMatchObject({ applied: true, attempts: 2 });
    expect(await requestLines(sim)).toEqual([
      `POST /v3/deployments/${guid}/actions/continue 401`,
      `${TOKEN} 200`,
      `POST /v3/deployments/${guid}/actions/continue 200`,
      `GET /v3/deployments/${guid} 200`,
    ]);
    expect(
      await sim.control.auditEvents({ types: ["audit.app.deployment.continue"] }),
    ).toHaveLength(1);
  });

  it("reports a wrong password as UAA's refusal, without retrying", async ({
    sim,
    time,
    makeClient,
  }) => {
    const client = makeClient({
      credentials: { kind: "password", username: "developer", password: "not-the-password" },
    });
    const error = await rejectionOf(client.getDeployment(webDeployment(sim)));
    expect(isCloudFoundryError(error, "CF_AUTH_ERROR")).toBe(true);
    expect(error.message).toBe(
      "UAA refused the password grant for user 'developer': POST /oauth/token (password grant) → 401 unauthorized: Bad credentials; check the user name and password.",
    );
    expect(await requestLines(sim)).toEqual(["GET / 200", `${TOKEN} 401`]);
    expect(time.sleeps).toEqual([]);
  });

  it("falls back to the password when UAA refuses the refresh token", async ({
    sim,
    time,
    client,
    log,
  }) => {
    const { guid } = await loggedIn(sim, client);
    time.advance(TTL_MS);
    await sim.control.addFault(
      uaaRefusesToken("The token expired, was revoked, or the token ID is incorrect."),
    );
    await client.getDeployment(guid);
    expect(await requestLines(sim)).toEqual([
      `${TOKEN} 401`,
      `${TOKEN} 200`,
      `GET /v3/deployments/${guid} 200`,
    ]);
    expect(log.debug.filter((line) => line.startsWith("Requesting a token")).slice(1)).toEqual([
      "Requesting a token from UAA (refresh_token) for the password grant for user 'developer'.",
      "Requesting a token from UAA (password) for the password grant for user 'developer'.",
    ]);
  });

  it("uses a static access token as given and cannot refresh it", async ({ sim, makeClient }) => {
    const { access_token: accessToken } = await passwordGrant(sim, "developer");
    await sim.control.clearRequests();
    const client = makeClient({
      credentials: { kind: "accessToken", accessToken: `bearer ${accessToken}` },
    });
    expect(client.credentialSourceDescription).toBe("static access token");
    const guid = webDeployment(sim);
    await client.getDeployment(guid);
    await sim.control.expireTokens();
    const error = await rejectionOf(client.getDeployment(guid));
    expect(error.message).toBe(
      `GET /v3/deployments/${guid} → 401 CF-InvalidAuthToken (1000): Invalid Auth Token, and the static access token cannot be refreshed; pass a fresh one (e.g. from \`cf oauth-token\`) or use credentials that can refresh.`,
    );
    expect(await requestLines(sim)).toEqual([
      `GET /v3/deployments/${guid} 200`,
      `GET /v3/deployments/${guid} 401`,
    ]);
  });

  it("refuses to send a static access token it knows has expired", async ({
    sim,
    time,
    makeClient,
  }) => {
    const { access_token: accessToken } = await passwordGrant(sim, "developer");
    await sim.control.clearRequests();
    const client = makeClient({ credentials: { kind: "accessToken", accessToken } });
    time.advance(TTL_MS);
    const error = await rejectionOf(client.getDeployment(webDeployment(sim)));
    expect(isCloudFoundryError(error, "CF_AUTH_ERROR")).toBe(true);
    expect(error.message).toBe(
      "The static access token expired at 2026-03-01T12:20:00.000Z; pass a fresh one (e.g. from `cf oauth-token`) or use credentials that can refresh.",
    );
    expect(await requestLines(sim)).toEqual([]);
  });

  it("exchanges a refresh token, and says what to do when UAA refuses it", async ({
    sim,
    makeClient,
  }) => {
    const { refresh_token: refreshToken } = await passwordGrant(sim, "developer");
    const client = makeClient({ credentials: { kind: "refreshToken", refreshToken } });
    expect(client.credentialSourceDescription).toBe("refresh token");
    await client.getDeployment(webDeployment(sim));
    expect((await requestLines(sim)).slice(-3)).toEqual([
      "GET / 200",
      `${TOKEN} 200`,
      `GET /v3/deployments/${webDeployment(sim)} 200`,
    ]);
    const stale = makeClient({
      credentials: { kind: "refreshToken", refreshToken: "not-a-refresh-token" },
    });
    const error = await rejectionOf(stale.getDeployment(webDeployment(sim)));
    expect(error.message).toBe(
      "UAA refused the refresh token: POST /oauth/token (refresh_token grant) → 401 invalid_token: The token expired, was revoked, or the token ID is incorrect; the refresh token is expired or revoked; get a new one with `cf login`.",
    );
  });

  it("authenticates a UAA client with client credentials", async ({ sim, makeClient }) => {
    const promoter = sim.clients["promoter"];
    if (promoter === undefined) throw new Error("no promoter client");
    const client = makeClient({ credentials: { kind: "clientCredentials", ...promoter } });
    expect(client.credentialSourceDescription).toBe("client credentials for client 'promoter'");
    expect((await client.getDeployment(webDeployment(sim))).guid).toBe(webDeployment(sim));
    const wrong = makeClient({
      credentials: {
        kind: "clientCredentials",
        clientId: "promoter",
        clientSecret: "wrong-secret",
      },
    });
    const error = await rejectionOf(wrong.getRoot().then(() => wrong.getDeployment("x")));
    expect(error.message).toBe(
      "UAA refused the client credentials for client 'promoter': POST /oauth/token (client_credentials grant) → 401 unauthorized: Bad credentials; check the client id and secret.",
    );
  });

  it("uses the cf CLI's login from <cfHome>/.cf/config.json: Target, token, and refresh at AuthorizationEndpoint", async ({
    sim,
    time,
    log,
    cfHome,
    onTestFinished,
  }) => {
    const home = cfHome(await cfLoginConfig(sim));
    const client = createCloudFoundryClient({
      credentials: { kind: "cfCliConfig", cfHome: home },
      logger: log.logger,
      now: time.now,
      sleep: time.sleep,
    });
    onTestFinished(() => client.close());
    expect(client.apiUrl).toBe(sim.url);
    expect(client.credentialSourceDescription).toBe(
      `cf CLI login from ${join(home, ".cf", "config.json")} (user 'developer')`,
    );
    const guid = webDeployment(sim);
    await sim.control.clearRequests();
    await client.getDeployment(guid);
    await sim.control.expireTokens();
    await client.getDeployment(guid);
    expect(await requestLines(sim)).toEqual([
      `GET /v3/deployments/${guid} 200`,
      `GET /v3/deployments/${guid} 401`,
      `${TOKEN} 200`,
      `GET /v3/deployments/${guid} 200`,
    ]);
    expect(log.warnings).toEqual([]);
  });

  it("turns on skipSslValidation for a cf CLI login made with --skip-ssl-validation, and warns once", async ({
    sim,
    log,
    cfHome,
    onTestFinished,
  }) => {
    const home = cfHome(await cfLoginConfig(sim, { SSLDisabled: true }));
    const client = createCloudFoundryClient({
      credentials: { kind: "cfCliConfig", cfHome: home },
      logger: log.logger,
    });
    onTestFinished(() => client.close());
    await client.getDeployment(webDeployment(sim));
    await client.getDeployment(webDeployment(sim));
    expect(log.warnings).toEqual([
      `TLS certificate verification is off for ${sim.url} (skipSslValidation); anyone on the network path can read the credentials. Prefer caCertificates.`,
    ]);
  });

  it("refuses to send the cf CLI's login to an apiUrl other than its Target, before any request", async ({
    sim,
    cfHome,
    onTestFinished,
  }) => {
    const home = cfHome(await cfLoginConfig(sim));
    const other = "https://api.other-foundation.example.com";
    await sim.control.clearRequests();
    let error: unknown;
    try {
      createCloudFoundryClient({
        apiUrl: other,
        credentials: { kind: "cfCliConfig", cfHome: home },
      });
    } catch (caught) {
      error = caught;
    }
    expect(isCloudFoundryError(error, "CF_CONFIG_ERROR")).toBe(true);
    expect((error as Error).message).toBe(
      `apiUrl ${other} is not the API the cf CLI is logged in to (Target ${sim.url} in ${join(home, ".cf", "config.json")}), so its tokens are not sent there; run \`cf api ${other}\` and \`cf login\`, or leave apiUrl unset to use the cf CLI's target.`,
    );
    expect(await sim.control.requests()).toEqual([]);
    // The same URL spelled with a trailing slash is the same API.
    const same = createCloudFoundryClient({
      apiUrl: `${sim.url}/`,
      credentials: { kind: "cfCliConfig", cfHome: home },
    });
    onTestFinished(() => same.close());
    await same.getDeployment(webDeployment(sim));
  });

  it("says to run cf login again when the cf CLI's refresh token is refused", async ({
    sim,
    cfHome,
    onTestFinished,
  }) => {
    const home = cfHome(await cfLoginConfig(sim, { RefreshToken: "revoked-refresh-token" }));
    const client = createCloudFoundryClient({ credentials: { kind: "cfCliConfig", cfHome: home } });
    onTestFinished(() => client.close());
    await sim.control.expireTokens();
    const error = await rejectionOf(client.getDeployment(webDeployment(sim)));
    expect(error.message).toBe(
      `UAA refused the cf CLI login from ${join(home, ".cf", "config.json")} (user 'developer'): POST /oauth/token (refresh_token grant) → 401 invalid_token: The token expired, was revoked, or the token ID is incorrect; run \`cf login\` again.`,
    );
  });

  it("describes each credential source without secrets", async ({ sim, makeClient }) => {
    const described = [
      makeClient({ credentials: passwordOf(sim) }),
      makeClient({ credentials: { ...passwordOf(sim), origin: "ldap", clientId: "my-cli" } }),
    ].map((client) => client.credentialSourceDescription);
    expect(described).toEqual([
      "password grant for user 'developer'",
      "password grant for user 'developer' (origin 'ldap') with client 'my-cli'",
    ]);
  });

  it("refreshes once when concurrent calls all meet a 401 mid-flight, and re-sends each once", async ({
    sim,
    time,
    client,
  }) => {
    const guid = webDeployment(sim);
    await client.getDeployment(guid);
    await sim.control.expireTokens();
    await sim.control.clearRequests();
    await Promise.all([1, 2, 3, 4].map(() => client.getDeployment(guid)));
    const lines = await requestLines(sim);
    expect(lines.filter((line) => line.startsWith(TOKEN))).toEqual([`${TOKEN} 200`]);
    expect(lines.filter((line) => line.endsWith(" 401"))).toHaveLength(4);
    expect(lines.filter((line) => line === `GET /v3/deployments/${guid} 200`)).toHaveLength(4);
    expect(lines).toHaveLength(9);
    expect(time.sleeps).toEqual([]);
  });

  it("stops waiting for a token when the call's signal aborts, and the shared refresh serves the others", async ({
    sim,
    client,
  }) => {
    await client.getRoot();
    await sim.control.addFault({ method: "POST", path: "/uaa/oauth/token", delayMs: 300 });
    const guid = webDeployment(sim);
    const controller = new AbortController();
    const aborted = rejectionOf(client.getDeployment(guid, { signal: controller.signal }));
    const patient = client.getDeployment(guid);
    controller.abort(new Error("caller gave up"));
    expect((await aborted).message).toBe("caller gave up");
    expect((await patient).guid).toBe(guid);
    const lines = await requestLines(sim);
    expect(lines.filter((line) => line.startsWith(TOKEN))).toEqual([`${TOKEN} 200`]);
    expect(lines.filter((line) => line.startsWith("GET /v3/"))).toEqual([
      `GET /v3/deployments/${guid} 200`,
    ]);
  });

  it("waits for a token no longer than the call's deadline", async ({ sim, time, client }) => {
    await client.getRoot();
    await sim.control.addFault({ method: "POST", path: "/uaa/oauth/token", delayMs: 2_000 });
    const guid = webDeployment(sim);
    const error = await rejectionOf(client.getDeployment(guid, { deadline: time.now() + 50 }));
    expect(isCloudFoundryError(error, "CF_TIMEOUT")).toBe(true);
    expect(error.message).toBe(
      `GET /v3/deployments/${guid} was not sent because no token arrived from UAA before the deadline (password grant for user 'developer'); allow more time or check that UAA is reachable.`,
    );
  });
});

describe("actorGuid", () => {
  for (const kind of ["password", "clientCredentials", "accessToken"] as const) {
    it(`is the actor.guid the Cloud Controller records for the client's continue (${kind})`, async ({
      sim,
      makeClient,
    }) => {
      const promoter = sim.clients["promoter"];
      if (promoter === undefined) throw new Error("no promoter client");
      const { access_token: accessToken } = await passwordGrant(sim, "developer");
      const client = makeClient(
        kind === "clientCredentials"
          ? { credentials: { kind, ...promoter } }
          : kind === "accessToken"
            ? { credentials: { kind, accessToken } }
            : {},
      );
      await sim.control.tick();
      await client.continueDeployment(webDeployment(sim));
      const [event] = await client.listAuditEvents({ types: ["audit.app.deployment.continue"] });
      expect(event?.actor.guid).toBeDefined();
      expect(await client.actorGuid()).toBe(event?.actor.guid);
    });
  }

  it("is undefined for a token that is no JWT, and sends nothing to find that out", async ({
    sim,
    makeClient,
  }) => {
    const client = makeClient({ credentials: { kind: "accessToken", accessToken: "opaque" } });
    await sim.control.clearRequests();
    expect(await client.actorGuid()).toBeUndefined();
    expect(await requestLines(sim)).toEqual([]);
  });
});
