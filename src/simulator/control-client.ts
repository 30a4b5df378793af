import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { FaultRule } from "./faults.js";
import type { HeldRequest } from "./http/held-requests.js";
import type { RequestLogEntry } from "./http/request-log.js";
import type { SimulatorAuditEvent, SimulatorControl, TickResult } from "./simulator-types.js";

/**
 * Sends one request to the control API without keep-alive (so `close()` never races a pooled
 * socket) and returns the parsed JSON body, failing loudly on anything but 2xx.
 */
function callControl(
  baseUrl: string,
  ca: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const url = new URL(path, baseUrl);
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = request(
      url,
      {
        method,
        agent: false,
        ...(ca === undefined ? {} : { ca }),
        headers:
          payload === undefined
            ? {}
            : { "content-type": "application/json", "content-length": payload.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) {
            reject(new Error(`${method} ${path} → ${status}: ${text}`));
            return;
          }
          try {
            resolve(text === "" ? undefined : JSON.parse(text));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** A {@link SimulatorControl} for the simulator at `baseUrl` (trusting `ca` over HTTPS). */
export function createSimulatorControl(baseUrl: string, ca?: string): SimulatorControl {
  const call = (method: string, path: string, body?: unknown) =>
    callControl(baseUrl, ca, method, path, body);
  return {
    async tick(count = 1) {
      return (await call("POST", "/_sim/tick", { count })) as TickResult;
    },
    async addFault(rule: FaultRule) {
      await call("POST", "/_sim/faults", rule);
    },
    async clearFaults() {
      await call("DELETE", "/_sim/faults");
    },
    async heldRequests() {
      return (await call("GET", "/_sim/held")) as HeldRequest[];
    },
    async releaseHeld() {
      return ((await call("POST", "/_sim/faults/release")) as { released: number }).released;
    },
    async requests() {
      return (await call("GET", "/_sim/requests")) as RequestLogEntry[];
    },
    async clearRequests() {
      await call("DELETE", "/_sim/requests");
    },
    async setInstanceState(processGuid, index, state) {
      await call("POST", `/_sim/processes/${encodeURIComponent(processGuid)}/instances/${index}`, {
        state,
      });
    },
    async expireTokens() {
      await call("POST", "/_sim/tokens/expire");
    },
    async auditEvents(filter = {}) {
      const query = new URLSearchParams();
      if (filter.types !== undefined) query.set("types", filter.types.join(","));
      if (filter.targetGuids !== undefined) query.set("target_guids", filter.targetGuids.join(","));
      const suffix = query.size > 0 ? `?${query.toString()}` : "";
      return (await call("GET", `/_sim/audit_events${suffix}`)) as SimulatorAuditEvent[];
    },
  };
}
