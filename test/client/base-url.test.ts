import { describe, expect, it } from "vitest";
import { isLoopbackHostname, parseBaseUrl, resolveUnderBase } from "../../src/client/base-url.js";
import { isCloudFoundryError } from "../../src/client/errors.js";

function configError(raw: string, allowInsecureHttp = false): unknown {
  try {
    parseBaseUrl(raw, { setting: "apiUrl", allowInsecureHttp });
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("base URLs", () => {
  it("knows loopback hosts", () => {
    const hosts = [
      "localhost",
      "api.localhost",
      "127.0.0.1",
      "127.9.9.9",
      "[::1]",
      "10.0.0.1",
      "example.com",
    ];
    expect(hosts.filter(isLoopbackHostname)).toEqual([
      "localhost",
      "api.localhost",
      "127.0.0.1",
      "127.9.9.9",
      "[::1]",
    ]);
  });

  it("accepts https anywhere and http on loopback, dropping a trailing slash", () => {
    expect(parseBaseUrl("https://api.example.com/", { setting: "apiUrl" }).href).toBe(
      "https://api.example.com/",
    );
    expect(parseBaseUrl("http://127.0.0.1:8080/cf/", { setting: "apiUrl" }).pathname).toBe("/cf");
  });

  it("refuses plain http to another host unless explicitly allowed", () => {
    const error = configError("http://api.example.com");
    expect(isCloudFoundryError(error, "CF_CONFIG_ERROR")).toBe(true);
    expect((error as Error).message).toBe(
      "apiUrl http://api.example.com uses plain http:// to a host that is not loopback, which would send credentials unencrypted; use https:// or set allowInsecureHttp: true.",
    );
    expect(configError("http://api.example.com", true)).toBeUndefined();
  });

  it("refuses URLs that are not URLs, other schemes, user-info and queries", () => {
    const messages = ["api.example.com", "ftp://x", "https://u:p@x", "https://x/?a=1"].map(
      (raw) => (configError(raw) as Error).message,
    );
    expect(messages).toEqual([
      "apiUrl is not a valid URL; give the full URL, e.g. https://api.example.com.",
      "apiUrl must be an https:// URL, not ftp://.",
      "apiUrl must not contain a user name or password; pass credentials through the credentials option.",
      "apiUrl must not contain a query or fragment; give the base URL only.",
    ]);
    expect(messages.join(" ")).not.toContain("u:p");
  });

  it("builds request URLs under the base path", () => {
    const base = parseBaseUrl("https://x.example/cf/", { setting: "apiUrl" });
    expect(resolveUnderBase(base, "/v3/apps", new URLSearchParams({ names: "a b" })).href).toBe(
      "https://x.example/cf/v3/apps?names=a+b",
    );
  });
});
