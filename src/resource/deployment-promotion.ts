import * as pulumi from "@pulumi/pulumi";
import type { GateRound } from "../provider/gates/gate-results.js";
import type { PromotionTarget } from "../provider/promotion-inputs.js";
import type { CanaryStep, Overshoot, PromotionContinue } from "../provider/promotion-record.js";
import { PROVIDER_MODULE } from "./provider-module.js";

/**
 * Inputs of {@link DeploymentPromotion}. Name the target with exactly one of `deploymentGuid`,
 * `appGuid`, or `appName` with `spaceGuid` (or with `spaceName` and `orgName`). With an app, its
 * active deployment is the target, found as `cf continue-deployment` finds it.
 *
 * The Cloud Foundry connection is not an input (inputs are stored in state): it comes from stack
 * config `cloudfoundry:*`, the `CF_*` environment, or the cf CLI's `config.json`.
 */
export interface DeploymentPromotionArgs {
  /** GUID of the deployment to promote. */
  deploymentGuid?: pulumi.Input<string> | undefined;
  /** GUID of the app whose active deployment to promote. */
  appGuid?: pulumi.Input<string> | undefined;
  /** Name of the app whose active deployment to promote; needs `spaceGuid`, or `spaceName` and `orgName`. */
  appName?: pulumi.Input<string> | undefined;
  /** GUID of the app's space (with `appName`). */
  spaceGuid?: pulumi.Input<string> | undefined;
  /** Name of the app's space (with `appName` and `orgName`). */
  spaceName?: pulumi.Input<string> | undefined;
  /** Name of the space's organization (with `appName` and `spaceName`). */
  orgName?: pulumi.Input<string> | undefined;
  /**
   * Promote until this canary step is reached and paused there (each continue advances exactly
   * one step). Omitted: promote all the way to FINALIZED/DEPLOYED. Raising it or removing it
   * later promotes further.
   */
  toStep?: pulumi.Input<number> | undefined;
  /** Refuse, sending nothing, when the deployment is for another droplet: never promote the wrong release. */
  expectedDropletGuid?: pulumi.Input<string> | undefined;
  /**
   * How long one `pulumi up` may spend converging, in seconds. Enforced by the provider
   * (Pulumi's `customTimeouts` do not reach dynamic providers).
   * @default 600
   */
  timeoutSeconds?: pulumi.Input<number> | undefined;
  /**
   * What to do when `timeoutSeconds` runs out: `"fail"` leaves the deployment as it is,
   * `"cancel"` cancels it (the Cloud Controller rolls the app back to the previous droplet).
   * @default "fail"
   */
  onTimeout?: pulumi.Input<"fail" | "cancel"> | undefined;
  /**
   * Seconds between reads of the deployment while waiting.
   * @default 3 (the cf CLI's polling interval)
   */
  pollIntervalSeconds?: pulumi.Input<number> | undefined;
  /**
   * @deprecated Use `gates: { healthy: false }` to skip the health gate; `requireHealthyCanary`
   * is read as `gates.healthy` (and may not contradict it).
   * @default true
   */
  requireHealthyCanary?: pulumi.Input<boolean> | undefined;
  /**
   * What must hold before every continue, checked in this order and re-checked until
   * `timeoutSeconds` runs out: nothing is sent while one fails.
   * @default { healthy: true }
   */
  gates?: pulumi.Input<DeploymentPromotionGates> | undefined;
  /**
   * What a gate still failing when `timeoutSeconds` runs out does: `"fail"` leaves the deployment
   * paused, `"cancel"` cancels it (the Cloud Controller rolls the app back), then fails.
   * @default "fail"
   */
  onGateFailure?: pulumi.Input<"fail" | "cancel"> | undefined;
  /**
   * How long a continue or cancel whose outcome is unknown (a timeout, a reset after it was
   * sent, a router's 5xx) is watched for it to land, in seconds (1 to 600); it is never sent
   * again. Set it to at least your router's or proxy's request timeout: a shorter window may end
   * the run with `CF_OUTCOME_UNKNOWN` for a continue that lands later (the next `up` settles it).
   * @default 60
   */
  lateDeliverySeconds?: pulumi.Input<number> | undefined;
}

/** The gates of {@link DeploymentPromotionArgs.gates}. */
export interface DeploymentPromotionGates {
  /**
   * Every instance of the canary's new web process RUNNING (`GET /v3/processes/{guid}/stats`);
   * `{ forSeconds: N }`: RUNNING for at least N seconds (instance `uptime`). `false`: no check.
   * @default true
   */
  healthy?: pulumi.Input<boolean | { forSeconds: pulumi.Input<number> }> | undefined;
  /**
   * The deployment has been PAUSED at the step at least this long, on the Cloud Controller's
   * clock (`status.details.last_status_change` against the answer's `Date`).
   */
  soakSeconds?: pulumi.Input<number> | undefined;
  /**
   * POSTs a JSON document about the continue (deployment, app, space, steps, droplet, instance
   * states; never a credential) and requires a 2xx within `timeoutSeconds` (default 30).
   * https only, except to loopback. The webhook is kept secret in state; its headers, path and
   * query are never printed.
   */
  webhook?:
    | pulumi.Input<{
        url: pulumi.Input<string>;
        timeoutSeconds?: pulumi.Input<number> | undefined;
        headers?: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined;
      }>
    | undefined;
  /**
   * Runs a local program (no shell) with the same document on stdin; exit status 0 passes.
   * Killed after `timeoutSeconds` (default 30), never run past the operation's deadline.
   */
  command?:
    | pulumi.Input<{
        argv: pulumi.Input<pulumi.Input<string>[]>;
        timeoutSeconds?: pulumi.Input<number> | undefined;
      }>
    | undefined;
}

/**
 * The gates with the webhook marked secret, so that the engine keeps it encrypted in state (it
 * marks an output secret when the input of that name was: pulumi
 * sdk/go/common/resource/plugin/provider_plugin.go `annotateSecrets`): its headers, and its URL,
 * whose path is the key of many webhooks (Slack's, Discord's). A `gates` that is itself an Output
 * is marked secret whole: its webhook cannot be reached before it resolves.
 */
function withSecretWebhook(
  gates: DeploymentPromotionArgs["gates"],
): DeploymentPromotionArgs["gates"] {
  if (gates === undefined) return undefined;
  if (pulumi.Output.isInstance(gates) || isPromise(gates)) return pulumi.secret(gates);
  if (gates.webhook === undefined) return gates;
  return { ...gates, webhook: pulumi.secret(gates.webhook) };
}

function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}

/**
 * Declares that a Cloud Foundry canary deployment is promoted: `pulumi up` continues it step by
 * step (`POST /v3/deployments/{guid}/actions/continue`) until `toStep` or until it is deployed,
 * `pulumi preview` shows the exact action, and `pulumi refresh` shows a later cancel or
 * supersede as drift. Destroying the resource only forgets it; it never cancels or rolls back.
 *
 * Type token: `pulumi-nodejs:dynamic/cloudfoundry:DeploymentPromotion`.
 */
export class DeploymentPromotion extends pulumi.CustomResource {
  /** GUID of the promoted deployment (also the resource id). */
  declare readonly deploymentGuid: pulumi.Output<string>;
  /** GUID of the deployment's app. */
  declare readonly appGuid: pulumi.Output<string>;
  /** Name of the deployment's app. */
  declare readonly appName: pulumi.Output<string>;
  /** `"canary"` or `"rolling"`. */
  declare readonly strategy: pulumi.Output<string>;
  /** `ACTIVE` or `FINALIZED`. */
  declare readonly statusValue: pulumi.Output<string>;
  /** `DEPLOYING`, `PAUSED`, `CANCELING`, `DEPLOYED`, `CANCELED` or `SUPERSEDED`. */
  declare readonly statusReason: pulumi.Output<string>;
  /** The canary step `{ current, total }`, or null for a rolling deployment. */
  declare readonly canaryStep: pulumi.Output<CanaryStep | null>;
  /** GUID of the droplet being deployed. */
  declare readonly dropletGuid: pulumi.Output<string | null>;
  /** GUID of the app's droplet before the deployment (what a cancel rolls back to). */
  declare readonly previousDropletGuid: pulumi.Output<string | null>;
  /** The deployment's revision, or null when the app has no revisions. */
  declare readonly revision: pulumi.Output<{ guid: string; version: number } | null>;
  /** When the status last changed (ISO 8601). */
  declare readonly lastStatusChange: pulumi.Output<string | null>;
  /** When the deployment's new instances were last seen healthy (ISO 8601). */
  declare readonly lastSuccessfulHealthcheck: pulumi.Output<string | null>;
  /**
   * Every continue on the deployment, across all updates, from the Cloud Controller's audit trail:
   * `{ fromStep, toStep, at, by, ours }` (`ours: false` for someone else's).
   */
  declare readonly continues: pulumi.Output<PromotionContinue[]>;
  /** `{ by, toStep }` when someone else continued the deployment past `toStep`; else null. */
  declare readonly overshoot: pulumi.Output<Overshoot | null>;
  /** The target exactly as the inputs named it. */
  declare readonly target: pulumi.Output<PromotionTarget>;
  /**
   * The gates checked before each continue, across all updates (the latest 50): `{ fromStep,
   * toStep, passed, firstCheckAt, lastCheckAt, waitedSeconds, rounds, gates: [{ gate, passed,
   * detail }] }` (`passed: null` for a gate not reached because one before it had not passed).
   */
  declare readonly gateResults: pulumi.Output<GateRound[]>;

  /**
   * @param name The unique name of the resource.
   * @param args Which deployment to promote, how far, and how carefully.
   * @param opts Resource options. `customTimeouts` has no effect: use `timeoutSeconds`.
   */
  constructor(name: string, args: DeploymentPromotionArgs, opts?: pulumi.CustomResourceOptions) {
    // What `pulumi.dynamic.Resource` would register, with a provider text of our own: the host
    // finds the provider of a `pulumi-nodejs:dynamic…` type in `__provider`.
    super(
      "pulumi-nodejs:dynamic/cloudfoundry:DeploymentPromotion",
      name,
      {
        ...args,
        gates: withSecretWebhook(args.gates),
        // Output-only properties are seeded as undefined so they appear as typed outputs.
        deploymentGuid: args.deploymentGuid,
        appGuid: args.appGuid,
        appName: args.appName,
        strategy: undefined,
        statusValue: undefined,
        statusReason: undefined,
        canaryStep: undefined,
        dropletGuid: undefined,
        previousDropletGuid: undefined,
        revision: undefined,
        lastStatusChange: undefined,
        lastSuccessfulHealthcheck: undefined,
        continues: undefined,
        overshoot: undefined,
        target: undefined,
        gateResults: undefined,
        // Last: an untyped `__provider` in `args` cannot replace it.
        __provider: PROVIDER_MODULE,
      },
      opts,
    );
  }
}
