/** One handled (or reset) API/UAA request, in the order the simulator handled them. `/_sim/` requests are never logged. */
export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The response status, or 0 when the connection was reset instead of answered. */
  status: number;
  /** When the request arrived (ISO-8601 with milliseconds). */
  time: string;
  /**
   * The TCP connection it came on, numbered from 1 in the order connections were opened: how a
   * test or benchmark sees whether a client reuses its keep-alive connections.
   */
  connection: number;
  /** Present when a `holdMs` fault held the request before it was handled. */
  held?: true;
  /**
   * Present when the client had closed the connection before the answer: the request was
   * handled all the same (its effects happened) and `status` is what a client would have got.
   */
  clientGone?: true;
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
