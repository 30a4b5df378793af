import { z } from "zod";

/** A V3 Organization (`organization_presenter.rb`). Loose. */
export const OrganizationSchema = z.looseObject({
  guid: z.string().min(1),
  name: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  suspended: z.boolean().optional(),
});
/** A V3 Organization. */
export type Organization = z.infer<typeof OrganizationSchema>;
