import { Agent } from "undici";
import { describe, expect, it } from "vitest";
import {
  type CloudFoundryClientOptions,
  createCloudFoundryClient,
  isCloudFoundryError,
} from "../../src/client/index.js";

const base: CloudFoundryClientOptions = {
  apiUrl: "https://api.example.com",
  credentials: { kind: "accessToken", accessToken: "opaque-token" },
};

function configErrorOf(options: unknown): string {
  try {
    const client = createCloudFoundryClient(options as CloudFoundryClientOptions);
    void client.close();
  } catch (error) {
    expect(isCloudFoundryError(error, "CF_CONFIG_ERROR")).toBe(true);
    return (error as Error).message;
  }
  throw new Error("expected a CF_CONFIG_ERROR");
}

describe("client options", () => {
  it("validates eagerly, saying what to change", () => {
    expect(configErrorOf({ ...base, apiUrl: undefined })).toBe(
      "apiUrl is required; give the Cloud Controller API URL, e.g. https://api.sys.example.com.",
    );
    expect(configErrorOf({ ...base, credentials: undefined })).toBe(
      "credentials is required: one of accessToken, refreshToken, password, clientCredentials or cfCliConfig.",
    );
    expect(configErrorOf({ ...base, credentials: { kind: "token" } })).toBe(
      "credentials.kind must be one of accessToken, refreshToken, password, clientCredentials or cfCliConfig.",
    );
    expect(
      configErrorOf({ ...base, credentials: { kind: "password", username: "u", password: "" } }),
    ).toBe("credentials.password is missing or empty; give the password.");
    expect(
      configErrorOf({ ...base, credentials: { kind: "clientCredentials", clientId: "c" } }),
    ).toBe("credentials.clientSecret is missing or empty; give the client secret.");
    expect(configErrorOf({ ...base, retry: { maxAttempts: 0 } })).toBe(
      "retry.maxAttempts must be an integer of at least 1.",
    );
    expect(configErrorOf({ ...base, requestTimeoutMs: 1.5 })).toBe(
      "requestTimeoutMs must be an integer of at least 1.",
    );
    expect(configErrorOf({ ...base, caCertificates: "not a pem" })).toBe(
      "caCertificates must be a PEM bundle (-----BEGIN CERTIFICATE----- …).",
    );
    expect(configErrorOf({ ...base, apiUrl: "http://api.example.com" })).toContain(
      "allowInsecureHttp",
    );
  });

  it("refuses TLS options it cannot apply to an injected dispatcher", () => {
    const dispatcher = new Agent();
    expect(configErrorOf({ ...base, dispatcher, skipSslValidation: true })).toBe(
      "skipSslValidation and caCertificates cannot be applied to an injected dispatcher; set the TLS options on that dispatcher instead.",
    );
    void dispatcher.close();
  });

  it("never puts a credential into a configuration error", () => {
    const message = configErrorOf({
      apiUrl: "https://user:hunter2-secret@api.example.com",
      credentials: { kind: "password", username: "u", password: "hunter2-secret" },
    });
    expect(message).not.toContain("hunter2-secret");
  });

  it("accepts plain http to loopback, or anywhere when allowed, and reports the API URL", async () => {
    const local = createCloudFoundryClient({ ...base, apiUrl: "http://127.0.0.1:9022/" });
    expect(local.apiUrl).toBe("http://127.0.0.1:9022");
    const allowed = createCloudFoundryClient({
      ...base,
      apiUrl: "http://api.example.com",
      allowInsecureHttp: true,
    });
    expect(allowed.apiUrl).toBe("http://api.example.com");
    await Promise.all([local.close(), allowed.close()]);
  });
});
