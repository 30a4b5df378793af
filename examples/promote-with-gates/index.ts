/**
 * Promotes the active canary deployment of app `web` only through its gates: before every
 * continue, every canary instance must have been RUNNING for `healthySeconds`, the deployment
 * must have been paused at the step for `soakSeconds` (on the Cloud Controller's clock), the
 * webhook at `gateUrl` must answer 2xx, and, when `smokeTest` is set, that command must exit 0.
 * A gate still failing when `timeoutSeconds` runs out cancels the deployment (CF rolls back).
 *
 * Stack config of this project: `org`, `space`, the secrets `gateUrl` (https, or http to
 * loopback; many webhooks carry their key in the URL) and `gateToken` (sent as
 * `Authorization: Bearer …`), both kept encrypted in state, and
 * optionally `toStep`, `healthySeconds` (default 60), `soakSeconds` (default 300), `smokeTest`
 * (a JSON list such as `["./smoke-test.sh", "--quick"]`), `timeoutSeconds` (default 1800) and
 * `pollIntervalSeconds`. The connection comes from `cloudfoundry:*` stack config, `CF_*` or
 * `cf login`, as in `promote-web`.
 */
import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";

async function promoteWithGates() {
  const config = new pulumi.Config();
  const smokeTest = config.getObject<string[]>("smokeTest");
  const web = new DeploymentPromotion("web", {
    appName: "web",
    orgName: config.require("org"),
    spaceName: config.require("space"),
    toStep: config.getNumber("toStep"),
    timeoutSeconds: config.getNumber("timeoutSeconds") ?? 1800,
    pollIntervalSeconds: config.getNumber("pollIntervalSeconds"),
    gates: {
      healthy: { forSeconds: config.getNumber("healthySeconds") ?? 60 },
      soakSeconds: config.getNumber("soakSeconds") ?? 300,
      webhook: {
        url: config.requireSecret("gateUrl"),
        timeoutSeconds: 10,
        headers: { Authorization: pulumi.interpolate`Bearer ${config.requireSecret("gateToken")}` },
      },
      command: smokeTest === undefined ? undefined : { argv: smokeTest, timeoutSeconds: 120 },
    },
    onGateFailure: "cancel",
  });
  return {
    statusReason: web.statusReason,
    canaryStep: web.canaryStep,
    gateResults: web.gateResults,
  };
}

export = promoteWithGates;
