import { createHash } from "node:crypto";

/**
 * Deterministic GUIDs: a counter hashed with a fixed namespace and formatted as a version-4 UUID.
 *
 * Two fresh simulators that perform the same operations hand out the same GUIDs, so test output
 * and benchmark fleets are reproducible, while the values still look like the random v4 GUIDs the
 * Cloud Controller issues (clients must not rely on GUID order).
 */
export class GuidGenerator {
  private counter = 0;

  /** @param namespace mixed into every hash; @default "cf-capi-sim" */
  constructor(private readonly namespace = "cf-capi-sim") {}

  /** The next GUID in the sequence. */
  next(): string {
    this.counter += 1;
    const hex = createHash("sha256").update(`${this.namespace}:${this.counter}`).digest("hex");
    const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
    return [
      hex.slice(0, 8),
      hex.slice(8, 12),
      `4${hex.slice(13, 16)}`,
      `${variant}${hex.slice(17, 20)}`,
      hex.slice(20, 32),
    ].join("-");
  }
}
