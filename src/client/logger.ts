/**
 * Where the client reports what is not an error: `X-Cf-Warnings`, the one-time TLS warning,
 * retries and token refreshes. Messages are redacted before they get here.
 */
export interface Logger {
  /** Something the user should know (CC warnings, TLS verification off). */
  warn(message: string): void;
  /** Retries, waits and refreshes, for troubleshooting. */
  debug?(message: string): void;
}

/** The default logger: warnings as Node process warnings (shown once per message by Pulumi's host log), no debug. */
export const processWarningLogger: Logger = {
  warn(message: string): void {
    process.emitWarning(message, { code: "CF_CLIENT_WARNING" });
  },
};
