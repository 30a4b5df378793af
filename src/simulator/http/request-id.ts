import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** Ruby's `presence`: the value unless it is missing or only whitespace. */
function presence(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === "" ? undefined : text;
}

/**
 * `X-VCAP-Request-ID` as CC `middleware/vcap_request_context_setter.rb` builds it: the caller's
 * `X-VCAP-Request-ID` (or, when that is blank, `X-Request-ID`), sanitized to word characters and
 * dashes and cut to 255, plus `::<uuid>` (so `!!!` gives `::<uuid>`); or a fresh uuid.
 */
export function vcapRequestId(headers: IncomingHttpHeaders): string {
  const given = presence(headers["x-vcap-request-id"]) ?? presence(headers["x-request-id"]);
  if (given === undefined) return randomUUID();
  return `${given.replace(/[^\w-]/g, "").slice(0, 255)}::${randomUUID()}`;
}
