/** A route match: the handler plus the `:name` segments of the path. */
export interface RouteMatch<H> {
  handler: H;
  params: Record<string, string>;
}

interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
}

/**
 * A route table of `(method, path pattern) → handler`, in the manner of msw's handlers: patterns
 * are literal segments and `:name` placeholders (one segment each). Anything unmatched is the
 * caller's 404 (CC: `CF-NotFound` 10000 `Unknown request`, for an unknown method too).
 */
export class Router<H> {
  private readonly routes: Route<H>[] = [];

  /** Registers `handler` for `method` and `pattern` (e.g. `/v3/deployments/:guid`). */
  add(method: string, pattern: string, handler: H): this {
    this.routes.push({ method: method.toUpperCase(), segments: splitPath(pattern), handler });
    return this;
  }

  /** The first route matching `method` and `path`, if any. */
  match(method: string, path: string): RouteMatch<H> | undefined {
    const segments = splitPath(path);
    const upper = method.toUpperCase();
    for (const route of this.routes) {
      if (route.method !== upper || route.segments.length !== segments.length) continue;
      const params = matchSegments(route.segments, segments);
      if (params !== undefined) return { handler: route.handler, params };
    }
    return undefined;
  }
}

function splitPath(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [i, expected] of pattern.entries()) {
    const segment = actual[i] ?? "";
    if (expected.startsWith(":")) {
      try {
        params[expected.slice(1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (expected !== segment) {
      return undefined;
    }
  }
  return params;
}
