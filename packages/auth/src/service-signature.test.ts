import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError } from "./errors.js";
import { ReplayGuard } from "./signed-request.js";
import { ensureServiceSecret } from "./keys.js";
import {
  CALLER_HEADER,
  deriveServiceSecret,
  NONCE_HEADER,
  SERVICE_SIGNATURE_MAX_SKEW_MS,
  SIGNATURE_HEADER,
  signServiceRequest,
  TIMESTAMP_HEADER,
  verifyServiceRequest,
  type ServiceSignatureHeaders,
} from "./service-signature.js";

let home: string;
let secret: string;
const body = JSON.stringify({ query: '{ deconflict(selector: "abc") { hits } }' });
const now = 1_700_000_000_000;
/** A hub → KENT call, as the hub's ForceClient makes it. */
const call = { caller: "HUB", target: "KENT", method: "POST", path: "/internal/hub-query" } as const;

function sign(over: Partial<Parameters<typeof signServiceRequest>[0]> = {}): ServiceSignatureHeaders {
  return signServiceRequest({ secret, ...call, body, now, ...over });
}

/** Verifies as KENT's /internal/hub-query would, with a fresh replay guard unless one is given. */
function verify(headers: ServiceSignatureHeaders | Record<string, string> | Headers, over: Partial<Parameters<typeof verifyServiceRequest>[0]> = {}) {
  return verifyServiceRequest({
    secret,
    target: call.target,
    method: call.method,
    path: call.path,
    headers,
    body,
    replay: new ReplayGuard(),
    now,
    ...over,
  });
}

async function reasonOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AuthError);
    return (err as AuthError).reason;
  }
  throw new Error("request was accepted");
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "interforce-auth-"));
  secret = ensureServiceSecret(home);
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("service signatures", () => {
  it("persists one 32-byte hex secret, mode 0600", async () => {
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(ensureServiceSecret(home)).toBe(secret);
    expect(statSync(join(home, "keys", "service-secret")).mode & 0o777).toBe(0o600);
  });

  it("accepts a valid signature, from plain or Fetch headers, and names the caller", async () => {
    expect(await verify(sign(), { now: now + 1000 })).toBe("HUB");
    expect(await verify(new Headers(sign()), { body: Buffer.from(body) })).toBe("HUB");
  });

  it("carries a fresh random nonce on every call", async () => {
    const a = sign();
    const b = sign();
    expect(a[NONCE_HEADER]).toMatch(/^[0-9a-f]{32}$/);
    expect(a[NONCE_HEADER]).not.toBe(b[NONCE_HEADER]);
    expect(a[SIGNATURE_HEADER]).not.toBe(b[SIGNATURE_HEADER]);
  });

  it("refuses a replayed call: the same signed request is accepted once per receiving guard", async () => {
    const replay = new ReplayGuard();
    const headers = sign();
    expect(await verify(headers, { replay })).toBe("HUB");
    expect(await reasonOf(() => verify(headers, { replay, now: now + 500 }))).toBe("replayed service signature");
    // A new call, with its own nonce, is still accepted.
    expect(await verify(sign(), { replay })).toBe("HUB");
  });

  it("refuses a call sent to another path, with another method or a query string added", async () => {
    const headers = sign();
    expect(await reasonOf(() => verify(headers, { path: "/internal/index" }))).toBe("invalid service signature");
    expect(await reasonOf(() => verify(headers, { path: "/internal/hub-query?x=1" }))).toBe("invalid service signature");
    expect(await reasonOf(() => verify(headers, { method: "GET" }))).toBe("invalid service signature");
  });

  it("refuses a call sent to another target, even one that holds the same secret", async () => {
    // KENT's secret signs both hub → KENT and KENT → hub calls: the target keeps them apart.
    const toKent = sign();
    expect(await reasonOf(() => verify(toKent, { target: "HUB" }))).toBe("invalid service signature");
    const toHub = sign({ caller: "KENT", target: "HUB" });
    expect(await reasonOf(() => verify(toHub))).toBe("invalid service signature");
  });

  it("refuses a tampered body", async () => {
    expect(await reasonOf(() => verify(sign(), { body: body.replace("abc", "abd") }))).toBe("invalid service signature");
  });

  it("refuses a changed caller, timestamp or nonce", async () => {
    const headers = sign();
    expect(await reasonOf(() => verify({ ...headers, [CALLER_HEADER]: "KENT" }))).toBe("invalid service signature");
    expect(await reasonOf(() => verify({ ...headers, [TIMESTAMP_HEADER]: String(now + 1) }))).toBe("invalid service signature");
    expect(await reasonOf(() => verify({ ...headers, [NONCE_HEADER]: "0".repeat(32) }))).toBe("invalid service signature");
  });

  it("refuses a stale or future timestamp, with a window of at most ten seconds", async () => {
    expect(SERVICE_SIGNATURE_MAX_SKEW_MS).toBeLessThanOrEqual(10_000);
    const headers = sign();
    expect(await reasonOf(() => verify(headers, { now: now + SERVICE_SIGNATURE_MAX_SKEW_MS + 1 }))).toBe("stale service signature");
    expect(await reasonOf(() => verify(headers, { now: now - SERVICE_SIGNATURE_MAX_SKEW_MS - 1 }))).toBe("stale service signature");
    expect(await reasonOf(() => verify(sign({ now: now - 30_000 })))).toBe("stale service signature");
  });

  it("lets only a correctly signed call spend a nonce", async () => {
    const replay = new ReplayGuard();
    const genuine = sign();
    const forged = { ...genuine, [SIGNATURE_HEADER]: "ab".repeat(32) };
    expect(await reasonOf(() => verify(forged, { replay }))).toBe("invalid service signature");
    expect(await reasonOf(() => verify(genuine, { replay, body: `${body} ` }))).toBe("invalid service signature");
    expect(replay.size).toBe(0);
    expect(await verify(genuine, { replay })).toBe("HUB");
  });

  it("refuses another secret, including another force's derived secret", async () => {
    expect(await reasonOf(() => verify(sign({ secret: "f".repeat(64) })))).toBe("invalid service signature");
    const master = "m".repeat(64);
    const kent = deriveServiceSecret(master, "KENT");
    const essex = deriveServiceSecret(master, "ESSEX");
    expect(await reasonOf(() => verify(sign({ secret: essex }), { secret: kent }))).toBe("invalid service signature");
    expect(await verify(sign({ secret: kent }), { secret: kent })).toBe("HUB");
  });

  it("resolves the secret from the claimed caller, and refuses what the resolver refuses", async () => {
    const master = "m".repeat(64);
    const headers = sign({ secret: deriveServiceSecret(master, "KENT"), caller: "KENT", target: "HUB" });
    const secretOf = (caller: string) => {
      if (caller === "HUB") throw new AuthError("unknown caller");
      return deriveServiceSecret(master, caller);
    };
    expect(await verify(headers, { secret: secretOf, target: "HUB" })).toBe("KENT");
    const asHub = sign({ secret: deriveServiceSecret(master, "HUB"), caller: "HUB", target: "HUB" });
    expect(await reasonOf(() => verify(asHub, { secret: secretOf, target: "HUB" }))).toBe("unknown caller");
  });

  it("refuses a placeholder secret and invalid names", async () => {
    expect(() => sign({ secret: "" })).toThrow(/at least 32/);
    expect(() => sign({ target: "KENT\nHUB" })).toThrow(/invalid service/);
    expect(() => sign({ caller: "" })).toThrow(/invalid service/);
  });

  it("refuses missing or malformed headers", async () => {
    expect(await reasonOf(() => verify({}))).toBe("missing service signature");
    const headers = sign();
    const { [NONCE_HEADER]: _nonce, ...withoutNonce } = headers;
    expect(await reasonOf(() => verify(withoutNonce))).toBe("missing service signature");
    expect(await reasonOf(() => verify({ ...headers, [SIGNATURE_HEADER]: "zz" }))).toBe("malformed service signature");
    expect(await reasonOf(() => verify({ ...headers, [NONCE_HEADER]: "short" }))).toBe("malformed service signature");
    expect(await reasonOf(() => verify({ ...headers, [TIMESTAMP_HEADER]: "12" }))).toBe("malformed service signature");
    expect(await reasonOf(() => verify({ ...headers, [CALLER_HEADER]: "HUB\nKENT" }))).toBe("malformed service signature");
  });
});
