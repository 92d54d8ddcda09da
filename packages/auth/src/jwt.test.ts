import { spawnSync } from "node:child_process";
import { createHmac, createPublicKey } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "@interforce/domain";
import { AuthError } from "./errors.js";
import { AUDIENCE, createVerifier, ISSUER, parseBearer, signAccessToken, type AccessTokenVerifier } from "./jwt.js";
import { fileKeySource } from "./jwks.js";
import { ensureDevKeys, jwksPath, loadJwks, loadSigningKey } from "./keys.js";

const claims = { sub: "analyst.one", org: "KENT", roles: ["ANALYST" as const], clearance: "OFFICIAL_SENSITIVE" as const };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

const savedHome = process.env.INTERFORCE_HOME;
let home: string;
let verify: AccessTokenVerifier;
let kid: string;
let privateKeyPem: string;

/** Signs arbitrary header/payload with the real dev key, to reach checks beyond the signature. */
function forge(payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const full = { iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600, ...claims, ...payload };
  const defined = Object.fromEntries(Object.entries(full).filter(([, v]) => v !== undefined));
  return jwt.sign(defined, privateKeyPem, {
    algorithm: "RS256",
    header: { alg: "RS256", typ: "at+jwt", kid, ...header },
    noTimestamp: defined.iat === undefined,
  });
}

async function reasonOf(token: string, by: AccessTokenVerifier = verify): Promise<string> {
  try {
    await by(token);
  } catch (err) {
    expect(err).toBeInstanceOf(AuthError);
    return (err as AuthError).reason;
  }
  throw new Error("token was accepted");
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "interforce-auth-"));
  process.env.INTERFORCE_HOME = home;
  ensureDevKeys(home);
  ({ kid, privateKeyPem } = loadSigningKey(home));
  verify = createVerifier({ keys: fileKeySource(jwksPath(home)) });
});
afterAll(() => {
  if (savedHome === undefined) delete process.env.INTERFORCE_HOME;
  else process.env.INTERFORCE_HOME = savedHome;
  rmSync(home, { recursive: true, force: true });
});

describe("dev keys", () => {
  it("are created once, private key 0600, and reused", () => {
    expect(statSync(join(home, "keys", `private-${kid}.pem`)).mode & 0o777).toBe(0o600);
    expect(ensureDevKeys(home)).toEqual({ jwksPath: jwksPath(home), kid });
    const [jwk] = loadJwks(home).keys;
    expect(jwk).toMatchObject({ kty: "RSA", kid, alg: "RS256", use: "sig" });
    expect(Object.keys(jwk).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
  });
});

describe("verifyAccessToken", () => {
  it("returns the principal for a valid token", async () => {
    expect(await verify(signAccessToken(claims, { home }))).toEqual({ ...claims, covert: false });
    expect((await verify(signAccessToken({ ...claims, covert: true }, { home }))).covert).toBe(true);
  });

  it.each<[string, () => string, string]>([
    ["expired", () => forge({ iat: now() - 3600, exp: now() - 120 }), "token expired"],
    ["wrong iss", () => forge({ iss: "someone-else" }), "invalid issuer"],
    ["wrong aud", () => forge({ aud: "other-api" }), "invalid audience"],
    ["unknown kid", () => forge({}, { kid: "not-a-key" }), "unknown signing key"],
    ["kid with a path", () => forge({}, { kid: "../../../../../etc/passwd" }), "unknown signing key"],
    ["kid with SQL", () => forge({}, { kid: "x' UNION SELECT 'secret' --" }), "unknown signing key"],
    ["kid with a NUL", () => forge({}, { kid: "abc\u0000def" }), "unknown signing key"],
    ["non-string kid", () => forge({}, { kid: 42 }), "unknown signing key"],
    ["crit header", () => forge({}, { crit: ["exp"] }), "unsupported token"],
    ["missing kid", () => forge({}, { kid: undefined }), "unknown signing key"],
    [
      "alg none",
      () => `${b64({ alg: "none", typ: "at+jwt", kid })}.${b64({ ...claims, iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 })}.`,
      "unsupported algorithm",
    ],
    [
      "HS256 keyed with the RSA public key",
      () => {
        // The classic confusion attack: HMAC keyed with the verifier's PEM-encoded public key.
        const publicPem = createPublicKey(privateKeyPem).export({ type: "spki", format: "pem" });
        const signingInput = `${b64({ alg: "HS256", typ: "at+jwt", kid })}.${b64({ ...claims, iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 })}`;
        return `${signingInput}.${createHmac("sha256", publicPem).update(signingInput).digest("base64url")}`;
      },
      "unsupported algorithm",
    ],
    ["typ JWT", () => forge({}, { typ: "JWT" }), "invalid token type"],
    ["typ id_token", () => forge({}, { typ: "id_token" }), "invalid token type"],
    ["no typ", () => forge({}, { typ: undefined }), "invalid token type"],
    ["future nbf", () => signAccessToken(claims, { home, notBeforeSeconds: 600 }), "token not yet valid"],
    ["future iat", () => forge({ iat: now() + 86400, exp: now() + 86400 + 600 }), "token not yet valid"],
    ["lifetime over max", () => forge({ iat: now(), exp: now() + 12 * 3600 + 1 }), "token lifetime too long"],
    ["missing exp", () => forge({ exp: undefined }), "invalid token"],
    ["missing iat", () => forge({ iat: undefined }), "invalid token"],
    ["unknown org", () => forge({ org: "ATLANTIS" }), "invalid claims"],
    ["bad role", () => forge({ roles: ["GOD"] }), "invalid claims"],
    ["no roles", () => forge({ roles: [] }), "invalid claims"],
    ["bad clearance", () => forge({ clearance: "TOP_SECRET" }), "invalid claims"],
    ["empty sub", () => forge({ sub: "" }), "invalid claims"],
    ["non-boolean covert", () => forge({ covert: "yes" }), "invalid claims"],
    [
      "tampered payload",
      () => {
        const [h, , s] = signAccessToken(claims, { home }).split(".");
        return `${h}.${b64({ ...claims, clearance: "SECRET", iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 })}.${s}`;
      },
      "invalid signature",
    ],
    ["garbage", () => "not.a.jwt", "malformed token"],
  ])("rejects %s", async (_name, make, reason) => {
    expect(await reasonOf(make())).toBe(reason);
  });

  it("accepts application/at+jwt and honours clock tolerance", async () => {
    expect((await verify(forge({}, { typ: "application/at+jwt" }))).org).toBe("KENT");
    expect((await verify(forge({ iat: now() - 600, exp: now() - 5 }))).org).toBe("KENT");
  });

  it("reports only the coarse reason to callers", async () => {
    await expect(verify(forge({}, { kid: "nope" }))).rejects.toThrow(/^unknown signing key$/);
    await expect(verify(forge({ aud: "other-api" }))).rejects.toThrow(/^invalid audience$/);
  });

  it("refuses to sign bad claims or an over-long lifetime", () => {
    expect(() => signAccessToken({ ...claims, org: "ATLANTIS" }, { home })).toThrow();
    expect(() => signAccessToken(claims, { home, expiresInSeconds: 12 * 3600 + 1 })).toThrow(RangeError);
  });
});

describe("parseBearer", () => {
  it("extracts a bearer token and ignores other schemes", () => {
    expect(parseBearer("Bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(parseBearer("bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(parseBearer("Basic dXNlcjpwYXNz")).toBeUndefined();
    expect(parseBearer("Bearer ")).toBeUndefined();
    expect(parseBearer("Bearer a b")).toBeUndefined();
    expect(parseBearer(undefined)).toBeUndefined();
  });
});

describe("token CLI", () => {
  const tsx = resolve(REPO_ROOT, "node_modules/.bin/tsx");
  const cli = resolve(REPO_ROOT, "packages/auth/src/token-cli.ts");
  const run = (...args: string[]) => spawnSync(tsx, [cli, ...args], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, INTERFORCE_HOME: home } });

  it("prints only a verifiable token", async () => {
    const out = run("--org", "ESSEX", "--role", "OFFICER", "--role", "ANALYST", "--clearance", "SECRET", "--covert", "--sub", "pc.smith");
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(await verify(out.stdout.trim())).toEqual({
      sub: "pc.smith",
      org: "ESSEX",
      roles: ["OFFICER", "ANALYST"],
      clearance: "SECRET",
      covert: true,
    });
  });

  it("rotates the signing key, keeping the old one verifiable for the overlap", async () => {
    const before = signAccessToken(claims, { home });
    const out = run("--rotate-key", "--overlap", "600");
    expect(out.status).toBe(0);
    const kid = out.stdout.trim();
    expect(loadSigningKey(home).kid).toBe(kid);
    expect(loadJwks(home).keys.map((k) => k.kid)[0]).toBe(kid);
    expect((await verify(signAccessToken(claims, { home }))).sub).toBe(claims.sub);
    expect((await verify(before)).sub).toBe(claims.sub);
    expect(run("--rotate-key", "--overlap", "soon").status).toBe(2);
  });

  it("refuses to mint or rotate where no stack has made a key, and makes none", () => {
    const empty = mkdtempSync(join(tmpdir(), "interforce-nokeys-"));
    try {
      for (const args of [["--org", "KENT", "--role", "ANALYST", "--clearance", "OFFICIAL"], ["--rotate-key"]]) {
        const out = spawnSync(tsx, [cli, ...args], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, INTERFORCE_HOME: empty } });
        expect(out.status).toBe(1);
        expect(out.stdout).toBe("");
        expect(out.stderr).toMatch(/no signing key in .*start the stack first.*INTERFORCE_HOME/);
        expect(existsSync(jwksPath(empty))).toBe(false);
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it.each([
    [["--org", "ATLANTIS", "--role", "ANALYST", "--clearance", "OFFICIAL"], /unknown org/],
    [["--org", "KENT", "--role", "GOD", "--clearance", "OFFICIAL"], /unknown role/],
    [["--org", "KENT", "--role", "ANALYST", "--clearance", "TOP_SECRET"], /unknown clearance/],
    [["--org", "KENT", "--role", "ANALYST", "--clearance", "OFFICIAL", "--ttl", "43201"], /--ttl/],
  ])("exits 2 on bad input %j", (args, message) => {
    const out = run(...args);
    expect(out.status).toBe(2);
    expect(out.stdout).toBe("");
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
    expect(out.stderr).toMatch(message);
  });
});
