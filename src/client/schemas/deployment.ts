import { z } from "zod";

/**
 * `status.value` of a deployment (CC `deployment_model.rb` `STATUS_VALUES`, reference §1.2).
 */
export const DeploymentStatusValueSchema = z.enum(["ACTIVE", "FINALIZED"]);
/** A `status.value`. */
export type DeploymentStatusValue = z.infer<typeof DeploymentStatusValueSchema>;

/**
 * `status.reason` of a deployment (CC `deployment_model.rb` `STATUS_REASONS`). Closed on
 * purpose: a reason this client does not know means it cannot tell whether a continue took
 * effect, so it fails with a response error instead of guessing.
 */
export const DeploymentStatusReasonSchema = z.enum([
  "DEPLOYING",
  "PAUSED",
  "CANCELING",
  "DEPLOYED",
  "CANCELED",
  "SUPERSEDED",
]);
/** A `status.reason`. */
export type DeploymentStatusReason = z.infer<typeof DeploymentStatusReasonSchema>;

const guidRef = z.looseObject({ guid: z.string().min(1) });

/**
 * A V3 Deployment as `deployment_presenter.rb` emits it (reference §1). Loose: the Cloud
 * Controller adds fields over time. Only what the client and the provider rely on is required.
 */
export const DeploymentSchema = z.looseObject({
  guid: z.string().min(1),
  created_at: z.string(),
  updated_at: z.string(),
  status: z.looseObject({
    value: DeploymentStatusValueSchema,
    reason: DeploymentStatusReasonSchema,
    details: z.looseObject({
      last_successful_healthcheck: z.string().nullish(),
      last_status_change: z.string(),
      error: z.string().nullish(),
    }),
    // Present only for the canary strategy; stays after the deployment finalizes.
    canary: z
      .looseObject({
        steps: z.looseObject({ current: z.number().int(), total: z.number().int() }),
      })
      .optional(),
  }),
  strategy: z.string(),
  options: z
    .looseObject({
      max_in_flight: z.number().int().optional(),
      web_instances: z.number().int().optional(),
      memory_in_mb: z.number().int().optional(),
      disk_in_mb: z.number().int().optional(),
      log_rate_limit_in_bytes_per_second: z.number().int().optional(),
      canary: z
        .looseObject({
          steps: z.array(z.looseObject({ instance_weight: z.number().int() })).optional(),
        })
        .optional(),
    })
    .optional(),
  droplet: guidRef,
  // The app may have had no droplet before (reference §1.1).
  previous_droplet: z.looseObject({ guid: z.string().nullable() }).nullish(),
  new_processes: z.array(z.looseObject({ guid: z.string().min(1), type: z.string() })),
  revision: z.looseObject({ guid: z.string(), version: z.number().int() }).nullish(),
  relationships: z.looseObject({ app: z.looseObject({ data: guidRef }) }),
  metadata: z
    .looseObject({
      labels: z.record(z.string(), z.string().nullable()).optional(),
      annotations: z.record(z.string(), z.string().nullable()).optional(),
    })
    .optional(),
});
/** A V3 Deployment. */
export type Deployment = z.infer<typeof DeploymentSchema>;
