import { z } from "zod";
import { jsonBody } from "../authenticate.js";
import { cfErrors } from "../cf-error.js";
import type { Handler } from "../context.js";
import { type FaultRule, faultRuleSchema } from "../faults.js";
import { presentAuditEvent } from "../presenters.js";
import type { TickResult } from "../simulator-types.js";

/**
 * The `/_sim/` control API for tests. These routes are loopback-only, never logged, never
 * rate-limited and never faulted (the server enforces that before dispatching here).
 */

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw cfErrors.unprocessableEntity(
      result.error.issues
        .map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message))
        .join(", "),
    );
  }
  return result.data;
}

const tickSchema = z.strictObject({ count: z.number().int().min(1).max(100_000).optional() });

/**
 * `POST /_sim/tick` (`{"count": n}` optional): runs updater ticks now and answers what they did,
 * the ticks run and each deployment whose status moved, as `value/reason` before and after.
 */
export const postTick: Handler = (request, context) => {
  const { count = 1 } = parse(tickSchema, jsonBody(request));
  const { deployments, apps } = context.store;
  const statusOf = (guid: string) => {
    const d = deployments.get(guid);
    return d === undefined ? "" : `${d.statusValue}/${d.statusReason}`;
  };
  const before = new Map([...deployments.keys()].map((guid) => [guid, statusOf(guid)]));
  for (let i = 0; i < count; i += 1) context.tick();
  const moved: TickResult["deployments"] = [];
  for (const [guid, from] of before) {
    const to = statusOf(guid);
    const app = apps.get(deployments.get(guid)?.appGuid ?? "")?.name ?? "";
    if (to !== from) moved.push({ guid, app, from, to });
  }
  const result: TickResult = { ticks: count, deployments: moved };
  return { status: 200, body: result };
};

/** `POST /_sim/faults`: registers a fault rule. */
export const postFault: Handler = (request, context) => {
  const rule = parse(faultRuleSchema, jsonBody(request));
  const clean = Object.fromEntries(
    Object.entries(rule).filter(([, v]) => v !== undefined),
  ) as unknown as FaultRule;
  context.faults.add(clean);
  return { status: 201, body: clean };
};

/** `DELETE /_sim/faults`. */
export const deleteFaults: Handler = (_request, context) => {
  context.faults.clear();
  return { status: 204 };
};

/** `GET /_sim/held`: the requests a `holdMs` fault is holding, oldest first. */
export const getHeld: Handler = (_request, context) => ({
  status: 200,
  body: context.held.list(),
});

/** `POST /_sim/faults/release`: handles every held request now; answers once they are handled. */
export const postRelease: Handler = async (_request, context) => ({
  status: 200,
  body: { released: await context.held.release() },
});

/** `GET /_sim/requests`: the request log, oldest first. */
export const getRequests: Handler = (_request, context) => ({
  status: 200,
  body: context.requestLog.list(),
});

/** `DELETE /_sim/requests`. */
export const deleteRequests: Handler = (_request, context) => {
  context.requestLog.clear();
  return { status: 204 };
};

const instanceSchema = z.strictObject({ state: z.enum(["RUNNING", "CRASHED", "DOWN"]) });

/** `POST /_sim/processes/:guid/instances/:index` with `{"state": "RUNNING"|"CRASHED"|"DOWN"}`. */
export const postInstanceState: Handler = (request, context) => {
  const { guid = "", index: indexText = "" } = request.params;
  const process = context.store.processes.get(guid);
  if (process === undefined) throw cfErrors.resourceNotFound("Process not found");
  const index = Number(indexText);
  const instance = Number.isInteger(index) ? process.instances[index] : undefined;
  if (instance === undefined) throw cfErrors.resourceNotFound("Instance not found");
  const { state } = parse(instanceSchema, jsonBody(request));
  instance.state = state;
  instance.since = context.store.now();
  return { status: 200, body: { index, state } };
};

/** `POST /_sim/tokens/expire`: every access token issued so far is expired from now on. */
export const postExpireTokens: Handler = (_request, context) => {
  context.tokens.expireAll();
  return { status: 204 };
};

/** `GET /_sim/audit_events[?types=…&target_guids=…]`: every audit event, unfiltered by role. */
export const getAuditEvents: Handler = (request, context) => {
  const types = request.query.get("types")?.split(",");
  const targets = request.query.get("target_guids")?.split(",");
  const events = [...context.store.auditEvents.values()].filter(
    (e) =>
      (types === undefined || types.includes(e.type)) &&
      (targets === undefined || targets.includes(e.target.guid)),
  );
  return { status: 200, body: events.map((e) => presentAuditEvent(e, context.url)) };
};

/** `GET /_sim/info`: the same document the CLI prints at start. */
export const getSimInfo: Handler = (_request, context) => ({
  status: 200,
  body: context.info(),
});
