/**
 * A parsed HTTP answer. `body` is the JSON, or the raw text when the body is not JSON; `json` is
 * the JSON, or `undefined` when the body is empty or not JSON.
 */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
  json: unknown;
}

export interface SendInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Sends a request and reads the whole answer. */
export async function send(url: string, init: SendInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const body = json === undefined && text !== "" ? text : json;
  return { status: response.status, headers: response.headers, text, body, json };
}

export interface CallOptions {
  /** Sent as `Authorization: bearer <token>`. */
  token?: string;
  /** Serialized, with `Content-Type: application/json`. */
  body?: unknown;
  /** Sent verbatim, with `Content-Type: application/json`. */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** Makes one real HTTP request against a simulator's API root. */
export function call(
  sim: { url: string },
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers["Authorization"] = `bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (options.rawBody !== undefined) body = options.rawBody;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return send(`${sim.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
}

/** The V3 list envelope, as far as the tests read it. */
export interface List<T> {
  pagination: { total_results: number };
  resources: T[];
}
