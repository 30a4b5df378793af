/**
 * The fleet: 200 promotions in one stack through one provider host, against a simulator whose rate
 * limiter allows 2000 requests an hour per user (the Cloud Controller's limit when it is on), its
 * updater ticking every second. Every app has a canary paused at step 1 of 3; half go to step 2
 * (one continue), half to step 3 (two). The figures come from the simulator's request log (which
 * numbers each request's TCP connection) and from /proc for the host's memory.
 */
import { createCloudFoundryClient } from "cf-deployment-promotion/client";
import {
  type RequestLogEntry,
  type SimulatorHandle,
  startSimulator,
} from "cf-deployment-promotion/simulator";
import { request } from "undici";
import { fleetSeed, passwordToken } from "./client-costs.js";
import {
  type FleetMember,
  type FleetUp,
  pulumiCliAvailable,
  upWithCli,
  upWithRunLocal,
} from "./fleet-drivers.js";
import { BENCH_PASSWORD } from "./paused-canaries.js";

export const FLEET = { promotions: 200, tickMs: 1000, ratePerHour: 2000 };
/**
 * The Cloud Controller's own updater period as deployed:
 * `deployment_updater.update_frequency_in_seconds`, 5 by default (cloudfoundry/capi-release
 * jobs/cc_deployment_updater/spec). The fleet is measured at it too: at 1 s ticks the CLI's own
 * start and its one-by-one Checks outweigh the ticks.
 */
export const CC_DEFAULT_TICK_MS = 5000;
/**
 * The bound of one `up`: the whole fleet part (three ups and the floor) stays under seven minutes;
 * the engine's default parallelism needs 80-140 s for the fleet at 1 s ticks.
 */
const UP_TIMEOUT_MS = 180_000;
/** Far past both ups and every wait a call accepts (the client's Retry-After cap is 60 s). */
const MIN_RESET_S = 900;

export interface FleetFigures {
  promotions: number;
  deployed: number;
  wallMs: number;
  idealMs: number;
  peakRssMb: number;
  maxSockets: number;
  requests: number;
  logins: number;
  rateLimited: number;
}

export interface FleetRun extends FleetFigures {
  driver: FleetUp["driver"];
  /** `--parallel` given, or `"engine default"`. */
  parallel: number | "engine default";
  tickMs: number;
  /** From the first to the last `/v3` request of the `up`: the part the Cloud Controller sees. */
  promotingMs: number;
  /** The `up` was still running at the bound and was ended (its figures are up to then). */
  timedOut: boolean;
  /**
   * A `/v3` request was answered after a 429: the user's rate-limit window (its phase is per user,
   * as CC's) reset during the run, within the client's Retry-After cap, with a new budget.
   */
  budgetRenewed: boolean;
  /** Seconds from the start until the user's rate-limit window resets (see `fleetSimulator`). */
  budgetResetS: number;
  /** Updater ticks from a continue to the next paused step, measured on a manual-tick simulator. */
  ticksPerStep: number;
  /** The end of the `up`'s output when it failed. */
  failure?: string;
}

const members: FleetMember[] = Array.from({ length: FLEET.promotions }, (_, i) => ({
  app: `svc-${String(i).padStart(3, "0")}`,
  toStep: i % 2 === 0 ? 2 : 3,
}));

/** How many updater ticks one step of the seed's canary takes after a continue. */
export async function ticksPerStep(): Promise<number> {
  const sim = await startSimulator({ tickMs: 0, seed: fleetSeed(1) });
  try {
    const guid = sim.deployments["svc-000"];
    if (guid === undefined) throw new Error("the fleet seed has no svc-000 deployment");
    const client = createCloudFoundryClient({
      apiUrl: sim.url,
      credentials: { kind: "password", username: "bench", password: BENCH_PASSWORD },
    });
    await client.continueDeployment(guid);
    for (let ticks = 1; ticks <= 50; ticks += 1) {
      await sim.control.tick();
      const deployment = await client.getDeployment(guid);
      if (deployment.status.reason === "PAUSED" && deployment.status.canary?.steps.current === 2) {
        return ticks;
      }
    }
    throw new Error("the canary did not pause at step 2 within 50 ticks");
  } finally {
    await sim.close();
  }
}

function figuresOf(log: RequestLogEntry[]) {
  const v3 = log.filter((entry) => entry.path.startsWith("/v3"));
  const times = v3.map((entry) => Date.parse(entry.time));
  const first429 = v3.findIndex((entry) => entry.status === 429);
  return {
    budgetRenewed: first429 >= 0 && v3.slice(first429).some((entry) => entry.status < 400),
    requests: v3.length,
    logins: log.filter((e) => e.method === "POST" && e.path.endsWith("/oauth/token")).length,
    rateLimited: log.filter((entry) => entry.status === 429).length,
    maxSockets: new Set(log.map((entry) => entry.connection)).size,
    promotingMs: times.length === 0 ? 0 : Math.max(...times) - Math.min(...times),
  };
}

/** Promotions whose recorded outputs show their deployment paused at (or past) their `toStep`. */
function deployedCount(outputs: FleetUp["outputs"]): number {
  return outputs.filter((out) => {
    const step = (out["canaryStep"] as { current?: number } | undefined)?.current ?? 0;
    const wanted =
      members.find((m) => m.app === out["appName"])?.toStep ?? Number.POSITIVE_INFINITY;
    return out["statusValue"] === "FINALIZED" || step >= wanted;
  }).length;
}

/**
 * Seconds until the bench user's rate-limit window resets (`X-RateLimit-Reset` of one `/v3` read,
 * which spends one request of the budget), then forgets that read in the request log.
 */
async function secondsToReset(sim: SimulatorHandle): Promise<number> {
  const token = await passwordToken(sim.uaaUrl, "bench", BENCH_PASSWORD);
  const response = await request(`${sim.url}/v3/spaces?per_page=1`, {
    headers: { authorization: `bearer ${token}` },
  });
  await response.body.text();
  await sim.control.clearRequests();
  return Number(response.headers["x-ratelimit-reset"]) - Date.now() / 1000;
}

/**
 * The fleet's simulator, started again (up to 20 times) until the user's window resets no sooner
 * than `MIN_RESET_S` from now: a reset during the run would hand out a new budget, and every run
 * measures the fleet against one. The window's phase comes from the user's GUID (as CC's,
 * `middleware/base_rate_limiter.rb`), and the simulator's GUIDs are the same in every start, so
 * each new start seeds one more other user first, which gives the bench user another GUID.
 */
async function fleetSimulator(tickMs: number): Promise<{ sim: SimulatorHandle; resetS: number }> {
  for (let attempt = 1; ; attempt += 1) {
    const sim = await startSimulator({
      tickMs,
      rateLimit: { limit: FLEET.ratePerHour, windowSeconds: 3600 },
      seed: fleetSeed(FLEET.promotions, attempt - 1),
    });
    const resetS = await secondsToReset(sim);
    if (resetS >= MIN_RESET_S || attempt === 20) return { sim, resetS: Math.round(resetS) };
    await sim.close();
  }
}

/**
 * What the CLI alone needs for an `up` of as many dynamic resources with the same inputs, at
 * `parallel`: a provider that does nothing and no Cloud Controller (the program, the engine's
 * steps one resource after another, the state written after each). `undefined` without the CLI.
 */
export async function measureCliFloor(parallel: number): Promise<number | undefined> {
  if (!pulumiCliAvailable() || process.argv.includes("--fleet-runlocal")) return undefined;
  const nowhere = { apiUrl: "http://127.0.0.1:9", user: "none", password: "none" };
  const up = await upWithCli(
    { ...nowhere, org: "fleet", space: "prod", members },
    parallel,
    UP_TIMEOUT_MS,
    "floor",
  );
  return up.ok ? up.wallMs : undefined;
}

/** One `up` of the whole fleet at `parallel` (`undefined`: the engine's default), the updater ticking every `tickMs`. */
export async function measureFleet(
  parallel: number | undefined,
  steps: number,
  tickMs: number = FLEET.tickMs,
): Promise<FleetRun> {
  const { sim, resetS } = await fleetSimulator(tickMs);
  try {
    const target = {
      apiUrl: sim.url,
      org: "fleet",
      space: "prod",
      user: "bench",
      password: BENCH_PASSWORD,
      members,
    };
    // `--fleet-runlocal` measures the fallback even where the CLI is installed.
    const up =
      pulumiCliAvailable() && !process.argv.includes("--fleet-runlocal")
        ? await upWithCli(target, parallel, UP_TIMEOUT_MS)
        : await upWithRunLocal(target, parallel, UP_TIMEOUT_MS);
    const { promotingMs, ...counts } = figuresOf(await sim.control.requests());
    const continues = Math.max(...members.map((m) => m.toStep - 1));
    return {
      promotions: FLEET.promotions,
      deployed: deployedCount(up.outputs),
      wallMs: up.wallMs,
      idealMs: continues * steps * tickMs,
      peakRssMb: up.peakRssMb,
      ...counts,
      driver: up.driver,
      parallel: parallel ?? "engine default",
      tickMs,
      promotingMs,
      timedOut: up.wallMs >= UP_TIMEOUT_MS,
      budgetResetS: resetS,
      ticksPerStep: steps,
      ...(up.failure === undefined ? {} : { failure: up.failure }),
    };
  } finally {
    await sim.close();
  }
}

/** The targets of one fleet run, each on its own. */
export function fleetTargets(run: FleetRun) {
  const label = `fleet (${run.driver}, --parallel ${run.parallel}, ${run.tickMs / 1000} s ticks)`;
  return [
    {
      name: `${label}: deployed`,
      measured: `${run.deployed} / ${run.promotions}`,
      target: "all",
      ok: run.deployed === run.promotions,
    },
    {
      name: `${label}: 429 answers`,
      measured: String(run.rateLimited),
      target: "0",
      ok: run.rateLimited === 0,
    },
    {
      name: `${label}: wall / ideal`,
      measured: `${run.wallMs} / ${run.idealMs} ms`,
      target: "≤ 1.2×",
      ok: run.wallMs <= 1.2 * run.idealMs,
    },
    {
      name: `${label}: host peak RSS`,
      measured: `${run.peakRssMb} MB`,
      target: "< 200 MB",
      ok: run.peakRssMb < 200,
    },
    {
      name: `${label}: sockets`,
      measured: String(run.maxSockets),
      target: "≤ 32",
      ok: run.maxSockets <= 32,
    },
    { name: `${label}: logins`, measured: String(run.logins), target: "≤ 2", ok: run.logins <= 2 },
  ];
}
