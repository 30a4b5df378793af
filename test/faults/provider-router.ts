import { Agent, type IncomingHttpHeaders, request } from "node:http";
import { startTinyServer } from "../support/tiny-server.js";

/** What the router does with the one request it loses. */
export interface RouterLoss {
  method: string;
  path: string;
  /**
   * Runs before each request the router forwards after the loss, with how many requests to
   * `path` of that method it has forwarded since (1 for the first): a row lets the held request
   * land at an exact moment of the client's watch this way.
   */
  beforeForward?: (request: { method: string; path: string; count: number }) => Promise<void>;
}

export interface Router {
  url: string;
  /** Requests the router answered with its own 502, by `METHOD path`. */
  lost: string[];
  /** Requests it forwarded and answered with the Cloud Controller's answer, by `METHOD path`. */
  forwarded: string[];
  close(): Promise<void>;
}

const BAD_GATEWAY = "502 Bad Gateway: Registered endpoint failed to handle the request.\n";

/**
 * A router in front of the simulator, as gorouter is in front of the Cloud Controller: it forwards
 * every request, but answers the first `loss.method loss.path` with its own 502 (no Cloud
 * Controller envelope) right after passing it on, as it does when its backend is slow. The Cloud
 * Controller handles the request all the same, when the simulator's hold lets it go.
 */
export async function startRouter(target: string, loss: RouterLoss): Promise<Router> {
  const agent = new Agent({ keepAlive: true });
  const lost: string[] = [];
  const forwarded: string[] = [];
  const counts = new Map<string, number>();
  const upstream = new URL(target);
  const forward = (method: string, url: string, headers: IncomingHttpHeaders, body: string) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        const outgoing = request(
          {
            agent,
            host: upstream.hostname,
            port: upstream.port,
            method,
            path: url,
            headers: { ...headers, host: upstream.host },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () =>
              resolve({
                status: response.statusCode ?? 502,
                headers: response.headers,
                body: Buffer.concat(chunks),
              }),
            );
            response.on("error", reject);
          },
        );
        outgoing.on("error", reject);
        outgoing.end(body);
      },
    );
  const server = await startTinyServer((req, res, body) => {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const path = url.split("?")[0] ?? url;
    if (lost.length === 0 && method === loss.method && path === loss.path) {
      lost.push(`${method} ${path}`);
      // Passed on, then given up on: its answer, whenever it comes, reaches nobody.
      forward(method, url, req.headers, body).catch(() => undefined);
      res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
      res.end(BAD_GATEWAY);
      return;
    }
    let before: Promise<void> | undefined;
    const key = `${method} ${path}`;
    forwarded.push(key);
    if (lost.length > 0) {
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      before = loss.beforeForward?.({ method, path, count });
    }
    void (before ?? Promise.resolve())
      .then(() => forward(method, url, req.headers, body))
      .then(
        (answer) => {
          const headers = { ...answer.headers };
          delete headers["transfer-encoding"];
          delete headers["connection"];
          headers["content-length"] = String(answer.body.length);
          res.writeHead(answer.status, headers);
          res.end(answer.body);
        },
        () => {
          res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
          res.end(BAD_GATEWAY);
        },
      );
  });
  return {
    url: server.url,
    lost,
    forwarded,
    close: async () => {
      await server.close();
      agent.destroy();
    },
  };
}
