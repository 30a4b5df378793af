import type { ServerResponse } from "node:http";
import { CfError, cfErrors } from "../cf-error.js";
import type { SimResponse } from "../context.js";
import type { FaultRule } from "../faults.js";

/** Writes a response, unless the connection is gone or an answer was already sent. */
export function send(res: ServerResponse, response: SimResponse): void {
  if (res.destroyed || res.headersSent) return;
  let payload: Buffer = Buffer.alloc(0);
  const headers: Record<string, string> = {};
  if (response.status !== 204 && response.text !== undefined) {
    payload = Buffer.from(response.text);
    headers["Content-Type"] = "text/plain; charset=utf-8";
  } else if (response.status !== 204 && response.body !== undefined) {
    payload = Buffer.from(JSON.stringify(response.body));
    headers["Content-Type"] = "application/json; charset=utf-8";
  }
  Object.assign(headers, response.headers);
  headers["Content-Length"] = String(payload.length);
  res.writeHead(response.status, headers);
  res.end(payload);
}

export function logUnexpected(error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`cf-capi-sim: unexpected error: ${text}\n`);
}

/** A CF error envelope for `error`; anything but a {@link CfError} is a logged 500. */
export function errorResponse(error: unknown): SimResponse {
  if (error instanceof CfError) {
    return { status: error.status, body: error.toBody(), headers: { ...error.headers } };
  }
  logUnexpected(error);
  const unknown = cfErrors.unknownError();
  return { status: unknown.status, body: unknown.toBody() };
}

/** The answer a `status` fault sends instead of handling the request. */
export function faultResponse(rule: FaultRule): SimResponse {
  const response: SimResponse = { status: rule.status ?? 500, headers: { ...rule.headers } };
  if (typeof rule.body === "string") response.text = rule.body;
  else if (rule.body !== undefined) response.body = rule.body;
  return response;
}
