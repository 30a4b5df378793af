import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, describe, expect } from "vitest";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { startRouter } from "../faults/provider-router.js";
import type { TempDir } from "../support/host-fixture.js";
import { seededUser } from "../support/index.js";
import { pollUntil } from "../support/poll.js";
import { childrenOf, isAlive, killAll } from "../support/processes.js";
import { ccRequests, it, PROJECT, posts, promotionOf } from "./host-helpers.js";

/** The repository root: the project the runLocal process runs, as the e2e stacks do. */
const projectDir = resolve(__dirname, "../..");

// The engine-death path end to end: a process running runLocal (standing in for the engine) is
// stopped mid-wait, as a CI job or a Ctrl-C would stop it; the promotion it asked for must stop
// with it, and its provider host must not outlive it.

/** A runLocal process: promotes the seeded web canary to DEPLOYED, reading every 2 s. */
const SCRIPT = `
const { createRequire } = require("node:module");
const projectRequire = createRequire(process.env.PROJECT_DIR + "/runner.js");
const pulumi = projectRequire("@pulumi/pulumi");
const { DeploymentPromotion } = projectRequire("cf-deployment-promotion");
const { runLocal } = projectRequire("cf-deployment-promotion/testing");
const sim = JSON.parse(process.env.SIM);
runLocal({
  operation: "up",
  project: process.env.PROJECT,
  stack: "dev",
  stateFile: process.env.STATE_FILE,
  projectDir: process.env.PROJECT_DIR,
  config: {
    "cloudfoundry:apiUrl": sim.url,
    "cloudfoundry:user": sim.username,
    "cloudfoundry:password": { secret: sim.password },
  },
  onLog: (line) => console.log(line),
  program: async () => {
    new DeploymentPromotion("web", {
      appName: "web",
      orgName: sim.org,
      spaceName: sim.space,
      pollIntervalSeconds: 2,
    });
    return {};
  },
}).then(
  () => console.log("runLocal finished"),
  (error) => console.log("runLocal failed: " + error.message),
);
`;

const started: ChildProcess[] = [];
const hostGroups: number[] = [];
afterEach(() => {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  killAll(hostGroups.splice(0).map((group) => -group));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `pid` has exited: gone, or a zombie nobody reaped yet. */
function hasExited(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/** Waits (bounded, up to 15 s) until every host has exited on its own. */
async function hostsExit(hosts: number[]): Promise<void> {
  await pollUntil("the orphaned provider host to exit", () => hosts.every(hasExited), {
    tries: 150,
    intervalMs: 100,
  });
}

/**
 * Starts the runLocal process and waits until `ready` holds (by default: its first continue is
 * in the simulator's log): mid-wait. `apiUrl` puts something between it and the simulator.
 */
async function runUntilFirstContinue(
  sim: SimulatorHandle,
  tempDir: TempDir,
  stateFile: string,
  {
    ready = async () => (await posts(sim)).length === 1,
    apiUrl = sim.url,
  }: { ready?: () => Promise<boolean>; apiUrl?: string } = {},
) {
  const user = seededUser(sim, "developer");
  const dir = tempDir("engine-death-");
  const script = join(dir, "run.cjs");
  writeFileSync(script, SCRIPT);
  const output: string[] = [];
  const child = spawn(process.execPath, [script], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PROJECT,
      PROJECT_DIR: projectDir,
      STATE_FILE: stateFile,
      SIM: JSON.stringify({
        url: apiUrl,
        username: user.username,
        password: user.password,
        org: sim.org.name,
        space: sim.space.name,
      }),
    },
  });
  started.push(child);
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  // The next read is up to 2 s away once the first continue is in the log.
  await pollUntil("the first continue", ready, { tries: 1_000 });
  const hosts = childrenOf(child.pid ?? 0);
  hostGroups.push(...hosts);
  expect(hosts).toHaveLength(1);
  const stop = async (signal: NodeJS.Signals) => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
    expect(child.signalCode).toBe(signal);
    // Longer than two poll intervals: a host still promoting would have continued again.
    await sleep(5_000);
  };
  return { hosts, output, stop };
}

describe.runIf(process.platform === "linux")("a runLocal process stopped mid-wait", () => {
  it.for(["SIGTERM", "SIGINT"] as const)(
    "%s: no continue after it, and the provider host is gone",
    { timeout: 30_000 },
    async (signal, { sim, tempDir, stack }) => {
      const { hosts, output, stop } = await runUntilFirstContinue(sim, tempDir, stack.stateFile);
      await stop(signal);
      expect(await posts(sim), output.join("")).toHaveLength(1);
      expect(hosts.filter(isAlive)).toEqual([]);
    },
  );

  it("SIGKILL (nothing can clean up): the orphaned host sends no further continue and ends itself, and the resumed run lists every continue", {
    timeout: 30_000,
  }, async ({ sim, tempDir, stack }) => {
    const { hosts, output, stop } = await runUntilFirstContinue(sim, tempDir, stack.stateFile);
    await stop("SIGKILL");
    await hostsExit(hosts);
    expect(await posts(sim), output.join("")).toHaveLength(1);

    // Resumed on the same state: every continue actually sent is listed, the killed run's too.
    const resumed = await stack.run("up", promotionOf({}));
    const continues = resumed.outputs["continues"] as Array<{ fromStep: number; ours: boolean }>;
    expect(continues.map((c) => [c.fromStep, c.ours])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
    expect(await posts(sim)).toHaveLength(3);
  });
});

describe.runIf(process.platform === "linux")(
  "a runLocal process SIGKILLed while the client waits inside a continue",
  () => {
    it("in the 30 s Retry-After backoff after a Cloud Controller 503: the wait ends, no further continue, the host exits", {
      timeout: 30_000,
    }, async ({ sim, tempDir, stack }) => {
      await sim.control.addFault({
        method: "POST",
        path: "/v3/deployments/*/actions/continue",
        status: 503,
        headers: { "Retry-After": "30" },
        body: {
          errors: [{ code: 10015, title: "CF-ServiceUnavailable", detail: "Service unavailable" }],
        },
      });
      // The client read the deployment back after the 503 (unchanged): it now waits 30 s to re-send.
      const readBack = async () => {
        const requests = await ccRequests(sim);
        const post = requests.findIndex((r) => r.method === "POST");
        return requests.slice(post + 1).some((r) => r.method === "GET");
      };
      const { hosts, output, stop } = await runUntilFirstContinue(sim, tempDir, stack.stateFile, {
        ready: async () => (await posts(sim)).length === 1 && (await readBack()),
      });
      expect((await ccRequests(sim, "POST")).map((r) => r.status)).toEqual([503]);
      await stop("SIGKILL");
      // Without the engine check inside the client's wait, the host would re-send after 30 s and
      // never exit on its own.
      await hostsExit(hosts);
      expect(await posts(sim), output.join("")).toHaveLength(1);
    });
    it("in the late-delivery watch of a continue a router answered with its own 502: the watch ends, no further continue, the host exits", {
      timeout: 30_000,
    }, async ({ sim, tempDir, stack, webDeployment: guid }) => {
      const continuePath = `/v3/deployments/${guid}/actions/continue`;
      // The Cloud Controller gets the continue only when released (never, here): in doubt.
      await sim.control.addFault({ method: "POST", path: continuePath, holdMs: 600_000 });
      let watching = false;
      const router = await startRouter(sim.url, {
        method: "POST",
        path: continuePath,
        // The read back, then the first read of the 60 s watch.
        beforeForward: async ({ method, path, count }) => {
          if (method === "GET" && path === `/v3/deployments/${guid}` && count === 2) {
            watching = true;
          }
        },
      });
      try {
        const { hosts, output, stop } = await runUntilFirstContinue(sim, tempDir, stack.stateFile, {
          apiUrl: router.url,
          ready: async () => watching,
        });
        await stop("SIGKILL");
        // Without the engine check inside the client's watch, the host would watch for 60 s.
        await hostsExit(hosts);
        expect(router.lost, output.join("")).toEqual([`POST ${continuePath}`]);
        expect(router.forwarded.filter((r) => r.startsWith("POST"))).toEqual([]);
        expect((await sim.control.heldRequests()).map((h) => h.path)).toEqual([continuePath]);
      } finally {
        await router.close();
      }
    });
  },
);
