import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jwt from "jsonwebtoken";
import { afterAll, describe, expect, it } from "vitest";
import { AuthError } from "./errors.js";
import { AUDIENCE, createVerifier, ISSUER, signAccessToken, type AccessTokenVerifier } from "./jwt.js";
import { fileKeySource, remoteKeySource } from "./jwks.js";
import { ensureDevKeys, jwksPath, loadJwks, loadSigningKey, rotateDevKeys } from "./keys.js";

const claims = { sub: "analyst.one", org: "KENT", roles: ["ANALYST" as const], clearance: "OFFICIAL_SENSITIVE" as const };
const nowSec = () => Math.floor(Date.now() / 1000);
const homes: string[] = [];
const servers: Server[] = [];

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), "interforce-jwks-"));
  homes.push(home);
  ensureDevKeys(home);
  return home;
}

async function reasonOf(verify: AccessTokenVerifier, token: string): Promise<string> {
  try {
    await verify(token);
  } catch (err) {
    expect(err).toBeInstanceOf(AuthError);
    return (err as AuthError).reason;
  }
  throw new Error("token was accepted");
}

/** A local HTTP server answering every request with `body`, counting the requests. */
async function serve(body: () => unknown): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body()));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/.well-known/jwks.json`, hits: () => hits };
}

/** A key pair the verifier has never heard of, as an attacker would hold. */
function attackerKey() {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomBytes(8).toString("hex");
  return { kid, privateKey, jwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" } };
}

function signWith(privateKey: unknown, header: Record<string, unknown>, payload: Record<string, unknown> = {}): string {
  return jwt.sign({ ...claims, iss: ISSUER, aud: AUDIENCE, iat: nowSec(), exp: nowSec() + 600, ...payload }, privateKey as jwt.Secret, {
    algorithm: "RS256",
    header: { alg: "RS256", typ: "at+jwt", ...header },
  });
}

afterAll(async () => {
  for (const s of servers) await new Promise<void>((resolve) => s.close(() => resolve()));
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

describe("key rotation with an overlap window", () => {
  it("signs with the new key at once, verifies both during the overlap, and only the new one after it", async () => {
    const home = newHome();
    const oldKid = loadSigningKey(home).kid;
    const oldToken = signAccessToken(claims, { home });
    let clock = Date.now();
    const verify = createVerifier({ keys: fileKeySource(jwksPath(home), { recheckMs: 0, unknownKidRecheckMs: 0, now: () => clock }) });
    expect((await verify(oldToken)).sub).toBe(claims.sub);

    const rotation = rotateDevKeys(home, { overlapSeconds: 60, now: clock });
    expect(rotation.retiring).toEqual([{ kid: oldKid, exp: Math.floor(clock / 1000) + 60 }]);
    expect(loadSigningKey(home).kid).toBe(rotation.kid);
    const newToken = signAccessToken(claims, { home });
    expect(jwt.decode(newToken, { complete: true })!.header.kid).toBe(rotation.kid);

    // Within the overlap: both verify, with no restart of the verifier.
    expect((await verify(newToken)).sub).toBe(claims.sub);
    expect((await verify(oldToken)).sub).toBe(claims.sub);

    // After it: the rotated-out key no longer verifies, even before anyone prunes the file.
    clock += 61_000;
    expect(await reasonOf(verify, oldToken)).toBe("unknown signing key");
    expect((await verify(newToken)).sub).toBe(claims.sub);

    // The next rotation removes the retired key and its private half for good.
    const next = rotateDevKeys(home, { overlapSeconds: 60, now: clock });
    expect(next.removed).toEqual([oldKid]);
    expect(loadJwks(home).keys.map((k) => k.kid)).toEqual([next.kid, rotation.kid]);
    expect(existsSync(join(home, "keys", `private-${oldKid}.pem`))).toBe(false);
  });

  it("never signs with a key that is being rotated out", () => {
    const home = newHome();
    const first = rotateDevKeys(home, { overlapSeconds: 3600 });
    const second = rotateDevKeys(home, { overlapSeconds: 3600 });
    expect(loadSigningKey(home).kid).toBe(second.kid);
    expect(loadJwks(home).keys.find((k) => k.kid === first.kid)?.exp).toBeGreaterThan(nowSec());
  });
});

describe("per-service audience", () => {
  it("rejects a token minted for another audience, and accepts one listing this service's", async () => {
    const home = newHome();
    const { privateKeyPem, kid } = loadSigningKey(home);
    const verify = createVerifier({ keys: fileKeySource(jwksPath(home)), audience: "interforce-kent" });
    expect(await reasonOf(verify, signAccessToken(claims, { home, audience: ["interforce-gateway", "interforce-hub"] }))).toBe("invalid audience");
    // The dev IdP's default names every service, this one included.
    expect((await verify(signAccessToken(claims, { home }))).org).toBe("KENT");
    const both = signWith(privateKeyPem, { kid }, { aud: ["interforce-kent", "interforce-norfolk"] });
    expect((await verify(both)).org).toBe("KENT");
  });
});

describe("a JWKS fetched from a URL (jwks-rsa)", () => {
  it("verifies by kid from its one URL, and bounds the fetches a flood of unknown kids can cause", async () => {
    const home = newHome();
    const idp = await serve(() => loadJwks(home));
    const verify = createVerifier({ keys: remoteKeySource(idp.url, { requestsPerMinute: 3 }) });
    expect((await verify(signAccessToken(claims, { home }))).org).toBe("KENT");
    const { privateKeyPem } = loadSigningKey(home);
    for (let i = 0; i < 20; i++) {
      expect(await reasonOf(verify, signWith(privateKeyPem, { kid: randomBytes(8).toString("hex") }))).toBe("unknown signing key");
    }
    expect(idp.hits()).toBeLessThanOrEqual(4);
  });

  it("ignores jku, x5u and an embedded jwk: the attacker's key set is never fetched or trusted", async () => {
    const home = newHome();
    const idp = await serve(() => loadJwks(home));
    const evil = attackerKey();
    const attacker = await serve(() => ({ keys: [evil.jwk] }));
    const verifiers = [createVerifier({ keys: remoteKeySource(idp.url) }), createVerifier({ keys: fileKeySource(jwksPath(home)) })];
    const realKid = loadSigningKey(home).kid;
    for (const verify of verifiers) {
      // Its own kid, its key set announced by URL.
      expect(await reasonOf(verify, signWith(evil.privateKey, { kid: evil.kid, jku: attacker.url }))).toBe("unknown signing key");
      expect(await reasonOf(verify, signWith(evil.privateKey, { kid: evil.kid, x5u: attacker.url }))).toBe("unknown signing key");
      // The real kid, with the attacker's key embedded or announced.
      expect(await reasonOf(verify, signWith(evil.privateKey, { kid: realKid, jwk: evil.jwk }))).toBe("invalid signature");
      expect(await reasonOf(verify, signWith(evil.privateKey, { kid: realKid, jku: attacker.url }))).toBe("invalid signature");
    }
    expect(attacker.hits()).toBe(0);
  });

  it("refuses a JWKS URL that is not https (except on this machine)", () => {
    expect(() => remoteKeySource("http://idp.example/jwks.json")).toThrow(/https/);
    expect(() => remoteKeySource("https://idp.example/jwks.json")).not.toThrow();
  });
});
