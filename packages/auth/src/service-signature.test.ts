import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError } from "./errors.js";
import { ensureServiceSecret } from "./keys.js";
import { signServiceRequest, verifyServiceRequest } from "./service-signature.js";

let home: string;
let secret: string;
const body = JSON.stringify({ query: "{ deconflict(selector: \"abc\") { hits } }" });
const now = 1_700_000_000_000;

function reasonOf(fn: () => unknown): string {
  try {
    fn();
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
  it("persists one 32-byte hex secret, mode 0600", () => {
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(ensureServiceSecret(home)).toBe(secret);
    expect(statSync(join(home, "keys", "service-secret")).mode & 0o777).toBe(0o600);
  });

  it("accepts a valid signature, from plain or Fetch headers", () => {
    const headers = signServiceRequest({ secret, caller: "hub", body, now });
    expect(verifyServiceRequest({ secret, headers, body, now: now + 1000 })).toBe("hub");
    expect(verifyServiceRequest({ secret, headers: new Headers(headers), body: Buffer.from(body), now })).toBe("hub");
  });

  it("rejects a tampered body", () => {
    const headers = signServiceRequest({ secret, caller: "hub", body, now });
    expect(reasonOf(() => verifyServiceRequest({ secret, headers, body: body.replace("abc", "abd"), now }))).toBe(
      "invalid service signature",
    );
  });

  it("rejects a changed caller", () => {
    const headers = { ...signServiceRequest({ secret, caller: "hub", body, now }), "x-interforce-caller": "gateway" };
    expect(reasonOf(() => verifyServiceRequest({ secret, headers, body, now }))).toBe("invalid service signature");
  });

  it("rejects a stale or future timestamp", () => {
    const headers = signServiceRequest({ secret, caller: "hub", body, now });
    expect(reasonOf(() => verifyServiceRequest({ secret, headers, body, now: now + 30_001 }))).toBe("stale service signature");
    expect(reasonOf(() => verifyServiceRequest({ secret, headers, body, now: now - 30_001 }))).toBe("stale service signature");
  });

  it("rejects the wrong secret", () => {
    const headers = signServiceRequest({ secret: "f".repeat(64), caller: "hub", body, now });
    expect(reasonOf(() => verifyServiceRequest({ secret, headers, body, now }))).toBe("invalid service signature");
  });

  it("refuses a placeholder secret", () => {
    expect(() => signServiceRequest({ secret: "", caller: "hub", body })).toThrow(/at least 32/);
  });

  it("rejects missing or malformed headers", () => {
    expect(reasonOf(() => verifyServiceRequest({ secret, headers: {}, body, now }))).toBe("missing service signature");
    const headers = { ...signServiceRequest({ secret, caller: "hub", body, now }), "x-interforce-signature": "zz" };
    expect(reasonOf(() => verifyServiceRequest({ secret, headers, body, now }))).toBe("malformed service signature");
  });
});
