import { afterEach, describe, expect, it } from "vitest";
import { checkCommand } from "../../src/provider/gates/command-gate.js";
import { type GateDocument, gateDocumentOf } from "../../src/provider/gates/gate-document.js";
import { checkWebhook } from "../../src/provider/gates/webhook-gate.js";
import { pollUntil } from "../support/poll.js";
import { startTinyServer, type TinyServer } from "../support/tiny-server.js";

const document: GateDocument = gateDocumentOf({
  deployment: { guid: "d-1", droplet: "drop-2", previousDroplet: "drop-1" },
  app: { guid: "a-1", name: "web" },
  spaceGuid: "s-1",
  step: { from: 1, to: 2, total: 3 },
  processGuid: "p-1",
  instances: [{ index: 0, state: "RUNNING", uptime: 12 }],
});

const servers: TinyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(status: number, body = "") {
  const started = await startTinyServer((_req, res) => {
    res.statusCode = status;
    res.end(body);
  });
  servers.push(started);
  return started;
}

/** Runs `script` as the command gate, expects it to pass, and gives what it said. */
async function passingDetail(script: string): Promise<string> {
  const verdict = await checkCommand(node(script), document, 10_000);
  expect(verdict).toMatchObject({ gate: "command", passed: true });
  return verdict.detail;
}

/** Whether process `pid` still exists (signal 0 only asks). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs a Node script as the command: `node -e <script>`. */
const node = (script: string) => [process.execPath, "-e", script];

describe("the webhook gate", () => {
  it("passes on a 2xx, POSTing the document as JSON with the headers", async () => {
    const hook = await server(204);
    const headers = { Authorization: "Bearer gate-key-1" };
    const verdict = await checkWebhook({ url: `${hook.url}/gate`, headers }, document, 5000);
    expect(verdict).toEqual({
      gate: "webhook",
      passed: true,
      detail: `${hook.url}/… answered 204`,
    });
    expect(hook.seen).toHaveLength(1);
    expect(hook.seen[0]).toMatchObject({ method: "POST", url: "/gate" });
    expect(hook.seen[0]?.headers).toMatchObject({
      authorization: "Bearer gate-key-1",
      "content-type": "application/json",
    });
    expect(JSON.parse(hook.seen[0]?.body ?? "")).toEqual(document);
  });

  it("blocks on a 500 with an excerpt of the body, and never shows the path, the query or the headers", async () => {
    const hook = await server(500, "canary error rate 7%\nabove 2%");
    const verdict = await checkWebhook(
      { url: `${hook.url}/gate?key=s3cret`, headers: { "X-Key": "hdr-s3cret" } },
      document,
      5000,
    );
    expect(verdict).toEqual({
      gate: "webhook",
      passed: false,
      detail: `${hook.url}/… answered 500: canary error rate 7% above 2%`,
    });
    // A webhook whose key is its path (as Slack's are), answering with the path it was sent to.
    const echo = await startTinyServer((req, res) => {
      res.statusCode = 404;
      res.end(`no hook at ${req.url}`);
    });
    servers.push(echo);
    const keyed = await checkWebhook(
      { url: `${echo.url}/services/T0/B0/path-s3cret`, headers: {} },
      document,
      5000,
    );
    expect(keyed.detail).toBe(`${echo.url}/… answered 404: no hook at [REDACTED]`);
  });

  it("never shows a header value, not in fetch's refusal of it nor in an answer echoing it", async () => {
    const refused = await checkWebhook(
      { url: "http://127.0.0.1:9/gate", headers: { Authorization: "tok-s3cret\nsecond-line" } },
      document,
      5000,
    );
    expect(refused.passed).toBe(false);
    expect(refused.detail).toMatch(/^http:\/\/127\.0\.0\.1:9\/… could not be reached: /);
    expect(refused.detail).not.toContain("s3cret");
    const echo = await startTinyServer((req, res) => {
      res.statusCode = 403;
      res.end(`refused key ${req.headers["x-key"]}`);
    });
    servers.push(echo);
    const echoed = await checkWebhook(
      { url: echo.url, headers: { "X-Key": "hdr-s3cret-value" } },
      document,
      5000,
    );
    expect(echoed.detail).toBe(`${echo.url} answered 403: refused key [REDACTED]`);
  });

  it("blocks on a redirect without following it", async () => {
    const hook = await startTinyServer((_req, res) => {
      res.writeHead(302, { location: "https://elsewhere.example/" }).end();
    });
    servers.push(hook);
    const verdict = await checkWebhook({ url: hook.url, headers: {} }, document, 5000);
    expect(verdict).toMatchObject({ passed: false, detail: `${hook.url} answered 302` });
    expect(hook.seen).toHaveLength(1);
  });

  it("blocks when it does not answer within the timeout", async () => {
    const hook = await startTinyServer(() => {
      // Never answers.
    });
    servers.push(hook);
    const verdict = await checkWebhook({ url: hook.url, headers: {} }, document, 300);
    expect(verdict).toEqual({
      gate: "webhook",
      passed: false,
      detail: `${hook.url} gave no answer within 0.3s`,
      timedOut: true,
    });
  });
});

describe("the command gate", () => {
  it("passes on exit 0, with the document on stdin and no CF_ variable in its environment", async () => {
    process.env["CF_PASSWORD"] = "env-s3cret";
    try {
      const detail = await passingDetail(
        "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const d=JSON.parse(s);console.log('step',d.step.from,'->',d.step.to,'password',process.env.CF_PASSWORD??'none')})",
      );
      expect(detail).toMatch(/ exited with 0; last output: step 1 -> 2 password none$/);
    } finally {
      delete process.env["CF_PASSWORD"];
    }
  });

  it.each([
    {
      name: "blocks on a non-zero exit, with its last lines of output",
      script: "for (let i = 1; i <= 8; i++) console.log('line ' + i); process.exit(3)",
      timeoutMs: 10_000,
      detail: / exited with 3; last output: line 4 \| line 5 \| line 6 \| line 7 \| line 8$/,
    },
    {
      name: "kills a command that runs past its timeout",
      script: "console.log('checking'); setInterval(() => {}, 1000)",
      timeoutMs: 3000,
      detail: / was killed after 3s \(its timeout\); last output: checking$/,
    },
  ])("$name", async ({ script, timeoutMs, detail }) => {
    const verdict = await checkCommand(node(script), document, timeoutMs);
    expect(verdict.passed).toBe(false);
    expect(verdict.detail).toMatch(detail);
  });

  it("ends what the command left running, so that its open output cannot hold the gate", async () => {
    const detail = await passingDetail(
      "const c=require('child_process').spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'inherit'});c.unref();console.log('left',c.pid)",
    );
    const pid = Number(/left (\d+)$/.exec(detail)?.[1]);
    expect(pid).toBeGreaterThan(0);
    await pollUntil("the command's own child to be gone", () => !isAlive(pid));
  });

  it("names the program in its verdict, never its arguments (one may be a secret)", async () => {
    const verdict = await checkCommand(
      [process.execPath, "-e", "process.exit(0)", "--", "--token=arg-s3cret"],
      document,
      10_000,
    );
    expect(verdict).toEqual({
      gate: "command",
      passed: true,
      detail: `${process.execPath} exited with 0`,
    });
  });

  it("blocks when the program cannot be started", async () => {
    const verdict = await checkCommand(["/nonexistent/smoke-test"], document, 5000);
    expect(verdict).toEqual({
      gate: "command",
      passed: false,
      detail: "/nonexistent/smoke-test could not be started: spawn /nonexistent/smoke-test ENOENT",
    });
  });
});
