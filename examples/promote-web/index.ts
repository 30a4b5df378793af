/**
 * Promotes the active canary deployment of app `web` all the way to FINALIZED/DEPLOYED: what a
 * platform team declares once it has seen the canary's first step behave.
 *
 * Stack config of this project: `org` and `space` (where the app lives), `app` (default `web`),
 * and optionally `pollIntervalSeconds`. The Cloud Foundry connection is not read here: the
 * provider takes it from stack config `cloudfoundry:apiUrl`, `cloudfoundry:user`,
 * `cloudfoundry:password` (set it with `--secret`), … or from the `CF_*` environment or
 * `cf login`.
 *
 * As a Pulumi program entry (CommonJS) the exported function is what `pulumi up` runs; tests and
 * the demo pass the same function to `runLocal`.
 */
import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";

async function promoteWeb() {
  const config = new pulumi.Config();
  const web = new DeploymentPromotion("web", {
    appName: config.get("app") ?? "web",
    orgName: config.require("org"),
    spaceName: config.require("space"),
    pollIntervalSeconds: config.getNumber("pollIntervalSeconds"),
  });
  return {
    deploymentGuid: web.deploymentGuid,
    appName: web.appName,
    statusValue: web.statusValue,
    statusReason: web.statusReason,
    canaryStep: web.canaryStep,
    dropletGuid: web.dropletGuid,
    continues: web.continues,
  };
}

export = promoteWeb;
