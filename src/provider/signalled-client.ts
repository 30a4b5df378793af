import type { CallOptions } from "../client/index.js";
import type { PromotionClient } from "./promotion-client.js";

type Method = Exclude<keyof PromotionClient, "apiUrl" | "credentialSourceDescription" | "close">;

/** Where each client method takes its call options. */
const OPTIONS_AT: Readonly<Record<Method, number>> = {
  findOrganizationByName: 1,
  findSpaceByName: 2,
  findAppByName: 2,
  getApp: 1,
  listApps: 1,
  getDeployment: 1,
  listDeployments: 1,
  getActiveDeployment: 1,
  continueDeployment: 1,
  cancelDeployment: 1,
  getProcessStats: 1,
  listAuditEvents: 1,
  actorGuid: 0,
};

const UNDERLYING = Symbol("the client a signalled client calls");

/** The client under any {@link signalledClient} wrappers: what stays the same across calls. */
export function underlyingClient(client: PromotionClient): PromotionClient {
  return (
    ((client as unknown as Record<PropertyKey, unknown>)[UNDERLYING] as PromotionClient) ?? client
  );
}

/**
 * `client` with `signal` in every call's options (joined with a signal the caller passed), so
 * that no call of a provider operation can wait or send after the signal aborted, wherever in
 * the operation it is made. A call started after the abort rejects before it reaches the client.
 */
export function signalledClient(client: PromotionClient, signal: AbortSignal): PromotionClient {
  const wrapped: Record<PropertyKey, unknown> = {
    apiUrl: client.apiUrl,
    credentialSourceDescription: client.credentialSourceDescription,
    close: () => client.close(),
    [UNDERLYING]: underlyingClient(client),
  };
  for (const [method, at] of Object.entries(OPTIONS_AT)) {
    const call = client[method as Method] as (...args: unknown[]) => Promise<unknown>;
    wrapped[method] = async (...args: unknown[]) => {
      signal.throwIfAborted();
      const given = args[at] as CallOptions | undefined;
      const signals = given?.signal === undefined ? [signal] : [signal, given.signal];
      const withSignal = [...args];
      withSignal[at] = { ...given, signal: AbortSignal.any(signals) };
      return call.apply(client, withSignal);
    };
  }
  return wrapped as unknown as PromotionClient;
}
