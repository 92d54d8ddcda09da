import { createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
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
  /**
   * Interforce extension (RFC 7517 §4 allows extra members): NumericDate after which a key
   * that is being rotated out stops verifying. Absent on the current signing key.
   */
  exp?: number;
};
export type Jwks = { keys: Jwk[] };
export type SigningKey = { kid: string; privateKeyPem: string };

const JwksFile = z.object({
  keys: z.array(z.looseObject({ kty: z.string().min(1), kid: z.string().min(1) })).min(1),
});

const KID = /^[A-Za-z0-9_-]{8,64}$/;

/** How long a rotated-out key keeps verifying by default: every token it signed expires first. */
export const DEFAULT_KEY_OVERLAP_SEC = 12 * 60 * 60 + 60;

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
export function publishOnce(path: string, content: string): boolean {
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
  return readJwksFile(jwksPath(home));
}

/** Parses a JWKS file at any path (a provisioned one need not live in an Interforce home). */
export function readJwksFile(path: string): Jwks {
  const parsed = JwksFile.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) throw new Error(`${path} is not a valid JWKS: ${parsed.error.message}`);
  return parsed.data as Jwks;
}

/** Whether a published key is past the end of its rotation overlap. */
export function isRetired(jwk: Jwk, nowMs: number = Date.now()): boolean {
  return typeof jwk.exp === "number" && nowMs / 1000 >= jwk.exp;
}

/**
 * The current signing key: the first JWKS entry that is not being rotated out and whose
 * private key is on disk. Rotation puts the new key first, so tokens are always signed
 * with the newest key while older ones still verify.
 */
export function loadSigningKey(home: string = interforceHome()): SigningKey {
  const jwks = loadJwks(home);
  const current = jwks.keys.find((k) => k.exp === undefined && KID.test(k.kid) && existsSync(privateKeyPath(home, k.kid)));
  if (!current) {
    throw new Error(`No private key in ${keysDir(home)} matches ${jwksPath(home)}; delete that directory to regenerate dev keys.`);
  }
  const privateKeyPem = readFileSync(privateKeyPath(home, current.kid), "utf8");
  // Fail here, not at verification time, if the files on disk have been mixed up.
  const listed = createPublicKey({ key: { ...current }, format: "jwk" });
  if (!listed.equals(createPublicKey(privateKeyPem))) {
    throw new Error(`private-${current.kid}.pem does not match its JWKS entry`);
  }
  return { kid: current.kid, privateKeyPem };
}

/** Replaces the JWKS in one step (write, then rename), so a verifier re-reading it never sees half a file. */
function replaceJwks(home: string, jwks: Jwks): void {
  const path = jwksPath(home);
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(jwks, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  renameSync(tmp, path);
}

export interface RotationResult {
  kid: string;
  /** Keys still published, with the time (NumericDate) they stop verifying. */
  retiring: { kid: string; exp: number }[];
  /** Keys removed because their overlap had ended. */
  removed: string[];
}

/**
 * Dev IdP key rotation (RFC 7517 key sets, RFC 8725 §3.10): a new key pair becomes the
 * signing key at once; the previous keys stay published for `overlapSeconds` so tokens
 * they signed keep verifying until they expire, then stop verifying, and are removed at
 * the next rotation. Verifiers re-read the JWKS file, so no service needs a restart.
 */
export function rotateDevKeys(home: string = interforceHome(), opts: { overlapSeconds?: number; now?: number } = {}): RotationResult {
  const overlap = opts.overlapSeconds ?? DEFAULT_KEY_OVERLAP_SEC;
  if (!Number.isInteger(overlap) || overlap < 0) throw new RangeError("overlapSeconds must be a whole number of seconds");
  const nowMs = opts.now ?? Date.now();
  ensureDevKeys(home);
  const old = loadJwks(home).keys;
  const removed = old.filter((k) => isRetired(k, nowMs)).map((k) => k.kid);
  const kept = old.filter((k) => !isRetired(k, nowMs)).map((k) => (k.exp === undefined ? { ...k, exp: Math.floor(nowMs / 1000) + overlap } : k));

  const kid = randomBytes(8).toString("hex");
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const { n, e } = publicKey.export({ format: "jwk" });
  writeFileSync(privateKeyPath(home, kid), privateKey.export({ type: "pkcs8", format: "pem" }).toString(), { mode: 0o600, flag: "wx" });
  replaceJwks(home, { keys: [{ kty: "RSA", n, e, kid, alg: "RS256", use: "sig" }, ...kept] });
  for (const gone of removed) {
    if (KID.test(gone) && existsSync(privateKeyPath(home, gone))) unlinkSync(privateKeyPath(home, gone));
  }
  return { kid, retiring: kept.map((k) => ({ kid: k.kid, exp: k.exp! })), removed };
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
