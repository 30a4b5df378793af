import { z } from "zod";

/** The V3 error envelope `{"errors":[{detail,title,code}]}` (`v3_error_hasher.rb`, reference §5). */
export const V3ErrorSchema = z.looseObject({
  errors: z
    .array(z.looseObject({ code: z.number().int(), title: z.string(), detail: z.string() }))
    .min(1),
});
/** A V3 error envelope. */
export type V3Error = z.infer<typeof V3ErrorSchema>;
