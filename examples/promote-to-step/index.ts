/**
 * Promotes the active canary deployment of app `web` to a chosen canary step and leaves it paused
 * there, e.g. step 2 of 3 while the team watches the second step's metrics. Raising `toStep` or
 * removing it in a later `pulumi up` promotes further; the preview shows the exact continues.
 *
 * The resource is named `web` like the one in `promote-web`, so switching a stack from this
 * program to that one is an update of the same promotion: it goes on to FINALIZED/DEPLOYED.
 *
 * Stack config of this project: `org`, `space`, `toStep` (required), `app` (default `web`),
 * `expectedDropletGuid` (optional: refuse to promote any other release), and optionally
 * `pollIntervalSeconds` and `lateDeliverySeconds`. The connection comes from `cloudfoundry:*` stack config, `CF_*`
 * or `cf login`, as in `promote-web`.
 */
import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";

async function promoteToStep() {
  const config = new pulumi.Config();
  const web = new DeploymentPromotion("web", {
    appName: config.get("app") ?? "web",
    orgName: config.require("org"),
    spaceName: config.require("space"),
    toStep: config.requireNumber("toStep"),
    expectedDropletGuid: config.get("expectedDropletGuid"),
    pollIntervalSeconds: config.getNumber("pollIntervalSeconds"),
    lateDeliverySeconds: config.getNumber("lateDeliverySeconds"),
  });
  return {
    deploymentGuid: web.deploymentGuid,
    statusValue: web.statusValue,
    statusReason: web.statusReason,
    canaryStep: web.canaryStep,
    continues: web.continues,
  };
}

export = promoteToStep;
