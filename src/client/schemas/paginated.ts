import { z } from "zod";

/**
 * The V3 list envelope (`paginated_list_presenter.rb`, reference §4). The `href`s are never
 * followed: the client builds every URL from its configured base URL.
 */
export const PaginationSchema = z.looseObject({
  total_results: z.number().int().nonnegative(),
  total_pages: z.number().int().nonnegative(),
});

/** A V3 paginated list of `resource`. */
export function paginatedSchema<T extends z.ZodType>(resource: T) {
  return z.looseObject({ pagination: PaginationSchema, resources: z.array(resource) });
}
