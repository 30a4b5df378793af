import { describe, expect } from "vitest";
import { abortWhenEngineGone } from "../../src/provider/engine-abort.js";
import { signalledClient } from "../../src/provider/signalled-client.js";
import { it } from "../support/client-fixture.js";
import { pausedWebDeployment } from "../support/deployments.js";
import { pollUntil } from "../support/poll.js";

// The real client under the provider call's signal: the engine goes while the client waits
// inside a continue, and the wait ends with PROMOTION_ENGINE_GONE, sending nothing more.

const GONE = "the Pulumi engine (pid 42) that started the provider host has exited";

describe("a continue whose engine goes while the client waits inside it", () => {
  it.for([
    {
      wait: "the 30 s Retry-After backoff after a Cloud Controller 503",
      fault: {
        status: 503,
        headers: { "Retry-After": "30" },
        body: {
          errors: [{ code: 10015, title: "CF-ServiceUnavailable", detail: "Service unavailable" }],
        },
      },
      sleeps: [30_000],
    },
    {
      wait: "the late-delivery watch after a router's 502",
      fault: { status: 502, body: "<html><body>502 Bad Gateway</body></html>" },
      sleeps: [5_000],
    },
  ])(
    "in $wait: rejects with the engine-gone reason, no further request",
    async ({ fault, sleeps }, { sim, client, time }) => {
      const guid = await pausedWebDeployment(sim);
      const continuePath = `/v3/deployments/${guid}/actions/continue`;
      const expected = await client.getDeployment(guid);
      await sim.control.clearRequests();
      await sim.control.addFault({ method: "POST", path: continuePath, ...fault });
      let there = true;
      const engine = abortWhenEngineGone(() => (there ? undefined : GONE), 10);
      try {
        time.duringSleep(async () => {
          there = false;
          await pollUntil("the call's abort", () => engine.signal.aborted);
        });
        const error = await signalledClient(client, engine.signal)
          .continueDeployment(guid, { expected })
          .catch((e: unknown) => e);
        expect(error).toBe(engine.signal.reason);
        expect(error).toMatchObject({ code: "PROMOTION_ENGINE_GONE" });
        expect(time.sleeps).toEqual(sleeps);
        // The POST and its read back; nothing after the wait.
        expect((await sim.control.requests()).map((r) => `${r.method} ${r.path}`)).toEqual([
          `POST ${continuePath}`,
          `GET /v3/deployments/${guid}`,
        ]);
      } finally {
        engine.stop();
      }
    },
  );
});
