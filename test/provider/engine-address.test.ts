import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { engineAddressOf, watchEngineAddress } from "../../src/provider/engine-address.js";
import { pollUntil } from "../support/poll.js";

describe("engineAddressOf", () => {
  it.for([
    [["node", "index.js", "127.0.0.1:40123"], { host: "127.0.0.1", port: 40123 }],
    [["node", "index.js", "-v=9", "--logtostderr", "localhost:7"], { host: "localhost", port: 7 }],
    [["node", "index.js", "[::1]:65535"], { host: "::1", port: 65535 }],
    [["node", "index.js", "10.0.0.5:40123"], undefined],
    [["node", "index.js", "127.0.0.1:0"], undefined],
    [["node", "index.js", "127.0.0.1:70000"], undefined],
    [["node", "index.js"], undefined],
  ] as const)("%j → %j", ([argv, expected]) => {
    expect(engineAddressOf(argv)).toEqual(expected);
  });
});

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A loopback TCP server standing in for the engine's gRPC server; resolves to its port. */
async function listen(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.destroy());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { server, port: address.port };
}

describe("watchEngineAddress", () => {
  it("says refused once the server it saw listening has closed", async () => {
    const { server, port } = await listen();
    const watch = watchEngineAddress({ host: "127.0.0.1", port }, { minIntervalMs: 0 });
    // Still listening: asked repeatedly, never refused.
    for (let i = 0; i < 5; i += 1) {
      expect(watch.refused()).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => server.close(resolve));
    await pollUntil("a refused connect", () => watch.refused());
    expect(watch.refused()).toBe(true);
  });

  it("never says refused for an address nobody listened on (a harness's placeholder)", async () => {
    const { server, port } = await listen();
    await new Promise((resolve) => server.close(resolve));
    let attempts = 0;
    const watch = watchEngineAddress(
      { host: "127.0.0.1", port },
      {
        minIntervalMs: 0,
        now: () => {
          attempts += 1;
          return attempts;
        },
      },
    );
    await pollUntil("ten connect attempts", () => {
      expect(watch.refused()).toBe(false);
      return attempts >= 10;
    });
  });

  it("connects at most once per interval however often it is asked", async () => {
    const { server, port } = await listen();
    let connections = 0;
    server.on("connection", () => {
      connections += 1;
    });
    let now = 0;
    const watch = watchEngineAddress({ host: "127.0.0.1", port }, { now: () => now });
    await pollUntil("the first connect", () => connections === 1);
    for (let i = 0; i < 20; i += 1) watch.refused();
    now = 999;
    watch.refused();
    now = 1000;
    await pollUntil("the second connect", () => {
      watch.refused();
      return connections === 2;
    });
    for (let i = 0; i < 20; i += 1) watch.refused();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connections).toBe(2);
  });
});
