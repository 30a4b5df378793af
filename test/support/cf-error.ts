import { expect } from "vitest";
import type { Answer } from "./http.js";

/** The V3 error envelope for one error. */
export function cfError(code: number, title: string, detail: string) {
  return { errors: [{ detail, title, code }] };
}

/** Asserts a V3 error envelope exactly: status and the one `{detail, title, code}` entry. */
export function expectCfError(
  result: Answer,
  status: number,
  code: number,
  title: string,
  detail: string,
): void {
  expect({ status: result.status, body: result.json }).toEqual({
    status,
    body: cfError(code, title, detail),
  });
}

/** Asserts a V3 error envelope whose detail starts with `detailPrefix`; returns the detail. */
export function expectCfErrorPrefix(
  result: Answer,
  status: number,
  code: number,
  title: string,
  detailPrefix: string,
): string {
  expect(result.status, result.text).toBe(status);
  const body = result.json as { errors: Array<{ detail: string; title: string; code: number }> };
  expect(body.errors).toHaveLength(1);
  const error = body.errors[0];
  expect(error).toEqual({ detail: expect.any(String), title, code });
  expect(error?.detail.startsWith(detailPrefix), error?.detail).toBe(true);
  return error?.detail ?? "";
}
