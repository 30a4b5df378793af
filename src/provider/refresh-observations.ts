import { isDeepStrictEqual } from "node:util";
import { PROVIDER_KEY } from "./promotion-inputs.js";

/**
 * What `read` saw during a refresh, kept in the provider host process until the engine's `diff`
 * for the same resource asks for it.
 *
 * Since CLI 3.120 `pulumi refresh` decides whether a resource changed by calling the provider's
 * `diff` right after `read`, with the refreshed outputs as the olds and the stored inputs as the
 * news (`RefreshStep.Apply` in pulumi/pulumi pkg/resource/deploy/step.go), and reports the
 * resource as updated only when that diff says so. That call looks exactly like the `diff` of the
 * `pulumi up` that follows, whose answer must be "nothing to do" for, say, a canceled deployment
 * whose inputs did not change. What tells them apart is that a refresh's `diff` comes in the same
 * host process right after `read` returned exactly those outputs; an `up` runs in a new host.
 */
export interface RefreshObservation {
  /** The outputs stored before the refresh. */
  before: Record<string, unknown>;
  /** The outputs `read` returned. */
  after: Record<string, unknown>;
}

/** Bounds the memory of a host whose engine never calls diff after read (legacy refresh). */
const MAX_OBSERVATIONS = 1000;

const observations = new Map<string, RefreshObservation>();

/**
 * Records what `read` of resource `id` turned `before` into. Not under
 * `PULUMI_ENABLE_LEGACY_REFRESH_DIFF=true` (the host inherits the CLI's environment): the engine
 * then calls no diff after read, and the next diff, that of `pulumi up --refresh`, must plan.
 */
export function rememberRefresh(
  id: string,
  observation: RefreshObservation,
  env: Readonly<Record<string, string | undefined>> = process.env,
): void {
  if (env["PULUMI_ENABLE_LEGACY_REFRESH_DIFF"] === "true") return;
  observations.delete(id);
  observations.set(id, observation);
  if (observations.size > MAX_OBSERVATIONS) {
    const oldest = observations.keys().next().value;
    if (oldest !== undefined) observations.delete(oldest);
  }
}

/**
 * The refresh observation a `diff` of resource `id` with these olds belongs to, if any; it is
 * used up, so a later diff of the same resource (an `up --refresh` in the same host) plans as
 * usual.
 */
export function takeRefresh(
  id: string,
  olds: Record<string, unknown>,
): RefreshObservation | undefined {
  const observation = observations.get(id);
  if (observation === undefined) return undefined;
  if (!isDeepStrictEqual(withoutProvider(observation.after), withoutProvider(olds))) {
    return undefined;
  }
  observations.delete(id);
  return observation;
}

/** Whether the refresh changed anything the promotion records (the serialized code aside). */
export function refreshChangedRecord(observation: RefreshObservation): boolean {
  return !isDeepStrictEqual(
    withoutProvider(observation.before),
    withoutProvider(observation.after),
  );
}

function withoutProvider(props: Record<string, unknown>): Record<string, unknown> {
  const { [PROVIDER_KEY]: _provider, ...rest } = props;
  return rest;
}
