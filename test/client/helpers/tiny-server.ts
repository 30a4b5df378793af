import type { Server } from "node:http";
import {
  closeServer,
  startTinyServer,
  type TinyHandler,
  type TinyServer,
} from "../../support/index.js";
import { onCleanup } from "./harness.js";

export type { SeenRequest } from "../../support/index.js";

/** Closes `server` and all its connections after the current test. */
export function closeAfterTest(server: Server): void {
  onCleanup(() => closeServer(server));
}

/** A tiny server (see test/support/tiny-server.ts), closed after the test. */
export async function tinyServer(handler?: TinyHandler): Promise<TinyServer> {
  const server = await startTinyServer(handler);
  onCleanup(() => server.close());
  return server;
}
