import type { CloudFoundryClientOptions } from "../../src/client/index.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import type { FakeTime } from "../support/index.js";
import { NOT_TLS_REFUSAL, SELF_SIGNED_REFUSAL, SKIP_SSL_WARNING } from "../support/tls-messages.js";
import { APPLIED, CLEAN } from "./fault-rows.js";
import { developerClient, eventsPerDeployment, logLines, requestKinds } from "./fault-world.js";
import { leakedSecrets, seedSecrets } from "./secret-watch.js";

/**
 * A TLS row: one promotion step (as a client row runs it) over `https://`, to the simulator's
 * HTTPS with the self-signed certificate it makes at start, or to its plain-HTTP port.
 */
export interface TlsRow {
  fault: string;
  expected: string;
  /** Whether the simulator serves HTTPS; without, the client still says `https://`. */
  tls: boolean;
  /** The client's TLS options, given the simulator's certificate (PEM). */
  trust?: (caCertificate: string) => Partial<CloudFoundryClientOptions>;
  /** The request log, in `requestKinds` form: empty when no request got through TLS. */
  log: string[];
  /** The step's error message for the simulator's `https://` origin; applied when absent. */
  refusal?: (origin: string) => string;
  /** The client's warnings for that origin. @default none */
  warnings?: (origin: string) => string[];
  continues: number;
}

/** The TLS rows; the refused ones fail at the client's first request, before any continue. */
export const tlsRows: TlsRow[] = [
  {
    fault: "TLS: a self-signed certificate, with the client's default trust",
    expected: "refused at the first request, naming the certificate problem; nothing sent",
    tls: true,
    log: [],
    refusal: SELF_SIGNED_REFUSAL,
    continues: 0,
  },
  {
    fault: "TLS: the simulator's certificate given as caCertificates",
    expected: "trusted: the step goes on, no warning",
    tls: true,
    trust: (caCertificates) => ({ caCertificates }),
    log: CLEAN,
    continues: 1,
  },
  {
    fault: "TLS: a self-signed certificate with skipSslValidation",
    expected: "not checked: the step goes on, with a warning that says so",
    tls: true,
    trust: () => ({ skipSslValidation: true }),
    log: CLEAN,
    warnings: (origin) => [SKIP_SSL_WARNING(origin)],
    continues: 1,
  },
  {
    fault: "TLS: https:// to a port that serves plain HTTP",
    expected: "refused at the first request: the server does not speak TLS; nothing sent",
    tls: false,
    log: [],
    refusal: NOT_TLS_REFUSAL,
    continues: 0,
  },
];

/** What a TLS row's step left behind, in the shape the row states it. */
export interface TlsRecord {
  log: string[];
  outcome: { applied: boolean; attempts: number } | { error: string; message: string };
  warnings: string[];
  continues: number;
  scanned: number;
  leaked: string[];
}

/** What `row` expects of a step against `origin`, in the shape of {@link TlsRecord}. */
export function tlsExpectation(row: TlsRow, origin: string): Omit<TlsRecord, "scanned" | "leaked"> {
  return {
    log: row.log,
    outcome:
      row.refusal === undefined
        ? APPLIED
        : { error: "CF_NETWORK_ERROR", message: row.refusal(origin) },
    warnings: row.warnings?.(origin) ?? [],
    continues: row.continues,
  };
}

/** The `https://` origin of `sim` a row's client goes to. */
export function httpsOrigin(sim: SimulatorHandle): string {
  return sim.url.replace(/^http:/, "https:");
}

/** Runs one promotion step of `row` against `sim` (started with `tls: row.tls`). */
export async function runTlsStep(
  sim: SimulatorHandle,
  time: FakeTime,
  row: TlsRow,
): Promise<TlsRecord> {
  const guid = sim.deployments["web"] ?? "";
  // Enough updater ticks for the seeded canary to pause at step 1 (it starts PREPAUSED).
  await sim.control.tick(20);
  await sim.control.clearRequests();
  const log = logLines();
  const client = developerClient(sim, time, log, () => 0.5, {
    apiUrl: httpsOrigin(sim),
    ...row.trust?.(sim.caCertificate ?? ""),
  });
  const texts: string[] = [];
  let outcome: TlsRecord["outcome"];
  try {
    const active = await client.getActiveDeployment(sim.apps["web"]?.guid ?? "");
    const result = await client.continueDeployment(active?.guid ?? guid);
    outcome = { applied: result.applied, attempts: result.attempts };
  } catch (error) {
    texts.push(String(error), JSON.stringify(error));
    const { code, message } = error as { code?: string; message?: string };
    outcome = { error: code ?? String(error), message: message ?? "" };
  } finally {
    await client.close();
  }
  const prefix = "warn: ";
  return {
    log: await requestKinds(sim),
    outcome,
    warnings: log.lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length)),
    continues: (await eventsPerDeployment(sim)).get(guid) ?? 0,
    scanned: texts.length + log.lines.length,
    leaked: leakedSecrets([...texts, ...log.lines], seedSecrets(sim)),
  };
}
