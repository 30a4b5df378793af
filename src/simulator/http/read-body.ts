import type { IncomingMessage } from "node:http";
import { CfError } from "../cf-error.js";

/** Largest request body the simulator reads. @default 1 MiB */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads the request body, refusing more than `limit` bytes with a 413 CF envelope (the real
 * foundation's router/nginx refuses oversized bodies with 413 too, though not in this format).
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(
          new CfError(
            413,
            1001,
            "CF-MessageParseError",
            `Request invalid due to parse error: request body is larger than ${limit} bytes`,
            { Connection: "close" },
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on("error", (error) => {
      if (!done) reject(error);
    });
  });
}
