import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a tiny server saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** Answers one request; `body` is the whole request body, already read. */
export type TinyHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface TinyServer {
  url: string;
  /** Every request, in the order they ended. */
  seen: SeenRequest[];
  /** How many connections were opened. */
  connections(): number;
  close(): Promise<void>;
}

/** Closes `server` and every connection still open on it (a keep-alive one would hold it). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/**
 * A real `node:http` server on a free loopback port, for the transport faults a simulator cannot
 * express (a body without end, a proxy that loses an answer, a header echoing a token).
 */
export async function startTinyServer(
  handler: TinyHandler = (_req, res) => res.end(),
): Promise<TinyServer> {
  const seen: SeenRequest[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    connections: () => connections,
    close: () => closeServer(server),
  };
}
