import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readBoundedBody } from "../../src/client/read-bounded-body.js";

describe("readBoundedBody", () => {
  it("reads a body within the limit as UTF-8", async () => {
    const body = Readable.from([Buffer.from("hé"), Buffer.from("llo")]);
    expect(await readBoundedBody(body, 10)).toEqual({ ok: true, text: "héllo" });
  });

  it("stops and destroys the stream as soon as the limit is passed", async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1;
        this.push(Buffer.alloc(1024));
      },
    });
    const result = await readBoundedBody(endless, 4096);
    expect(result).toEqual({ ok: false, receivedBytes: 5120, limitBytes: 4096 });
    expect(endless.destroyed).toBe(true);
    expect(produced).toBeLessThan(20);
  });

  it("refuses a declared Content-Length above the limit without reading", async () => {
    const body = Readable.from([Buffer.from("x")]);
    expect(await readBoundedBody(body, 10, 11)).toEqual({
      ok: false,
      receivedBytes: 0,
      limitBytes: 10,
    });
    expect(body.destroyed).toBe(true);
  });
});
