import { Agent, type Dispatcher } from "undici";
import type { SimulatorHandle } from "../../src/simulator/index.js";

/**
 * A dispatcher that notes every credential the client sends (bearer tokens, the form fields of
 * token requests), so the matrix can look for them in error messages and log lines.
 */
export interface SecretWatch {
  dispatcher: Dispatcher;
  /** Passwords and client secrets of the seed, and every credential seen on the wire. */
  secrets(sim: SimulatorHandle): string[];
  close(): Promise<void>;
}

const CREDENTIAL_FIELDS = ["password", "refresh_token", "client_secret"];

/**
 * Runs before a request leaves, e.g. to let a held request through first; the request waits
 * for it.
 */
export type BeforeSend = (request: { method: string; path: string }) => Promise<void> | undefined;

export function secretWatch(beforeSend?: BeforeSend): SecretWatch {
  const seen = new Set<string>();
  const agent = new Agent();
  const dispatcher = agent.compose((dispatch) => (options, handler) => {
    const authorization = headerValue(options.headers, "authorization");
    if (authorization !== undefined) seen.add(authorization.replace(/^(bearer|basic) /i, ""));
    if (typeof options.body === "string") {
      const form = new URLSearchParams(options.body);
      for (const field of CREDENTIAL_FIELDS) {
        const value = form.get(field);
        if (value !== null) seen.add(value);
      }
    }
    const waitFor = beforeSend?.({ method: options.method, path: options.path });
    if (waitFor === undefined) return dispatch(options, handler);
    void waitFor.then(() => dispatch(options, handler));
    return true;
  });
  return {
    dispatcher,
    secrets: (sim) => [...seedSecrets(sim), ...seen].filter((secret) => secret.length >= 8),
    close: () => agent.close(),
  };
}

function headerValue(headers: Dispatcher.DispatchOptions["headers"], name: string) {
  if (headers === undefined || headers === null) return undefined;
  if (Array.isArray(headers)) {
    const index = headers.findIndex((value, i) => i % 2 === 0 && value.toLowerCase() === name);
    return index < 0 ? undefined : String(headers[index + 1]);
  }
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === "function") return undefined;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() === name) return String(value);
  }
  return undefined;
}

/** The passwords and client secrets of the simulator's seed. */
export function seedSecrets(sim: Pick<SimulatorHandle, "users" | "clients">): string[] {
  return [
    ...Object.values(sim.users).map((user) => user.password),
    ...Object.values(sim.clients).map((client) => client.clientSecret),
  ];
}

/** The secrets that occur in any of `texts` (none, when all is well). */
export function leakedSecrets(texts: readonly string[], secrets: readonly string[]): string[] {
  return secrets.filter((secret) => texts.some((text) => text.includes(secret)));
}
