import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTinyServer, type TinyServer } from "../support/tiny-server.js";
import { continuesRecorded, USER, writesSent } from "./cli-simulator.js";
import { webPromotionProgram } from "./consumer-project.js";
import { useConsumerStack } from "./consumer-stack.js";
import { PROMOTION_TYPE, resourcesOfType } from "./pulumi-stack.js";

const PROJECT = "promotion-gates";
const PROGRAM = webPromotionProgram(`toStep: 2,
  pollIntervalSeconds: 0.2,
  timeoutSeconds: config.requireNumber("timeout"),
  gates: {
    webhook: {
      url: config.requireSecret("hookUrlSecret"),
      timeoutSeconds: 2,
      headers: { "X-Gate-Key": config.requireSecret("hookSecret") },
    },
  },`);

const HEADER_VALUE = "gate-key-from-stack-config";
const PATH_KEY = "path-key-s3cret";

// A webhook gate under the real CLI and engine: it holds the continue while it answers 500, lets
// it through at 200, never receives the connection's credentials, and its header value (from a
// secret config value) and its URL are kept encrypted in the checkpoint and never printed.
describe("pulumi up with a webhook gate", () => {
  const ctx = useConsumerStack({ name: PROJECT, program: PROGRAM, apps: [{ name: "web" }] });
  let status = 500;
  let hook: TinyServer;

  beforeAll(async () => {
    hook = await startTinyServer((_req, res) => {
      res.statusCode = status;
      res.end(status === 500 ? "error budget exhausted" : "ok");
    });
    await ctx.stack.setConfig({
      // The path is the key, as Slack's incoming webhooks have it; set with --secret, since the
      // engine keeps the stack's configuration in the default provider's state too.
      [`${PROJECT}:hookUrlSecret`]: `${hook.url}/hooks/${PATH_KEY}`,
      [`${PROJECT}:hookSecret`]: HEADER_VALUE,
      [`${PROJECT}:timeout`]: "4",
    });
  });
  afterAll(() => hook.close());

  it("a webhook answering 500 blocks the continue, one answering 200 lets it through; no credential reaches it, its header stays secret", async () => {
    const web = ctx.sim.deployments["web"] ?? "";
    const preview = await ctx.stack.pulumi(["preview"]);
    expect(preview.code, preview.output).toBe(0);
    expect(preview.stdout).toContain(
      `plan: before each continue, the gates healthy (every instance RUNNING), webhook (POST ${hook.url}/…, 2s, 1 secret header) (onGateFailure: fail)`,
    );

    const blocked = await ctx.stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(blocked.code, blocked.output).not.toBe(0);
    expect(blocked.output).toContain(
      `the webhook gate did not pass: ${hook.url}/… answered 500: error budget exhausted`,
    );
    expect(await writesSent(ctx.sim)).toEqual([]);
    expect(hook.seen.length).toBeGreaterThan(0);

    status = 200;
    const up = await ctx.stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code, up.output).toBe(0);
    expect(await continuesRecorded(ctx.sim, web)).toHaveLength(1);

    for (const seen of hook.seen) {
      expect(seen.headers["x-gate-key"]).toBe(HEADER_VALUE);
      expect(seen.headers["authorization"]).toBeUndefined();
      expect(seen.body).not.toContain(USER.password);
      expect(JSON.parse(seen.body)).toMatchObject({ deployment: { guid: web }, step: { from: 1 } });
    }
    expect(hook.seen.at(-1)?.url).toBe(`/hooks/${PATH_KEY}`);
    const state = await ctx.stack.exportState();
    for (const secret of [HEADER_VALUE, PATH_KEY]) {
      expect(`${preview.output}${blocked.output}${up.output}`).not.toContain(secret);
      expect(JSON.stringify(state)).not.toContain(secret);
    }
    const [promotion] = resourcesOfType(state, PROMOTION_TYPE);
    expect(promotion?.outputs?.["gateResults"]).toEqual([
      expect.objectContaining({ fromStep: 1, toStep: 2, passed: true }),
    ]);
  });
});
