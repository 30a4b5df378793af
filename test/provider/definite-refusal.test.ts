import { describe, expect, it } from "vitest";
import { createPromotion } from "../../src/provider/promotion-lifecycle.js";
import { createProviderRuntime } from "../../src/provider/provider-runtime.js";
import {
  DEPLOYMENT_GUID,
  FakePromotionClient,
  fakeApiError,
  SPACE_GUID,
} from "./fake-promotion-client.js";

/** A Cloud Controller that answers the continue after `allowed` applied ones with `status`. */
class RefusingClient extends FakePromotionClient {
  constructor(
    private readonly status: number,
    private allowed: number,
  ) {
    super();
  }

  override async continueDeployment(guid: string) {
    if (this.allowed-- > 0) return super.continueDeployment(guid);
    this.calls.push(`POST /v3/deployments/${guid}/actions/continue`);
    throw fakeApiError(this.status, this.status === 403 ? "NotAuthorized" : "Deployment not found");
  }
}

function run(client: FakePromotionClient) {
  const runtime = createProviderRuntime(
    { apiUrl: "https://api.example.test", accessToken: "SECRET-TOKEN" },
    {
      env: {},
      fileExists: () => false,
      sleep: async () => undefined,
      print: () => undefined,
      createClient: () => client,
      engineGone: () => undefined,
    },
  );
  return createPromotion(runtime, { appName: "web", spaceGuid: SPACE_GUID, __provider: "p" }).catch(
    (e) => e,
  );
}

describe("a continue the Cloud Controller refuses", () => {
  it.each([403, 404])(
    "%i: a definite refusal naming the role and scope, not an unknown outcome",
    async (status) => {
      const error = await run(new RefusingClient(status, 0));
      expect(error.name).toBe("PromotionError");
      expect(error.code).toBe("PROMOTION_REFUSED");
      expect(error.message).toContain(
        `the Cloud Controller refused to continue deployment ${DEPLOYMENT_GUID} of app web (CF API ${status}:`,
      );
      expect(error.message).toContain("it did not continue it");
      expect(error.message).toContain("Space Developer or Space Supporter");
      expect(error.message).toContain("cloud_controller.write");
      expect(error.message).not.toContain("unknown");
    },
  );

  it("after an applied continue: a partial failure that claims only that one", async () => {
    const error = await run(new RefusingClient(403, 1));
    expect(error.name).toBe("PromotionPartialFailure");
    expect(error.message).toContain("(this operation had already sent 1 continue;");
    expect(error.message).not.toContain("whose outcome is unknown");
    expect(error.properties.continues).toHaveLength(1);
  });
});
