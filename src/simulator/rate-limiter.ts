import { CfError } from "./cf-error.js";
import type { Authentication } from "./context.js";

/** Rate limiter settings (CC `cc.rate_limiter.*`, `middleware/rate_limiter.rb`). */
export interface RateLimitOptions {
  /** Requests per window for an authenticated user or client (`general_limit`). */
  limit: number;
  /** Window length in seconds (`reset_interval_in_minutes` × 60). */
  windowSeconds: number;
  /** Requests per window for callers without a valid token, by IP. @default limit */
  unauthenticatedLimit?: number;
}

/** The limiter's verdict: headers for the response, or the error that replaces it. */
export type RateLimitVerdict =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; error: CfError };

interface Window {
  count: number;
  resetAt: number;
}

/**
 * A fixed-window counter per user (or per IP when unauthenticated), after CC
 * `middleware/base_rate_limiter.rb` and `rate_limiter.rb`: each key's window has its own phase
 * (CC uses xxhash32 of the GUID modulo the interval; FNV-1a stands in here), the count includes
 * the rejected request, and `X-RateLimit-Remaining` is the coarse estimate
 * `floor1((limit - count) / limit) × limit`, never below 0.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    readonly options: RateLimitOptions,
    private readonly now: () => number,
  ) {}

  /**
   * Counts one request. `authenticated` selects the user limit; `invalidToken` turns a rejection
   * into 401 `CF-InvalidAuthToken` (CC `security_context_setter.rb`).
   */
  check(key: string, kind: "user" | "anonymous" | "invalidToken"): RateLimitVerdict {
    const limit =
      kind === "user"
        ? this.options.limit
        : (this.options.unauthenticatedLimit ?? this.options.limit);
    const nowSeconds = this.now() / 1000;
    const windowKey = `${kind === "user" ? "u" : "ip"}:${key}`;
    let window = this.windows.get(windowKey);
    if (window === undefined || nowSeconds >= window.resetAt) {
      window = { count: 0, resetAt: this.nextReset(key, nowSeconds) };
      this.windows.set(windowKey, window);
    }
    window.count += 1;
    const reset = String(window.resetAt);
    if (window.count > limit) {
      if (kind === "invalidToken") {
        return {
          allowed: false,
          error: new CfError(401, 1000, "CF-InvalidAuthToken", "Invalid Auth Token"),
        };
      }
      const error =
        kind === "user"
          ? new CfError(429, 10013, "CF-RateLimitExceeded", "Rate Limit Exceeded")
          : new CfError(
              429,
              10014,
              "CF-IPBasedRateLimitExceeded",
              "Rate Limit Exceeded: Unauthenticated requests from this IP address have exceeded the limit. Please log in.",
            );
      return {
        allowed: false,
        error: new CfError(error.status, error.code, error.title, error.detail, {
          "X-RateLimit-Limit": String(limit),
          "X-RateLimit-Reset": reset,
          "X-RateLimit-Remaining": "0",
          "Retry-After": String(Math.max(1, Math.ceil(window.resetAt - nowSeconds))),
          // Sic: CC sends the JSON body as text/plain (`base_rate_limiter.rb#too_many_requests!`).
          "Content-Type": "text/plain; charset=utf-8",
        }),
      };
    }
    const tenths = Math.max(0, Math.floor(((limit - window.count) / limit) * 10));
    return {
      allowed: true,
      headers: {
        "X-RateLimit-Limit": String(limit),
        "X-RateLimit-Reset": reset,
        "X-RateLimit-Remaining": String(Math.floor((tenths * limit) / 10)),
      },
    };
  }

  private nextReset(key: string, nowSeconds: number): number {
    const interval = this.options.windowSeconds;
    const offset = fnv1a(key) % interval;
    const now = Math.floor(nowSeconds);
    return (Math.floor((now - offset) / interval) + 1) * interval + offset;
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Paths CC's rate limiter never counts (`base_rate_limiter.rb`), compared with the full target. */
const EXEMPT_TARGETS = new Set(["/", "/v3", "/v2/info", "/healthz"]);

/** One API request as the limiter's exemption policy sees it. */
export interface LimitedRequest {
  /** The request target with its query, as received. */
  target: string;
  path: string;
  /** The caller's IP address, the key for callers without a valid token. */
  address: string;
  authentication: Authentication;
}

/**
 * Applies CC's exemptions, then counts the request: exempt paths, `/internal`, Basic-auth callers
 * and admins (also read-only) pass uncounted; a user counts against its GUID; anyone else
 * against its IP. Returns the rate-limit headers, or throws the error that replaces the answer.
 */
export function limitRequest(
  limiter: RateLimiter,
  request: LimitedRequest,
): Record<string, string> {
  const { authentication } = request;
  if (EXEMPT_TARGETS.has(request.target) || request.path.startsWith("/internal")) return {};
  if (authentication.kind === "basic") return {};
  let verdict: RateLimitVerdict;
  if (authentication.kind === "valid") {
    const scopes = authentication.principal.scopes;
    if (scopes.has("cloud_controller.admin") || scopes.has("cloud_controller.admin_read_only")) {
      return {};
    }
    verdict = limiter.check(authentication.principal.actor.guid, "user");
  } else {
    verdict = limiter.check(
      request.address,
      authentication.kind === "invalid" ? "invalidToken" : "anonymous",
    );
  }
  if (!verdict.allowed) throw verdict.error;
  return verdict.headers;
}
