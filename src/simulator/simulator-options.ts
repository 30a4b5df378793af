import type { RateLimitOptions } from "./rate-limiter.js";
import { parseSeedDescription, type SeedDescription } from "./seed-schema.js";
import { defaultSeed, emptySeed } from "./seeds.js";

/** Options of {@link startSimulator}; every one is optional. */
export interface SimulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /**
   * Deployment updater period in ms; 0 runs the updater only on demand (`POST /_sim/tick`).
   * CC's BOSH default is 5 s (`deployment_updater.update_frequency_in_seconds`).
   * @default 5000
   */
  tickMs?: number;
  /** Access-token lifetime in seconds (cf-deployment's `cf` client: 1200). @default 1200 */
  tokenTtlSeconds?: number;
  /** Turns the rate limiter on (CC `middleware/rate_limiter.rb`). Off when absent. */
  rateLimit?: RateLimitOptions;
  /** `"default"`, `"empty"` (users only) or a seed description. @default "default" */
  seed?: "default" | "empty" | SeedDescription;
  /** Print one line per request to stderr. @default false */
  logRequests?: boolean;
  /**
   * Serve HTTPS (API and UAA) with a self-signed certificate made at start for `localhost`,
   * `127.0.0.1` and `::1`; the handle's `caCertificate` is what clients must trust.
   * @default false
   */
  tls?: boolean;
  /** The clock, epoch milliseconds; inject one to control timestamps and token expiry. @default Date.now */
  now?: () => number;
}

/** Options with defaults filled in. */
export interface NormalizedSimulatorOptions {
  port: number;
  host: string;
  tickMs: number;
  tokenTtlSeconds: number;
  rateLimit: RateLimitOptions | undefined;
  seed: SeedDescription;
  logRequests: boolean;
  tls: boolean;
  now: () => number;
}

/**
 * Fills defaults and validates eagerly, with messages that say what to change. Every problem is
 * reported at once, in one `TypeError` (`startSimulator: a; b`), as the seed validation does.
 */
export function normalizeSimulatorOptions(
  options: SimulatorOptions = {},
): NormalizedSimulatorOptions {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  const port = options.port ?? 0;
  check(Number.isInteger(port) && port >= 0 && port <= 65535, `port must be 0..65535, got ${port}`);
  const tickMs = options.tickMs ?? 5000;
  check(Number.isFinite(tickMs) && tickMs >= 0, `tickMs must be ≥ 0 (0 = manual), got ${tickMs}`);
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 1200;
  check(
    Number.isInteger(tokenTtlSeconds) && tokenTtlSeconds > 0,
    `tokenTtlSeconds must be a positive integer, got ${tokenTtlSeconds}`,
  );
  const { rateLimit } = options;
  if (rateLimit !== undefined) {
    check(
      Number.isInteger(rateLimit.limit) && rateLimit.limit > 0,
      `rateLimit.limit must be a positive integer, got ${rateLimit.limit}`,
    );
    check(
      Number.isInteger(rateLimit.windowSeconds) && rateLimit.windowSeconds > 0,
      `rateLimit.windowSeconds must be a positive integer, got ${rateLimit.windowSeconds}`,
    );
  }
  let seed: SeedDescription;
  try {
    seed = seedOf(options.seed);
  } catch (error) {
    // A bad seed alone keeps its own message; with other problems it joins the list.
    if (problems.length === 0) throw error;
    problems.push((error as Error).message);
    seed = {};
  }
  if (problems.length > 0) throw new TypeError(`startSimulator: ${problems.join("; ")}`);
  return {
    port,
    host: options.host ?? "127.0.0.1",
    tickMs,
    tokenTtlSeconds,
    rateLimit,
    seed,
    logRequests: options.logRequests ?? false,
    tls: options.tls ?? false,
    now: options.now ?? Date.now,
  };
}

function seedOf(seed: SimulatorOptions["seed"]): SeedDescription {
  if (seed === undefined || seed === "default") return defaultSeed();
  if (seed === "empty") return emptySeed();
  return parseSeedDescription(seed);
}
