import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pollUntil } from "../support/poll.js";

// engine-watch.ts as the provider host loads it (built, in a process whose entry is a
// `cmd/dynamic-provider` script, the engine's address its last argument): only the address
// check can see this engine go, since the process that started the host stays.

const ENGINE_WATCH = resolve(__dirname, "../../dist/provider/engine-watch.js");

/** Polls engineGone() every 20 ms and prints its answer once it names a reason. */
const SCRIPT = `
const { engineGone } = require(${JSON.stringify(ENGINE_WATCH)});
console.log("loaded");
const timer = setInterval(() => {
  const gone = engineGone();
  if (gone !== undefined) { console.log("gone: " + gone); clearInterval(timer); }
}, 20);
setTimeout(() => process.exit(3), 20000);
`;

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function hostLike(address: string): { child: ChildProcess; output: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "engine-watch-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const entry = join(dir, "cmd", "dynamic-provider", "index.js");
  mkdirSync(join(dir, "cmd", "dynamic-provider"), { recursive: true });
  writeFileSync(entry, SCRIPT);
  const child = spawn(process.execPath, [entry, "--logtostderr", address], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  cleanups.push(() => child.kill("SIGKILL"));
  const output: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => output.push(...chunk.toString().split("\n")));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  return { child, output };
}

describe("engineGone inside a provider host whose engine's gRPC server closes", () => {
  it("names the closed address once a connect that succeeded before is refused", async () => {
    const sockets: Socket[] = [];
    const engine = createServer((socket) => sockets.push(socket));
    await new Promise<void>((done) => engine.listen(0, "127.0.0.1", done));
    const { port } = engine.address() as { port: number };
    const { output } = hostLike(`127.0.0.1:${port}`);
    // The watch connects when the module loads, while the engine is there.
    await pollUntil("the watch's first connect", () => sockets.length > 0, { tries: 500 });
    expect(output.filter((line) => line.startsWith("gone"))).toEqual([]);
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => engine.close(done));
    const gone = await pollUntil(
      "engineGone to name the address",
      () => output.find((line) => line.startsWith("gone: ")),
      { tries: 500 },
    );
    expect(gone).toBe(
      `gone: the Pulumi engine's gRPC server at 127.0.0.1:${port} no longer accepts connections (the engine has exited)`,
    );
  });

  it("never says gone for a placeholder address nobody listens on (as runLocal passes)", async () => {
    const { output } = hostLike("127.0.0.1:1");
    await pollUntil("the module to load", () => output.includes("loaded"), { tries: 500 });
    // Long enough for several connect attempts (one a second) to be refused.
    await new Promise((done) => setTimeout(done, 2_500));
    expect(output.filter((line) => line.startsWith("gone"))).toEqual([]);
  });
});
