import { z } from "zod";

const link = z.looseObject({ href: z.string().min(1) });

/**
 * `GET /` (`root_controller.rb`, reference §9.1): the only unauthenticated document that names
 * the login and UAA URLs. Loose; links of services that are not configured are `null`.
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
