import { expect } from "vitest";
import type { Answer } from "./http.js";

/** The V3 error envelope for one error. */
export function cfError(code: number, title: string, detail: string) {
  return { errors: [{ detail, title, code }] };
}

/** A simulator fault answering `method path` as CC's rate limiter does, with `Retry-After`. */
export function rateLimitedFault(method: "GET" | "POST", path: string, retryAfterSeconds: number) {
  return {
    method,
    path,
    status: 429,
    headers: { "Retry-After": String(retryAfterSeconds) },
    body: cfError(10013, "CF-RateLimitExceeded", "Rate Limit Exceeded"),
  };
}

/** One expected V3 error: the status and the one `{detail, title, code}` entry. */
export interface ExpectedCfError {
  status: number;
  code: number;
  title: string;
  detail: string;
}

const expected =
  (status: number, code: number, title: string) =>
  (detail: string): ExpectedCfError => ({ status, code, title, detail });

export const notAuthenticated = expected(401, 10002, "CF-NotAuthenticated")("Authentication error");
export const invalidAuthToken = expected(401, 1000, "CF-InvalidAuthToken")("Invalid Auth Token");
export const notAuthorized = expected(
  403,
  10003,
  "CF-NotAuthorized",
)("You are not authorized to perform the requested action");
export const notFound = expected(404, 10010, "CF-ResourceNotFound");
export const unknownRequest = expected(404, 10000, "CF-NotFound")("Unknown request");
export const unprocessable = expected(422, 10008, "CF-UnprocessableEntity");
export const badQuery = expected(400, 10005, "CF-BadQueryParameter");
export const messageParse = expected(400, 1001, "CF-MessageParseError");

/** Asserts a V3 error envelope exactly: status and the one `{detail, title, code}` entry. */
export function expectCfError(result: Answer, error: ExpectedCfError): void;
export function expectCfError(
  result: Answer,
  status: number,
  code: number,
  title: string,
  detail: string,
): void;
export function expectCfError(
  result: Answer,
  ...rest: [ExpectedCfError] | [number, number, string, string]
): void {
  const { status, code, title, detail } =
    rest.length === 1
      ? rest[0]
      : { status: rest[0], code: rest[1], title: rest[2], detail: rest[3] };
  expect({ status: result.status, body: result.json }).toEqual({
    status,
    body: cfError(code, title, detail),
  });
}

/** Asserts a V3 error envelope whose detail starts with the expected one; returns the detail. */
export function expectCfErrorPrefix(result: Answer, prefix: ExpectedCfError): string {
  expect(result.status, result.text).toBe(prefix.status);
  const body = result.json as { errors: Array<{ detail: string; title: string; code: number }> };
  expect(body.errors).toHaveLength(1);
  const error = body.errors[0];
  expect(error).toEqual({ detail: expect.any(String), title: prefix.title, code: prefix.code });
  expect(error?.detail.startsWith(prefix.detail), error?.detail).toBe(true);
  return error?.detail ?? "";
}
