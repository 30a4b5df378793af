import { readFileSync } from "node:fs";
import { describe, expect } from "vitest";
import promoteWithGates from "../../examples/promote-with-gates/index.js";
import type { Deployment } from "../../src/client/index.js";
import type { GateRound } from "../../src/provider/gates/gate-results.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import type { RunLocalResult } from "../../src/testing/index.js";
import { seededUser } from "../support/index.js";
import { pollUntil } from "../support/poll.js";
import { startTinyServer } from "../support/tiny-server.js";
import { posts, promotionOf as promotion, type Stack, stackConfig, test } from "./host-helpers.js";

// The gates through runLocal (the real provider host) and the simulator, which is ticked by hand
// (tickMs: 0) so that the deployment stays paused at step 1 where the test puts it.

/** The operator's client of the simulator (`operator` in the fixture). */
type Operator = { getDeployment(guid: string): Promise<Deployment> };

/** The canary's new web process, once the seeded deployment is paused at step 1. */
async function pausedCanary(sim: SimulatorHandle, operator: Operator, guid: string) {
  await sim.control.tick(20);
  const deployment = await operator.getDeployment(guid);
  expect(deployment.status.reason).toBe("PAUSED");
  return deployment.new_processes[0]?.guid ?? "";
}

/**
 * `up` while the simulator ticks every 50 ms, so that the continue's scaling reaches the next
 * step (the suite ticks by hand otherwise).
 */
async function upTicking(sim: SimulatorHandle, run: Stack["run"], program: () => unknown) {
  const ticking = setInterval(() => void sim.control.tick(), 50);
  try {
    return await run("up", program);
  } finally {
    clearInterval(ticking);
  }
}

/** The `gateResults` output of the run's one resource. */
function gateRoundsOf(result: RunLocalResult): GateRound[] {
  const outputs = result.resources[0]?.outputs as { gateResults?: GateRound[] } | undefined;
  return outputs?.gateResults ?? [];
}

/**
 * The e2e fixture plus `canary`: the seeded deployment ticked to PAUSED at step 1, as its new web
 * process's GUID.
 */
const gateTest = test.extend("canary", ({ sim, operator, webDeployment }) =>
  pausedCanary(sim, operator, webDeployment),
);

/** How many times the canary's stats were read so far. */
async function statsReads(sim: SimulatorHandle, processGuid: string): Promise<number> {
  return (await sim.control.requests()).filter(
    (r) => r.method === "GET" && r.path === `/v3/processes/${processGuid}/stats`,
  ).length;
}

async function continueEvents(sim: SimulatorHandle) {
  return sim.control.auditEvents({ types: ["audit.app.deployment.continue"] });
}

describe("DeploymentPromotion's gates through the real provider host", { timeout: 60_000 }, () => {
  gateTest.override({ simOptions: { tickMs: 0 } });

  gateTest(
    "refuses bad gates in check, naming each property, before anything is read or sent",
    async ({ sim, stack: { run } }) => {
      const gates = {
        soakSecs: 60,
        webhook: { url: "http://ci.example.com/gate" },
        command: { argv: [] },
      };
      const error = await run("up", promotion({ gates } as never)).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: "RUN_LOCAL_INVALID_INPUTS",
        step: "check",
        failures: [
          {
            property: "gates.webhook.url",
            reason:
              "[PROMOTION_INVALID_INPUTS] must use https:// (plain http:// is only accepted to this machine, and ci.example.com is not loopback)",
          },
          {
            property: "gates.command.argv",
            reason:
              '[PROMOTION_INVALID_INPUTS] must not be empty: give the program and its arguments, e.g. ["./smoke-test.sh"]',
          },
          {
            property: "gates.soakSecs",
            reason:
              "[PROMOTION_INVALID_INPUTS] is not a key of gates; did you mean soakSeconds? (it takes healthy, soakSeconds, webhook, command)",
          },
        ],
      });
      expect(await sim.control.requests()).toEqual([]);
    },
  );

  gateTest(
    "a crashed canary instance blocks the continue until the deadline; nothing is sent",
    async ({ sim, stack: { run }, webDeployment: guid, canary }) => {
      await sim.control.setInstanceState(canary, 0, "CRASHED");

      const error = await run("up", promotion({ toStep: 2, timeoutSeconds: 2 })).catch(
        (e: unknown) => e,
      );
      const message = (error as { providerMessage: string }).providerMessage;
      expect(message).toMatch(
        new RegExp(
          `^\\[PROMOTION_UNHEALTHY_CANARY\\] refusing to continue deployment ${guid} of app web at step 1/3: the healthy gate did not pass: canary instances of process ${canary} are not all RUNNING: #0 CRASHED \\(APP/PROC/WEB: Exited with status 1\\) \\(still failing at the deadline \\(timeoutSeconds\\) after [0-9.]+s and [0-9]+ checks\\)\\. Nothing was sent for this step\\.`,
        ),
      );
      expect(await statsReads(sim, canary)).toBeGreaterThan(1);
      expect(await posts(sim)).toEqual([]);
      expect(await continueEvents(sim)).toEqual([]);
    },
  );

  gateTest(
    "a canary that recovers within the deadline is continued once, and gateResults records the wait",
    async ({ sim, stack: { run }, webDeployment: guid, canary }) => {
      await sim.control.setInstanceState(canary, 0, "CRASHED");

      const up = run("up", promotion({ toStep: 2, timeoutSeconds: 30 }));
      await pollUntil(
        "the health gate to look twice",
        async () => (await statsReads(sim, canary)) >= 2,
        {
          tries: 500,
        },
      );
      expect(await posts(sim)).toEqual([]);
      await sim.control.setInstanceState(canary, 0, "RUNNING");
      // The continue's own scaling needs ticks to reach step 2.
      const ticking = setInterval(() => void sim.control.tick(), 50);
      const result = await up.finally(() => clearInterval(ticking));

      expect(await posts(sim)).toEqual([`/v3/deployments/${guid}/actions/continue`]);
      const rounds = gateRoundsOf(result);
      expect(rounds).toEqual([
        expect.objectContaining({
          fromStep: 1,
          toStep: 2,
          passed: true,
          rounds: expect.any(Number),
          gates: [
            {
              gate: "healthy",
              passed: true,
              detail: `every instance of process ${canary} is RUNNING: #0 RUNNING`,
            },
          ],
        }),
      ]);
      expect(rounds[0]?.rounds).toBeGreaterThan(1);
      expect(result.logs.join("\n")).toContain(
        `web: waiting for the healthy gate before step 1 → 2: canary instances of process ${canary} are not all RUNNING: #0 CRASHED`,
      );
    },
  );

  gateTest(
    "forSeconds waits until the instances have been RUNNING that long (by their uptime)",
    async ({ sim, stack: { run }, canary }) => {
      // A restart: RUNNING again from now, uptime 0.
      await sim.control.setInstanceState(canary, 0, "RUNNING");
      const restartedAt = Math.floor(Date.now() / 1000);

      const result = await upTicking(
        sim,
        run,
        promotion({ toStep: 2, gates: { healthy: { forSeconds: 2 } } }),
      );

      const [event] = await continueEvents(sim);
      // On the simulator's clock, whose timestamps are whole seconds.
      expect(Date.parse(event?.created_at ?? "") / 1000 - restartedAt).toBeGreaterThanOrEqual(2);
      const [round] = gateRoundsOf(result);
      expect(round?.gates).toEqual([
        {
          gate: "healthy",
          passed: true,
          detail: expect.stringMatching(
            new RegExp(
              `^every instance of process ${canary} is RUNNING for 2s: #0 RUNNING for [2-9]s$`,
            ),
          ),
        },
      ]);
    },
  );

  gateTest(
    "onGateFailure 'cancel' cancels a deployment whose canary stays crashed",
    async ({ sim, stack: { run }, webDeployment: guid, canary, operator }) => {
      await sim.control.setInstanceState(canary, 0, "CRASHED");

      const error = await run(
        "up",
        promotion({ toStep: 2, timeoutSeconds: 1, onGateFailure: "cancel" }),
      ).catch((e: unknown) => e);
      expect((error as Error).message).toContain('Canceled it as onGateFailure: "cancel" asks');
      expect(await posts(sim)).toEqual([`/v3/deployments/${guid}/actions/cancel`]);
      expect((await operator.getDeployment(guid)).status.reason).toBe("CANCELING");
      expect(await continueEvents(sim)).toEqual([]);
    },
  );

  gateTest(
    "a webhook answering 500 blocks and one answering 200 passes; it gets the document, never a credential",
    async ({ sim, stack: { run, stateFile }, webDeployment: guid, canary, onTestFinished }) => {
      let status = 500;
      const hook = await startTinyServer((_req, res) => {
        res.statusCode = status;
        res.end(status === 500 ? "error budget exhausted" : "ok");
      });
      onTestFinished(() => hook.close());
      const gates = {
        // The path is the key, as Slack's incoming webhooks have it.
        webhook: {
          url: `${hook.url}/hooks/path-s3cret`,
          headers: { "X-Gate-Key": "gate-header-s3cret" },
        },
      };

      const error = await run("up", promotion({ toStep: 2, timeoutSeconds: 1, gates })).catch(
        (e: unknown) => e,
      );
      expect((error as { providerMessage: string }).providerMessage).toContain(
        `the webhook gate did not pass: ${hook.url}/… answered 500: error budget exhausted`,
      );
      expect(await posts(sim)).toEqual([]);

      status = 200;
      const result = await upTicking(sim, run, promotion({ toStep: 2, gates }));
      expect(await posts(sim)).toEqual([`/v3/deployments/${guid}/actions/continue`]);
      const app = sim.apps["web"];
      expect(JSON.parse(hook.seen.at(-1)?.body ?? "")).toEqual({
        kind: "cf-deployment-promotion.gate",
        deployment: {
          guid,
          droplet: expect.any(String),
          previousDroplet: expect.any(String),
        },
        app: { guid: app?.guid, name: "web" },
        space: { guid: sim.space.guid },
        step: { from: 1, to: 2, total: 3 },
        process: {
          guid: canary,
          instances: [{ index: 0, state: "RUNNING", uptime: expect.any(Number) }],
        },
      });
      // The header the stack set, and nothing of the connection.
      const password = seededUser(sim, "developer").password;
      for (const seen of hook.seen) {
        expect(seen.headers["x-gate-key"]).toBe("gate-header-s3cret");
        expect(seen.headers["authorization"]).toBeUndefined();
        expect(JSON.stringify(seen)).not.toContain(password);
        expect(seen.body.toLowerCase()).not.toMatch(/token|password|secret/);
      }
      // The header value and the URL's path are kept secret: not in the state file, not in what
      // was printed.
      expect(hook.seen.at(-1)?.url).toBe("/hooks/path-s3cret");
      for (const secret of ["gate-header-s3cret", "path-s3cret"]) {
        expect(readFileSync(stateFile, "utf8")).not.toContain(secret);
        expect(result.logs.join("\n")).not.toContain(secret);
      }
    },
  );

  gateTest(
    "a command exiting non-zero blocks and one exiting 0 passes, reading the document on stdin",
    async ({ sim, stack: { run }, webDeployment: guid, canary: _canary }) => {
      const script = (exit: number) =>
        `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{console.log('deployment',JSON.parse(s).deployment.guid);process.exit(${exit})})`;
      const gates = (exit: number) => ({
        command: { argv: [process.execPath, "-e", script(exit)] },
      });

      const error = await run(
        "up",
        promotion({ toStep: 2, timeoutSeconds: 2, gates: gates(4) }),
      ).catch((e: unknown) => e);
      expect((error as { providerMessage: string }).providerMessage).toContain(
        `exited with 4; last output: deployment ${guid} (still failing at the deadline`,
      );
      expect(await posts(sim)).toEqual([]);

      const result = await upTicking(sim, run, promotion({ toStep: 2, gates: gates(0) }));
      expect(await posts(sim)).toEqual([`/v3/deployments/${guid}/actions/continue`]);
      const [round] = gateRoundsOf(result);
      expect(round?.gates.map((g) => g.gate)).toEqual(["healthy", "command"]);
      expect(round?.gates[1]?.detail).toMatch(
        new RegExp(`exited with 0; last output: deployment ${guid}$`),
      );
    },
  );
});

describe("examples/promote-with-gates through the real provider host", { timeout: 60_000 }, () => {
  gateTest.override({ simOptions: { tickMs: 0 } });

  gateTest(
    "promotes through every gate it declares, sending the token it is given and storing it nowhere in plain text",
    async ({ sim, stack: { run, stateFile }, webDeployment: guid, canary, onTestFinished }) => {
      const hook = await startTinyServer((_req, res) => res.end("ok"));
      onTestFinished(() => hook.close());
      const config = stackConfig(sim, {
        toStep: "2",
        gateUrl: { secret: `${hook.url}/gates/web` },
        gateToken: { secret: "example-gate-token" },
        healthySeconds: "0",
        soakSeconds: "1",
        smokeTest: JSON.stringify([process.execPath, "-e", "console.log('smoke ok')"]),
      });
      const result = await upTicking(
        sim,
        (op, program) => run(op, program, config),
        promoteWithGates,
      );

      expect(await posts(sim)).toEqual([`/v3/deployments/${guid}/actions/continue`]);
      expect(hook.seen.map((r) => r.headers["authorization"])).toEqual([
        "Bearer example-gate-token",
      ]);
      const [round] = gateRoundsOf(result);
      expect(round?.gates.map((g) => [g.gate, g.passed])).toEqual([
        ["healthy", true],
        ["soak", true],
        ["webhook", true],
        ["command", true],
      ]);
      expect(round?.gates[0]?.detail).toBe(
        `every instance of process ${canary} is RUNNING: #0 RUNNING`,
      );
      expect(round?.gates[3]?.detail).toMatch(/exited with 0; last output: smoke ok$/);
      for (const secret of ["example-gate-token", "/gates/web"]) {
        expect(readFileSync(stateFile, "utf8")).not.toContain(secret);
        expect(result.logs.join("\n")).not.toContain(secret);
      }
      expect(result.logs).toContain(
        `plan: before each continue, the gates healthy (every instance RUNNING), soak (1s paused at the step), webhook (POST ${hook.url}/…, 10s, 1 secret header), command (${process.execPath}, 120s) (onGateFailure: cancel)`,
      );
    },
  );
});

describe("the soak gate on the simulator's clock, an hour behind the provider's", {
  timeout: 60_000,
}, () => {
  const HOUR = 3_600_000;
  gateTest.override({ simOptions: { tickMs: 0, now: () => Date.now() - HOUR } });

  gateTest(
    "is not shortened by the skew: the continue comes soakSeconds after the pause, server time",
    async ({ sim, stack: { run }, webDeployment: guid, canary: _canary, operator }) => {
      const pausedAt = Date.parse(
        (await operator.getDeployment(guid)).status.details.last_status_change,
      );
      // Measured on the provider's clock, the pause would look an hour old already.
      expect(Date.now() - pausedAt).toBeGreaterThan(HOUR - 60_000);

      const result = await upTicking(sim, run, promotion({ toStep: 2, gates: { soakSeconds: 2 } }));
      const [event] = await continueEvents(sim);
      expect(Date.parse(event?.created_at ?? "") - pausedAt).toBeGreaterThanOrEqual(2000);
      const [round] = gateRoundsOf(result);
      expect(round?.gates[1]).toEqual({
        gate: "soak",
        passed: true,
        detail: expect.stringMatching(/^paused for [3-9]s of 2s on the Cloud Controller's clock$/),
      });
    },
  );
});
