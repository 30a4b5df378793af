/** One answered (or reset) API/UAA request. `/_sim/` requests are never logged. */
export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The response status, or 0 when the connection was reset instead of answered. */
  status: number;
  /** When the request arrived (ISO-8601 with milliseconds). */
  time: string;
}

/** The request log behind `GET/DELETE /_sim/requests`. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  /** A copy of the entries, oldest first. */
  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries = [];
  }
}
