import type { ConfigValue } from "./run-local-options.js";
import { makeSecret, type PropertyMap } from "./secrets.js";

/** The `Configure` arguments: every key, secrets wrapped (the host unwraps them). */
export function configureArgs(config: Record<string, ConfigValue>): PropertyMap {
  const args: PropertyMap = {};
  for (const [key, value] of Object.entries(config)) {
    args[key] = typeof value === "string" ? value : makeSecret(value.secret);
  }
  return args;
}

/** The config as the program's `pulumi.Config` reads it: plaintext values, and which are secret. */
export function programConfig(config: Record<string, ConfigValue>) {
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    values[key] = typeof value === "string" ? value : value.secret;
    if (typeof value !== "string") secretKeys.push(key);
  }
  return { values, secretKeys };
}

/** `PULUMI_CONFIG` of the host: only the `pulumi-nodejs:` keys (`pkg/host/host.go`). */
export function nodejsConfig(config: Record<string, ConfigValue>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith("pulumi-nodejs:")) {
      result[key] = typeof value === "string" ? value : value.secret;
    }
  }
  return result;
}
