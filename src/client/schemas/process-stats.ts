import { z } from "zod";

/**
 * One entry of `GET /v3/processes/:guid/stats` (reference §3.3a): one per instance index;
 * Diego-unknown indexes are reported as `DOWN`. Loose; `state` is open because Diego has more
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
