import { describe, expect, it } from "vitest";
import { AuthError } from "./errors.js";
import { deriveGatewaySecret, GATEWAY_SIGNATURE_HEADER, signGatewayRequest, verifyGatewayRequest, type GatewayRequest } from "./gateway-signature.js";
import { ReplayGuard } from "./signed-request.js";
import { deriveServiceSecret } from "./service-signature.js";

const master = "a".repeat(64);
const secret = deriveGatewaySecret(master, "kent");
const now = 1_700_000_000_000;
const base: GatewayRequest = {
  method: "POST",
  path: "/graphql",
  headers: { authorization: "Bearer aaa.bbb.ccc", "x-purpose": "op 24/1234", "x-request-id": "r-1" },
  body: JSON.stringify({ query: "{ kent { identities { nodes { id } } } }" }),
};

function signed(req: GatewayRequest = base, opts: { subgraph?: string; secret?: string; at?: number } = {}): GatewayRequest {
  const value = signGatewayRequest({ secret: opts.secret ?? secret, subgraph: opts.subgraph ?? "kent", request: req, now: opts.at ?? now });
  return { ...req, headers: { ...(req.headers as Record<string, string>), [GATEWAY_SIGNATURE_HEADER]: value } };
}

async function reasonOf(req: GatewayRequest, opts: { replay?: ReplayGuard; at?: number; subgraph?: string } = {}): Promise<string> {
  try {
    await verifyGatewayRequest({ secret, subgraph: opts.subgraph ?? "kent", request: req, replay: opts.replay ?? new ReplayGuard(), now: opts.at ?? now });
  } catch (err) {
    expect(err).toBeInstanceOf(AuthError);
    return (err as AuthError).reason;
  }
  return "accepted";
}

const withHeaders = (req: GatewayRequest, over: Record<string, string | undefined>): GatewayRequest => ({
  ...req,
  headers: { ...(req.headers as Record<string, string>), ...over },
});

describe("gateway signatures", () => {
  it("accepts a call signed for this subgraph, from plain or Fetch headers", async () => {
    expect(await reasonOf(signed())).toBe("accepted");
    const s = signed();
    const fetchHeaders = new Headers(s.headers as Record<string, string>);
    expect(await reasonOf({ ...s, headers: fetchHeaders, body: Buffer.from(s.body as string) })).toBe("accepted");
  });

  it.each<[string, (s: GatewayRequest) => GatewayRequest]>([
    ["another body", (s) => ({ ...s, body: (s.body as string).replace("identities", "forums") })],
    ["another path", (s) => ({ ...s, path: "/graphql?x=1" })],
    ["another method", (s) => ({ ...s, method: "GET" })],
    ["another user's token", (s) => withHeaders(s, { authorization: "Bearer xxx.yyy.zzz" })],
    ["no token", (s) => withHeaders(s, { authorization: undefined })],
    ["another purpose", (s) => withHeaders(s, { "x-purpose": "fishing" })],
    ["another request id", (s) => withHeaders(s, { "x-request-id": "r-2" })],
  ])("rejects the signature of one call used for %s", async (_name, change) => {
    expect(await reasonOf(change(signed()))).toBe("invalid gateway signature");
  });

  it("rejects a call signed for another subgraph or with another subgraph's secret", async () => {
    expect(await reasonOf(signed(base, { subgraph: "norfolk" }))).toBe("invalid gateway signature");
    expect(await reasonOf(signed(base, { secret: deriveGatewaySecret(master, "norfolk") }))).toBe("invalid gateway signature");
    // A force's own service secret (it calls the hub with it) does not sign as the gateway.
    expect(await reasonOf(signed(base, { secret: deriveServiceSecret(master, "KENT") }))).toBe("invalid gateway signature");
  });

  it("rejects a stale or future timestamp", async () => {
    expect(await reasonOf(signed(base, { at: now - 30_001 }))).toBe("stale gateway signature");
    expect(await reasonOf(signed(base, { at: now + 30_001 }))).toBe("stale gateway signature");
    expect(await reasonOf(signed(base, { at: now - 29_000 }))).toBe("accepted");
  });

  it("accepts a call once: a replay within the window is refused", async () => {
    const replay = new ReplayGuard();
    const s = signed();
    expect(await reasonOf(s, { replay })).toBe("accepted");
    expect(await reasonOf(s, { replay, at: now + 1000 })).toBe("replayed gateway signature");
    expect(await reasonOf(signed(), { replay })).toBe("accepted");
  });

  it("forgets nonces only once their timestamps could no longer be accepted", async () => {
    const replay = new ReplayGuard({ ttlMs: 65_000 });
    expect(replay.admit("n1", now)).toBe(true);
    expect(replay.admit("n1", now + 64_000)).toBe(false);
    expect(replay.admit("n2", now + 66_000)).toBe(true);
    expect(replay.size).toBe(1);
    expect(replay.admit("n1", now + 66_000)).toBe(true);
  });

  it("spends no nonce on a forgery, and fails closed when full", async () => {
    const replay = new ReplayGuard({ maxEntries: 1 });
    const forged = withHeaders(signed(), { authorization: "Bearer other" });
    expect(await reasonOf(forged, { replay })).toBe("invalid gateway signature");
    expect(replay.size).toBe(0);
    expect(await reasonOf(signed(), { replay })).toBe("accepted");
    expect(await reasonOf(signed(), { replay })).toBe("replayed gateway signature");
  });

  it.each([
    ["missing", undefined, "missing gateway signature"],
    ["empty", "", "missing gateway signature"],
    ["garbage", "yes-it-is-me", "malformed gateway signature"],
    ["short mac", `v1;t=${now};n=${"0".repeat(32)};s=abcd`, "malformed gateway signature"],
    ["all zeros", `v1;t=${now};n=${"0".repeat(32)};s=${"0".repeat(64)}`, "invalid gateway signature"],
  ])("rejects a %s signature header", async (_name, value, reason) => {
    expect(await reasonOf(withHeaders(base, { [GATEWAY_SIGNATURE_HEADER]: value }))).toBe(reason);
  });

  it("keeps the secrets of different subgraphs apart", async () => {
    expect(deriveGatewaySecret(master, "kent")).not.toBe(deriveGatewaySecret(master, "norfolk"));
    expect(deriveGatewaySecret(master, "kent")).not.toBe(deriveServiceSecret(master, "kent"));
    expect(() => deriveGatewaySecret("short", "kent")).toThrow();
    expect(() => deriveGatewaySecret(master, "Kent\n")).toThrow();
  });
});
