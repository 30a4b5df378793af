import { z } from "zod";

// The Cloud Controller's V3 JSON, as its presenters (`cloud_controller_ng app/presenters/v3/`)
// write it. Every object is loose: CC adds fields over time, and only what the client and the
// provider rely on is required.

const guidRef = z.looseObject({ guid: z.string().min(1) });
const toOne = z.looseObject({ data: guidRef });

/** The fields every named V3 resource has. */
const namedResource = {
  guid: z.string().min(1),
  name: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
};

/** A V3 Organization (`organization_presenter.rb`). */
export const OrganizationSchema = z.looseObject({
  ...namedResource,
  suspended: z.boolean().optional(),
});
/** A V3 Organization. */
export type Organization = z.infer<typeof OrganizationSchema>;

/** A V3 Space (`space_presenter.rb`). */
export const SpaceSchema = z.looseObject({
  ...namedResource,
  relationships: z.looseObject({ organization: toOne }),
});
/** A V3 Space. */
export type Space = z.infer<typeof SpaceSchema>;

/** A V3 App (`app_presenter.rb`). */
export const AppSchema = z.looseObject({
  ...namedResource,
  state: z.string(),
  relationships: z.looseObject({ space: toOne }),
});
/** A V3 App. */
export type App = z.infer<typeof AppSchema>;

/** `status.value` of a deployment (`app/models/runtime/deployment_model.rb` `STATUS_VALUES`). */
export const DeploymentStatusValueSchema = z.enum(["ACTIVE", "FINALIZED"]);
/** A `status.value`. */
export type DeploymentStatusValue = z.infer<typeof DeploymentStatusValueSchema>;

/**
 * `status.reason` of a deployment (`deployment_model.rb` `STATUS_REASONS`). Closed on purpose: a
 * reason this client does not know means it cannot tell whether a continue took effect, so it
 * fails with a response error instead of guessing.
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

/** A V3 Deployment as `deployment_presenter.rb` emits it. */
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
  // The app may have had no droplet before.
  previous_droplet: z.looseObject({ guid: z.string().nullable() }).nullish(),
  new_processes: z.array(z.looseObject({ guid: z.string().min(1), type: z.string() })),
  revision: z.looseObject({ guid: z.string(), version: z.number().int() }).nullish(),
  relationships: z.looseObject({ app: toOne }),
  metadata: z
    .looseObject({
      labels: z.record(z.string(), z.string().nullable()).optional(),
      annotations: z.record(z.string(), z.string().nullable()).optional(),
    })
    .optional(),
});
/** A V3 Deployment. */
export type Deployment = z.infer<typeof DeploymentSchema>;

/**
 * One entry of `GET /v3/processes/:guid/stats` (`process_stats_presenter.rb`): one per instance
 * index; Diego-unknown indexes are reported as `DOWN`. `state` is open because Diego has more
 * states than the four CC documents.
 */
export const ProcessInstanceStatsSchema = z.looseObject({
  type: z.string(),
  index: z.number().int().nonnegative(),
  state: z.string(),
  uptime: z.number().nullish(),
  host: z.string().nullish(),
  details: z.string().nullish(),
});
/** One process instance's stats. */
export type ProcessInstanceStats = z.infer<typeof ProcessInstanceStatsSchema>;

/** The stats response: `{ resources: [...] }`, not paginated. */
export const ProcessStatsSchema = z.looseObject({ resources: z.array(ProcessInstanceStatsSchema) });

/** CC shows `actor_name` / `target_name` as stored, and they may be empty or null (a client's token has no email). */
const actorOrTarget = z.looseObject({
  guid: z.string(),
  type: z.string(),
  name: z.string().nullable(),
});

/**
 * A V3 audit event (`event_presenter.rb`). For `audit.app.deployment.continue` the target is the
 * **app** and the deployment guid is `data.deployment_guid`.
 */
export const AuditEventSchema = z.looseObject({
  guid: z.string().min(1),
  type: z.string(),
  created_at: z.string(),
  actor: actorOrTarget,
  target: actorOrTarget,
  data: z.record(z.string(), z.unknown()),
});
/** A V3 audit event. */
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/**
 * The V3 list envelope (`paginated_list_presenter.rb`). Its `href`s are never followed: the
 * client builds every URL from its configured base URL.
 */
const PaginationSchema = z.looseObject({
  total_results: z.number().int().nonnegative(),
  total_pages: z.number().int().nonnegative(),
});

/** A V3 paginated list of `resource`. */
export function paginatedSchema<T extends z.ZodType>(resource: T) {
  return z.looseObject({ pagination: PaginationSchema, resources: z.array(resource) });
}

const link = z.looseObject({ href: z.string().min(1) });

/**
 * `GET /` (`app/controllers/runtime/root_controller.rb`): the only unauthenticated document that
 * names the login and UAA URLs. Links of services that are not configured are `null`.
 */
export const RootDocumentSchema = z.looseObject({
  links: z.looseObject({
    self: link.nullish(),
    cloud_controller_v3: z
      .looseObject({ href: z.string(), meta: z.looseObject({ version: z.string() }).optional() })
      .nullish(),
    login: link.nullish(),
    uaa: link.nullish(),
  }),
});
/** The root document. */
export type RootDocument = z.infer<typeof RootDocumentSchema>;

/** The V3 error envelope `{"errors":[{detail,title,code}]}` (`lib/cloud_controller/errors/v3_error_hasher.rb`). */
export const V3ErrorSchema = z.looseObject({
  errors: z
    .array(z.looseObject({ code: z.number().int(), title: z.string(), detail: z.string() }))
    .min(1),
});

/** A UAA `/oauth/token` success response (UAA `docs/UAA-Tokens.md`). */
export const UaaTokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string(),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().optional(),
  scope: z.string().optional(),
  jti: z.string().optional(),
});
/** A UAA token response. */
export type UaaTokenResponse = z.infer<typeof UaaTokenResponseSchema>;

/** A UAA (OAuth2) error body `{"error":"unauthorized","error_description":"Bad credentials"}`. */
export const UaaErrorSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});
