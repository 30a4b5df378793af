import type { InstanceStat } from "../canary-health.js";

/**
 * What a webhook receives as its body and a command on its stdin: which deployment is about to
 * be continued from which step to which, and what its canary instances are doing. It holds names,
 * GUIDs and states only, never anything from the connection (no token, no credential).
 */
export interface GateDocument {
  kind: "cf-deployment-promotion.gate";
  deployment: { guid: string; droplet: string | null; previousDroplet: string | null };
  app: { guid: string; name: string };
  space: { guid: string | null };
  step: { from: number; to: number | "deployed"; total: number | null };
  process: {
    guid: string | null;
    instances: { index: number; state: string; uptime: number | null }[];
  };
}

/** The document for one continue (pure). */
export function gateDocumentOf(facts: {
  deployment: { guid: string; droplet: string | null; previousDroplet: string | null };
  app: { guid: string; name: string };
  spaceGuid: string | null;
  step: GateDocument["step"];
  processGuid: string | null;
  instances: readonly InstanceStat[];
}): GateDocument {
  return {
    kind: "cf-deployment-promotion.gate",
    deployment: { ...facts.deployment },
    app: { ...facts.app },
    space: { guid: facts.spaceGuid },
    step: { ...facts.step },
    process: {
      guid: facts.processGuid,
      instances: [...facts.instances]
        .sort((a, b) => a.index - b.index)
        .map((s) => ({ index: s.index, state: s.state, uptime: s.uptime ?? null })),
    },
  };
}
