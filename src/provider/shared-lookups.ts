import type { App, AuditEvent, AuditEventFilter, Deployment } from "../client/index.js";
import { gatheredCalls } from "./gathered-calls.js";
import type { PromotionClient } from "./promotion-client.js";

// Lookups the promotions of one provider host make at about the same moment (a fleet's Creates
// and finishing reads), gathered into one request each; see `gathered-calls.ts`.

/**
 * `findAppByName` for apps of one space asked about at about the same moment in one request,
 * `GET /v3/apps?names=…&space_guids=…` (names matched exactly, as `findAppByName` matches them):
 * lookups that run side by side (as `runLocal` runs its resources' checks) name their apps together;
 * the engine's own Checks come one at a time and go alone. An app the list does not show is not
 * there.
 */
export function sharedAppLookups(client: PromotionClient): PromotionClient["findAppByName"] {
  const lookup = gatheredCalls<App | undefined>({
    // Names can be long (up to 255 characters): fewer per request keep the URL short.
    chunkSize: 20,
    alone: (key, options) => {
      const [spaceGuid, name] = JSON.parse(key) as [string, string];
      return client.findAppByName(spaceGuid, name, options);
    },
    async together(keys, options) {
      const bySpace = new Map<string, string[]>();
      for (const key of keys) {
        const [spaceGuid, name] = JSON.parse(key) as [string, string];
        bySpace.set(spaceGuid, [...(bySpace.get(spaceGuid) ?? []), name]);
      }
      const answers = new Map<string, App | undefined>();
      for (const [spaceGuid, names] of bySpace) {
        const listed = await client.listApps({ names, spaceGuids: [spaceGuid] }, options);
        for (const name of names) {
          answers.set(
            JSON.stringify([spaceGuid, name]),
            listed.find((app) => app.name === name),
          );
        }
      }
      return answers;
    },
  });
  return (spaceGuid, name, options) => lookup(JSON.stringify([spaceGuid, name]), options ?? {});
}

/**
 * `getActiveDeployment` for apps asked about at about the same moment in one request,
 * `GET /v3/deployments?app_guids=…&status_values=ACTIVE&order_by=-created_at`: each app's
 * newest ACTIVE deployment is the one `cf continue-deployment` would find (cf CLI
 * actor/v7action/deployment.go asks per app with `per_page=1`). A fleet's Checks and Creates
 * look up their apps together; a lone lookup is the cf CLI's own request.
 */
export function sharedActiveLookups(
  client: PromotionClient,
): PromotionClient["getActiveDeployment"] {
  const lookup = gatheredCalls<Deployment | undefined>({
    alone: (appGuid, options) => client.getActiveDeployment(appGuid, options),
    async together(appGuids, options) {
      const listed = await client.listDeployments(
        { appGuids, statusValues: ["ACTIVE"], orderBy: "-created_at" },
        options,
      );
      const newest = new Map<string, Deployment | undefined>(appGuids.map((g) => [g, undefined]));
      for (const deployment of listed) {
        const app = deployment.relationships.app.data.guid;
        if (newest.has(app) && newest.get(app) === undefined) newest.set(app, deployment);
      }
      return newest;
    },
  });
  return (appGuid, options) => lookup(appGuid, options ?? {});
}

/**
 * `listAuditEvents` of one app (the audit trail each promotion reads when it is done) for apps
 * asked about at about the same moment in one request per event type list, split by target; any
 * other filter goes out as it is.
 */
export function sharedAuditEventReads(client: PromotionClient): PromotionClient["listAuditEvents"] {
  const trail = gatheredCalls<AuditEvent[]>({
    alone: (key, options) => client.listAuditEvents(filterOf(key), options),
    async together(keys, options) {
      const byTypes = new Map<string, string[]>();
      for (const key of keys) {
        const types = JSON.stringify(filterOf(key).types ?? []);
        byTypes.set(types, [...(byTypes.get(types) ?? []), key]);
      }
      const answers = new Map<string, AuditEvent[]>();
      for (const [types, group] of byTypes) {
        const targetGuids = group.map((key) => filterOf(key).targetGuids?.[0] ?? "");
        const events = await client.listAuditEvents(
          { types: JSON.parse(types) as string[], targetGuids },
          options,
        );
        for (const key of group) {
          const target = filterOf(key).targetGuids?.[0];
          answers.set(
            key,
            events.filter((event) => event.target.guid === target),
          );
        }
      }
      return answers;
    },
  });
  return (filter = {}, options) =>
    filter.targetGuids?.length === 1
      ? trail(
          JSON.stringify({ types: filter.types ?? [], targetGuids: filter.targetGuids }),
          options ?? {},
        )
      : client.listAuditEvents(filter, options);
}

function filterOf(key: string): AuditEventFilter {
  return JSON.parse(key) as AuditEventFilter;
}
