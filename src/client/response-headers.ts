/** Response headers as undici gives them: a repeated header arrives as an array. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** The first value of header `name` (lower-case), or `undefined` when it is absent. */
export function firstHeader(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
