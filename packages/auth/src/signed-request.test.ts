import { describe, expect, it } from "vitest";
import { GATEWAY_SIGNATURE_MAX_SKEW_MS } from "./gateway-signature.js";
import { SERVICE_SIGNATURE_MAX_SKEW_MS } from "./service-signature.js";
import { ReplayGuard } from "./signed-request.js";

describe("ReplayGuard defaults", () => {
  it("does not forget a nonce while either signature could still accept its timestamp", () => {
    const now = 1_700_000_000_000;
    // A call signed at the far past edge of a window is accepted up to twice the skew later.
    const longest = 2 * Math.max(GATEWAY_SIGNATURE_MAX_SKEW_MS, SERVICE_SIGNATURE_MAX_SKEW_MS);
    const replay = new ReplayGuard();
    expect(replay.admit("n1", now)).toBe(true);
    expect(replay.admit("n1", now + longest)).toBe(false);
  });
});
