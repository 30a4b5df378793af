import type { Dispatcher } from "undici";
import { describe, expect, it } from "vitest";
import { isCloudFoundryError } from "../../src/client/errors.js";
import { createHttpClient } from "../../src/client/http-client.js";
import { createRedactor } from "../../src/client/redactor.js";
import { rejectionOf } from "../support/index.js";

describe("createHttpClient", () => {
  it("refuses to send the bearer token to any origin but the API's, with a family error and no request", async () => {
    const sent: unknown[] = [];
    const dispatcher = {
      request: (options: unknown) => {
        sent.push(options);
        throw new Error("must not be called");
      },
    } as unknown as Dispatcher;
    const http = createHttpClient({
      dispatcher,
      apiOrigin: "https://api.example.com",
      userAgent: "test",
      requestTimeoutMs: 1_000,
      maxResponseBytes: 1_024,
      clock: { now: () => 0, sleep: async () => {} },
      logger: { warn: () => {} },
      redactor: createRedactor(["opaque-SECRET-token"]),
    });
    const error = await rejectionOf(
      http.attempt(
        {
          method: "GET",
          base: new URL("https://uaa.example.com"),
          path: "/v3/deployments",
          bearer: "opaque-SECRET-token",
        },
        {},
      ),
    );
    expect(sent).toEqual([]);
    expect(isCloudFoundryError(error, "CF_CONFIG_ERROR")).toBe(true);
    expect(error.message).toBe(
      "GET /v3/deployments was not sent: its bearer token may only go to https://api.example.com, not https://uaa.example.com.",
    );
    expect(JSON.stringify(error)).not.toContain("opaque-SECRET-token");
  });
});
