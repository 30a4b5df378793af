import { type ChildProcess, spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { get as httpsGet } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect } from "vitest";
import { it, send } from "../support/index.js";
import { pollUntil } from "../support/poll.js";

const CLI = join(__dirname, "../../dist/simulator/cli.js");
const WRAPPER = join(__dirname, "fixtures/spawn-and-stay.cjs");
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Starts the built CLI (through `wrapper`, a node script, when given) and reads its first line. */
function run(
  args: string[],
  wrapper?: string,
): { child: ChildProcess; firstLine: Promise<string> } {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  // process.execPath is the project's Node 22 inside vitest.
  const command = wrapper === undefined ? [CLI, ...args] : [wrapper, CLI, ...args];
  const child = spawn(process.execPath, command, { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const firstLine = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`cf-capi-sim exited ${code} before printing`)));
  });
  // Tests that expect an early exit never await the line.
  firstLine.catch(() => undefined);
  return { child, firstLine };
}

const exitCode = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

describe("cf-capi-sim bin", () => {
  it("prints one JSON line, serves, and exits 0 on SIGTERM", async () => {
    const { child, firstLine } = run(["--port", "0", "--tick-ms", "0"]);
    const info = JSON.parse(await firstLine) as {
      url: string;
      uaaUrl: string;
      users: Record<string, unknown>;
      deployments: Record<string, string>;
      apps: Record<string, unknown>;
    };
    expect(Object.keys(info)).toEqual([
      "url",
      "uaaUrl",
      "users",
      "clients",
      "org",
      "space",
      "apps",
      "deployments",
    ]);
    expect(info.uaaUrl).toBe(`${info.url}/uaa`);
    expect(Object.keys(info.apps)).toEqual(["web", "api", "worker"]);
    expect(Object.keys(info.apps["web"] ?? {})).toEqual([
      "guid",
      "name",
      "webProcessGuid",
      "stagedDropletGuid",
      "currentDropletGuid",
      "previousDropletGuid",
      "newProcessGuid",
    ]);
    expect((await send(`${info.url}/v3/info`)).status).toBe(200);
    child.kill("SIGTERM");
    expect(await exitCode(child)).toBe(0);
  });

  it.for(["SIGINT", "SIGHUP"] as const)("exits 0 on %s too", async (signal) => {
    const { child, firstLine } = run(["--seed", "empty"]);
    await firstLine;
    child.kill(signal);
    expect(await exitCode(child)).toBe(0);
  });

  it("serves HTTPS with --tls and prints the certificate to trust", async () => {
    const { child, firstLine } = run(["--tls", "--seed", "empty"]);
    const info = JSON.parse(await firstLine) as { url: string; caCertificate: string };
    expect(info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = new X509Certificate(info.caCertificate);
    expect(ca.checkIP("127.0.0.1")).toBe("127.0.0.1");
    const status = await new Promise<number>((resolve, reject) => {
      httpsGet(`${info.url}/v3/info`, { ca: info.caCertificate }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on("error", reject);
    });
    expect(status).toBe(200);
    child.kill("SIGTERM");
    expect(await exitCode(child)).toBe(0);
  });

  it("loads a seed file and applies the rate-limit flags", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-capi-sim-"));
    const file = join(dir, "seed.json");
    writeFileSync(
      file,
      JSON.stringify({
        orgs: [{ name: "acme", spaces: [{ name: "prod", apps: [{ name: "a" }] }] }],
      }),
    );
    const { child, firstLine } = run([
      "--seed",
      file,
      "--rate-limit",
      "7",
      "--rate-limit-window-s",
      "120",
    ]);
    const info = JSON.parse(await firstLine) as {
      url: string;
      org: { name: string };
      users: Record<string, { roles: unknown[] }>;
    };
    expect(info.org.name).toBe("acme");
    // The seed names no users: the line lists the default ones, each with no role.
    expect(Object.keys(info.users)).toHaveLength(7);
    expect(info.users["developer"]).toEqual({
      username: "developer",
      password: "developer-password",
      scopes: ["openid", "cloud_controller.read", "cloud_controller.write"],
      roles: [],
    });
    const answer = await send(`${info.url}/v3/info`);
    expect((answer.body as { rate_limits: unknown }).rate_limits).toEqual({
      enabled: true,
      general_limit: 7,
      reset_interval_in_minutes: 2,
    });
    child.kill("SIGTERM");
    expect(await exitCode(child)).toBe(0);
  });

  it("exits 2 with the usage on a bad flag", async () => {
    const { child } = run(["--port", "abc"]);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exitCode(child)).toBe(2);
    expect(stderr).toContain("--port must be an integer ≥ 0, got 'abc'");
    expect(stderr).toContain("Usage: cf-capi-sim");
  });
});

/** Whether `pid` runs; a zombie nobody has reaped yet counts as gone. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return true;
  }
}

describe("cf-capi-sim bin: stopping when its starter goes", () => {
  it.for(["SIGKILL", "SIGTERM"] as const)(
    "exits once the process that started it dies of %s (npx … & kill $!)",
    async (signal) => {
      const { child: wrapper, firstLine } = run(["--port", "0", "--tick-ms", "0"], WRAPPER);
      let simPid: number | undefined;
      try {
        const line = await firstLine;
        simPid = Number(line.slice(0, line.indexOf(" ")));
        const info = JSON.parse(line.slice(line.indexOf(" ") + 1)) as { url: string };
        expect((await send(`${info.url}/v3/info`)).status).toBe(200);
        wrapper.kill(signal);
        const pid = simPid;
        await pollUntil("the simulator to exit", () => !isRunning(pid), {
          tries: 50,
          intervalMs: 100,
        });
      } finally {
        wrapper.kill("SIGKILL");
        if (simPid !== undefined && isRunning(simPid)) process.kill(simPid, "SIGKILL");
      }
    },
  );
});
