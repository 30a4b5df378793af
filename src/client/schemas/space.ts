import { z } from "zod";

/** A V3 Space (`space_presenter.rb`). Loose. */
export const SpaceSchema = z.looseObject({
  guid: z.string().min(1),
  name: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  relationships: z.looseObject({
    organization: z.looseObject({ data: z.looseObject({ guid: z.string().min(1) }) }),
  }),
});
/** A V3 Space. */
export type Space = z.infer<typeof SpaceSchema>;
