import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/**
 * `X-VCAP-Request-ID` as CC `middleware/vcap_request_context_setter.rb` builds it: the caller's
 * `X-VCAP-Request-ID` (or `X-Request-ID`), sanitized to word characters and dashes and cut to 255,
 * plus `::<uuid>`; or a fresh uuid.
 */
export function vcapRequestId(headers: IncomingHttpHeaders): string {
  // Ruby's `presence`: an empty X-VCAP-Request-ID falls through to X-Request-ID.
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const raw = first(headers["x-vcap-request-id"]) || first(headers["x-request-id"]);
  const sanitized = (raw ?? "").replace(/[^\w-]/g, "").slice(0, 255);
  return sanitized === "" ? randomUUID() : `${sanitized}::${randomUUID()}`;
}
