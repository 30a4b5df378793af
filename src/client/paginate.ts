import type { z } from "zod";
import { CloudFoundryResponseError } from "./errors.js";
import type { ListQueryBuilder } from "./list-query.js";
import { paginatedSchema } from "./schemas.js";

/** Page size used when following pages, unless the query says otherwise. */
const DEFAULT_PER_PAGE = 100;
/** A server that keeps reporting more pages than this is not trusted further. */
const MAX_PAGES = 1_000;

/** One GET of a JSON body, with the caller's budget already bound. */
export type GetJson = <S extends z.ZodType>(options: {
  path: string;
  query?: URLSearchParams | undefined;
  schema: S;
  expected: string;
}) => Promise<z.infer<S>>;

/** A V3 list endpoint and the resources it lists. */
export interface ListRequest<T> {
  path: string;
  query: ListQueryBuilder;
  /** The schema of one resource. */
  schema: z.ZodType<T>;
  /** What the list is, for errors, e.g. `a Deployment list`. */
  expected: string;
}

/**
 * GETs every page of a list. Page numbers are computed here; `pagination.next` is never
 * followed, since every URL is built from the configured base URL.
 */
export async function listAll<T>(get: GetJson, list: ListRequest<T>): Promise<T[]> {
  const { path, query } = list;
  const all: T[] = [];
  const pageSchema = paginatedSchema(list.schema);
  if (!query.params.has("per_page")) query.set("per_page", DEFAULT_PER_PAGE);
  for (let page = 1; ; page++) {
    query.set("page", page);
    const body = await get({
      path,
      query: new URLSearchParams(query.params),
      schema: pageSchema,
      expected: list.expected,
    });
    all.push(...body.resources);
    if (page >= body.pagination.total_pages || body.resources.length === 0) return all;
    if (page >= MAX_PAGES) {
      throw new CloudFoundryResponseError(`GET ${path} reports more than ${MAX_PAGES} pages`, {
        method: "GET",
        path,
        fieldPath: "pagination.total_pages",
        hint: "narrow the filter",
      });
    }
  }
}

/** The resource named exactly `name` (CC's `names` filter), or `undefined`. */
export async function firstByName<T extends { name: string }>(
  get: GetJson,
  list: ListRequest<T> & { name: string },
): Promise<T | undefined> {
  const items = await listAll(get, { ...list, query: list.query.list("names", [list.name]) });
  return items.find((item) => item.name === list.name);
}
