/**
 * `promote-web` as an ES module program (`.mts`, or `.ts` in a `"type": "module"` project):
 * `cf-deployment-promotion` is a CommonJS package, and Node's ESM loader gives it named exports.
 * In an ESM Pulumi project the default export is what `pulumi up` runs.
 *
 * Stack config: `org`, `space`, `app` (default `web`), optionally `pollIntervalSeconds`; the
 * connection comes from `cloudfoundry:*`, `CF_*` or `cf login`.
 */
import * as pulumi from "@pulumi/pulumi";
import { DeploymentPromotion } from "cf-deployment-promotion";

export default async function promoteWeb() {
  const config = new pulumi.Config();
  const web = new DeploymentPromotion("web", {
    appName: config.get("app") ?? "web",
    orgName: config.require("org"),
    spaceName: config.require("space"),
    pollIntervalSeconds: config.getNumber("pollIntervalSeconds"),
  });
  return {
    deploymentGuid: web.deploymentGuid,
    statusValue: web.statusValue,
    statusReason: web.statusReason,
    canaryStep: web.canaryStep,
    continues: web.continues,
  };
}
