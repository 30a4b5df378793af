import { z } from "zod";

/** A V3 App (`app_presenter.rb`). Loose. */
export const AppSchema = z.looseObject({
  guid: z.string().min(1),
  name: z.string(),
  state: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  relationships: z.looseObject({
    space: z.looseObject({ data: z.looseObject({ guid: z.string().min(1) }) }),
  }),
});
/** A V3 App. */
export type App = z.infer<typeof AppSchema>;
