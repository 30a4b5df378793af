/** The default cap on a response body: far above any CC page, far below harm. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** A response body stream as undici returns it. */
export interface BodyStream extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** Destroys `body` without an unhandled "aborted" error (undici emits one on early destroy). */
function discard(body: BodyStream): void {
  body.on("error", () => {});
  body.destroy();
}

/** The text of a body, or how far it got before passing the cap. */
export type BoundedBody =
  | { ok: true; text: string }
  | { ok: false; receivedBytes: number; limitBytes: number };

/**
 * Reads `body` as UTF-8, stopping (and destroying the stream, which closes the connection) as
 * soon as more than `limitBytes` arrived, so a huge or endless body neither exhausts memory nor
 * hangs the caller. A `Content-Length` above the cap is refused before reading.
 */
export async function readBoundedBody(
  body: BodyStream,
  limitBytes: number,
  contentLength?: number,
): Promise<BoundedBody> {
  if (contentLength !== undefined && contentLength > limitBytes) {
    discard(body);
    return { ok: false, receivedBytes: 0, limitBytes };
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of body) {
    received += chunk.byteLength;
    if (received > limitBytes) {
      discard(body);
      return { ok: false, receivedBytes: received, limitBytes };
    }
    chunks.push(chunk);
  }
  return { ok: true, text: Buffer.concat(chunks).toString("utf8") };
}
