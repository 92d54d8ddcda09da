import { createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { REPO_ROOT } from "@interforce/domain";
import { z } from "zod";

/** Public members only; a JWKS must never carry private parameters. */
export type Jwk = {
  kty: string;
  kid: string;
  alg?: string;
  use?: string;
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
};
export type Jwks = { keys: Jwk[] };
export type SigningKey = { kid: string; privateKeyPem: string };

const JwksFile = z.object({
  keys: z.array(z.looseObject({ kty: z.string().min(1), kid: z.string().min(1) })).min(1),
});

const KID = /^[A-Za-z0-9_-]{8,64}$/;

/** Dev-only key material lives here; the directory is git-ignored so keys never enter the repo. */
export function interforceHome(): string {
  return process.env.INTERFORCE_HOME ?? resolve(REPO_ROOT, ".interforce");
}

function keysDir(home: string): string {
  return join(home, "keys");
}

export function jwksPath(home: string = interforceHome()): string {
  return join(keysDir(home), "jwks.json");
}

function privateKeyPath(home: string, kid: string): string {
  return join(keysDir(home), `private-${kid}.pem`);
}

/**
 * Publishes `content` at `path` only if nothing is there yet. Writing a temp file and hard-linking
 * it is atomic and fails with EEXIST, so concurrent first runs (gateway and subgraphs starting
 * together) agree on one winner and readers never see a half-written file.
 */
function publishOnce(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600, flag: "wx" });
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/** Creates the dev RS256 key pair on first use; later calls reuse it. */
export function ensureDevKeys(home: string = interforceHome()): { jwksPath: string; kid: string } {
  mkdirSync(keysDir(home), { recursive: true, mode: 0o700 });
  const path = jwksPath(home);
  if (!existsSync(path)) {
    const kid = randomBytes(8).toString("hex");
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const { n, e } = publicKey.export({ format: "jwk" });
    const jwks: Jwks = { keys: [{ kty: "RSA", n, e, kid, alg: "RS256", use: "sig" }] };
    // The private key goes first so that a kid is never published without a key to sign with.
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    publishOnce(privateKeyPath(home, kid), pem);
    if (!publishOnce(path, `${JSON.stringify(jwks, null, 2)}\n`)) unlinkSync(privateKeyPath(home, kid));
  }
  return { jwksPath: path, kid: loadSigningKey(home).kid };
}

export function loadJwks(home: string = interforceHome()): Jwks {
  const path = jwksPath(home);
  const parsed = JwksFile.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) throw new Error(`${path} is not a valid JWKS: ${parsed.error.message}`);
  return parsed.data as Jwks;
}

/** The newest private key whose kid is published, so tokens we sign are always verifiable. */
export function loadSigningKey(home: string = interforceHome()): SigningKey {
  const published = new Map(loadJwks(home).keys.map((k) => [k.kid, k]));
  const newest = readdirSync(keysDir(home))
    .map((f) => /^private-(.+)\.pem$/.exec(f)?.[1])
    .filter((kid): kid is string => kid !== undefined && KID.test(kid) && published.has(kid))
    .map((kid) => ({ kid, mtime: statSync(privateKeyPath(home, kid)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)[0];
  if (!newest) {
    throw new Error(`No private key in ${keysDir(home)} matches ${jwksPath(home)}; delete that directory to regenerate dev keys.`);
  }
  const privateKeyPem = readFileSync(privateKeyPath(home, newest.kid), "utf8");
  // Fail here, not at verification time, if the files on disk have been mixed up.
  const listed = createPublicKey({ key: { ...published.get(newest.kid) }, format: "jwk" });
  if (!listed.equals(createPublicKey(privateKeyPem))) {
    throw new Error(`private-${newest.kid}.pem does not match its JWKS entry`);
  }
  return { kid: newest.kid, privateKeyPem };
}

/**
 * Shared secret for service-to-service HMAC: 32 random bytes, hex-encoded. The hex text itself is
 * the HMAC key, so it can be passed through environment variables unchanged.
 */
export function ensureServiceSecret(home: string = interforceHome()): string {
  mkdirSync(keysDir(home), { recursive: true, mode: 0o700 });
  const path = join(keysDir(home), "service-secret");
  if (!existsSync(path)) publishOnce(path, `${randomBytes(32).toString("hex")}\n`);
  const secret = readFileSync(path, "utf8").trim();
  if (!/^[0-9a-f]{64}$/.test(secret)) throw new Error(`${path} must hold 32 hex-encoded bytes`);
  return secret;
}
