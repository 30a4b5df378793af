import { hasErrorBrand } from "../shared/error-brand.js";

/**
 * Stable codes of {@link RunLocalError}; match on these (or use {@link isRunLocalError}), not on
 * `instanceof`, since a test may load the harness twice (source and `dist/`).
 */
export type RunLocalErrorCode =
  /** A provider call for a resource failed (Create, Update, Delete, Read, Check or Diff). */
  | "RUN_LOCAL_RESOURCE_FAILED"
  /** The provider's `check` returned failures. */
  | "RUN_LOCAL_INVALID_INPUTS"
  /** The program threw, or a value it produced could not be serialized (e.g. the provider). */
  | "RUN_LOCAL_PROGRAM_FAILED"
  /** The provider host could not be started, or died. */
  | "RUN_LOCAL_HOST_FAILED"
  /** The state file is unreadable, belongs to another stack, or its secrets do not decrypt. */
  | "RUN_LOCAL_STATE_ERROR"
  /** The program uses something the harness does not emulate (an invoke, `get`, `protect`, …). */
  | "RUN_LOCAL_UNSUPPORTED"
  /** A `runLocal` option is missing or malformed. */
  | "RUN_LOCAL_INVALID_OPTIONS"
  /** `signal` was aborted. */
  | "RUN_LOCAL_ABORTED"
  /** `timeoutMs` elapsed. */
  | "RUN_LOCAL_TIMEOUT";

/** The provider call that failed. */
export type ProviderStep = "configure" | "check" | "diff" | "create" | "update" | "read" | "delete";

/** One failure returned by a provider's `check`. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * A resource that was created (or updated) but failed to initialize: the provider threw an error
 * carrying `id` (and `properties`, `reasons`), which the host sends as a
 * `pulumirpc.ErrorResourceInitFailed` detail. The resource stays in state, as the engine keeps it,
 * and the next `up` updates it.
 */
export interface InitFailure {
  id: string;
  /** The outputs the provider gave with the error (plaintext; without `__provider`). */
  properties: Record<string, unknown>;
  reasons: string[];
}

export interface RunLocalErrorDetails {
  code: RunLocalErrorCode;
  cause?: unknown;
  urn?: string | undefined;
  resourceName?: string | undefined;
  resourceType?: string | undefined;
  step?: ProviderStep | undefined;
  providerMessage?: string | undefined;
  failures?: CheckFailure[] | undefined;
  initFailure?: InitFailure | undefined;
  hostExit?: string | undefined;
}

/** The one error `runLocal` rejects with. */
export class RunLocalError extends Error {
  override readonly name = "RunLocalError";
  /** What went wrong, as a stable code. */
  readonly code: RunLocalErrorCode;
  /** The failed resource's URN, when a resource failed. */
  readonly urn: string | undefined;
  /** The failed resource's logical name. */
  readonly resourceName: string | undefined;
  /** The failed resource's type token. */
  readonly resourceType: string | undefined;
  /** The provider call that failed. */
  readonly step: ProviderStep | undefined;
  /** The provider's own error message, verbatim (what `pulumi up` prints under the resource). */
  readonly providerMessage: string | undefined;
  /** The failures `check` returned (code `RUN_LOCAL_INVALID_INPUTS`). */
  readonly failures: CheckFailure[] | undefined;
  /** Set for a partial failure: the resource was kept in state with this id and these outputs. */
  readonly initFailure: InitFailure | undefined;
  /**
   * How the provider host ended (`exited with code 1`, `was killed by SIGKILL`), when it ended
   * before a `RUN_LOCAL_HOST_FAILED`; the message ends with it.
   */
  readonly hostExit: string | undefined;
  /** The provider host's printed lines up to the failure (filled in by `runLocal`). */
  logs: string[] = [];
  readonly #summary: string;

  /** `summary` says what failed; the message adds `hostExit` when there is one. */
  constructor(summary: string, details: RunLocalErrorDetails) {
    super(
      details.hostExit === undefined
        ? summary
        : `${summary} (the provider host ${details.hostExit})`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.#summary = summary;
    this.code = details.code;
    this.urn = details.urn;
    this.resourceName = details.resourceName;
    this.resourceType = details.resourceType;
    this.step = details.step;
    this.providerMessage = details.providerMessage;
    this.failures = details.failures;
    this.initFailure = details.initFailure;
    this.hostExit = details.hostExit;
  }

  /** The same failure, with how the provider host ended (known only once the run stops). */
  withHostExit(hostExit: string): RunLocalError {
    return new RunLocalError(this.#summary, {
      code: this.code,
      cause: this.cause,
      urn: this.urn,
      resourceName: this.resourceName,
      resourceType: this.resourceType,
      step: this.step,
      providerMessage: this.providerMessage,
      failures: this.failures,
      initFailure: this.initFailure,
      hostExit,
    });
  }
}

/** Whether `error` is a {@link RunLocalError} (optionally with `code`), from any copy of this module. */
export function isRunLocalError(error: unknown, code?: RunLocalErrorCode): error is RunLocalError {
  return hasErrorBrand(error, "RunLocalError", "RUN_LOCAL_", code);
}
