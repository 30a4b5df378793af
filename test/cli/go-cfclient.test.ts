import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { SimulatorHandle } from "cf-deployment-promotion/simulator";
import { afterEach, describe, expect, it } from "vitest";
import { ORG, SPACE, startCanarySimulator, USER } from "./cli-simulator.js";

// A second client library against the simulator: github.com/cloudfoundry/go-cfclient/v3, in the
// small Go program test/go-cfclient/main.go that `npm run tools` builds beside the pulumi CLI.
const BINARY = path.resolve(__dirname, "../../.tools/bin/go-cfclient-promote");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function promote(sim: SimulatorHandle, user: { username: string; password: string }): Promise<Run> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run npm run tools`);
  const args = ["-api", sim.url, "-user", user.username, "-password", user.password];
  args.push("-org", ORG, "-space", SPACE, "-app", "web", "-poll", "100ms", "-max-polls", "200");
  return new Promise((resolve) => {
    execFile(BINARY, args, { encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({
        code: error === null ? 0 : typeof error.code === "number" ? error.code : 1,
        stdout,
        stderr,
      });
    });
  });
}

describe("go-cfclient v3 against the simulator", () => {
  let sim: SimulatorHandle | undefined;
  afterEach(async () => {
    await sim?.close();
  });

  it("logs in at the uaa link, finds the app's active deployment, continues it once and sees the next pause", async () => {
    sim = await startCanarySimulator([{ name: "web" }], { tickMs: 50 });
    const guid = sim.deployments["web"] ?? "";
    const run = await promote(sim, USER);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      deployment: guid,
      before: { reason: "PAUSED", step: 1, total: 3 },
      after: { reason: "PAUSED", step: 2, total: 3 },
    });
    const log = (await sim.control.requests()).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(log.slice(0, 7)).toEqual([
      "GET / 200",
      // go-cfclient posts to the root document's `uaa` link, where the cf CLI uses `login`.
      "POST /uaa/oauth/token 200",
      "GET /v3/organizations 200",
      "GET /v3/spaces 200",
      "GET /v3/apps 200",
      "GET /v3/deployments 200",
      `POST /v3/deployments/${guid}/actions/continue 200`,
    ]);
    expect(new Set(log.slice(7))).toEqual(new Set([`GET /v3/deployments/${guid} 200`]));
    const continues = await sim.control.auditEvents({ types: ["audit.app.deployment.continue"] });
    expect(continues.map((e) => [e.data["deployment_guid"], e.actor.name])).toEqual([
      [guid, `${USER.username}@example.com`],
    ]);
  });

  it("is refused its login with a wrong password, and sends nothing to the Cloud Controller", async () => {
    sim = await startCanarySimulator([{ name: "web" }], { tickMs: 50 });
    const run = await promote(sim, { username: USER.username, password: "wrong" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("go-cfclient-promote:");
    expect(run.stderr).not.toContain("wrong");
    const log = (await sim.control.requests()).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(
      log.filter((line) => line.startsWith("POST /v3") || line.startsWith("GET /v3/d")),
    ).toEqual([]);
    expect(log).toContain("POST /uaa/oauth/token 401");
  });
});
