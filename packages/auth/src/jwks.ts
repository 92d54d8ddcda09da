import { createPublicKey, type KeyObject } from "node:crypto";
import { statSync } from "node:fs";
import jwksRsa from "jwks-rsa";
import { isRetired, jwksPath, readJwksFile, type Jwk, type Jwks } from "./keys.js";

export type Alg = "RS256" | "ES256";

export interface TrustedKey {
  kid: string;
  alg: Alg;
  key: KeyObject;
}

/**
 * Where a verifier finds the key a token names by `kid`. A source only ever reads the one
 * JWKS it was configured with: a token's `jku`, `x5u`, `jwk` or `x5c` header never makes
 * it fetch or trust anything else (RFC 8725 §3.10).
 */
export interface KeySource {
  get(kid: string): Promise<TrustedKey | undefined>;
}

/**
 * Key ids we will look up at all. Anything with a slash, a quote, whitespace or other
 * punctuation (a path, SQL, a URL) is refused before any lookup, whatever the source.
 */
export const KID_FORMAT = /^[A-Za-z0-9_.=-]{1,128}$/;

function algFor(key: KeyObject): Alg {
  if (key.asymmetricKeyType === "rsa") {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new Error("RSA modulus under 2048 bits");
    return "RS256";
  }
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") return "ES256";
  throw new Error("unsupported key type");
}

/**
 * The algorithm is a property of the key, never of the token (RFC 8725 §3.1): each key is
 * bound to exactly one algorithm here, so a token cannot pick HS256 or "none" to change how
 * its signature is interpreted.
 */
export function trustJwk(jwk: Jwk): TrustedKey {
  let publicJwk: Record<string, string | undefined>;
  if (jwk.kty === "RSA") publicJwk = { kty: "RSA", n: jwk.n, e: jwk.e };
  else if (jwk.kty === "EC" && jwk.crv === "P-256") publicJwk = { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y };
  else throw new Error(`JWKS key ${jwk.kid}: unsupported key type`);
  if (jwk.use !== undefined && jwk.use !== "sig") throw new Error(`JWKS key ${jwk.kid}: not a signing key`);
  const key = createPublicKey({ key: publicJwk, format: "jwk" });
  let alg: Alg;
  try {
    alg = algFor(key);
  } catch (err) {
    throw new Error(`JWKS key ${jwk.kid}: ${(err as Error).message}`, { cause: err });
  }
  if (jwk.alg !== undefined && jwk.alg !== alg) throw new Error(`JWKS key ${jwk.kid}: alg ${jwk.alg} does not fit its key`);
  return { kid: jwk.kid, alg, key };
}

function indexJwks(jwks: Jwks): Map<string, { jwk: Jwk; trusted: TrustedKey }> {
  const keys = new Map<string, { jwk: Jwk; trusted: TrustedKey }>();
  for (const jwk of jwks.keys) {
    if (keys.has(jwk.kid)) throw new Error(`JWKS lists kid ${jwk.kid} twice`);
    keys.set(jwk.kid, { jwk, trusted: trustJwk(jwk) });
  }
  return keys;
}

/** A fixed key set, e.g. for tests. Keys past their rotation overlap (`exp`) no longer verify. */
export function staticKeySource(jwks: Jwks, now: () => number = Date.now): KeySource {
  const keys = indexJwks(jwks);
  return {
    async get(kid) {
      const entry = keys.get(kid);
      return entry && !isRetired(entry.jwk, now()) ? entry.trusted : undefined;
    },
  };
}

/**
 * A JWKS file on local disk (the dev IdP's, or one provisioned by deployment), re-read when
 * it changes so a rotation takes effect without restarting anything. The file is checked
 * at most every `recheckMs`, and again on an unknown kid (a new key may just have been
 * published) at most every `unknownKidRecheckMs`. If the file turns unreadable the last
 * good set stays in force rather than letting every token in or out.
 */
export function fileKeySource(path: string, opts: { recheckMs?: number; unknownKidRecheckMs?: number; now?: () => number } = {}): KeySource {
  const recheckMs = opts.recheckMs ?? 1000;
  const unknownKidRecheckMs = opts.unknownKidRecheckMs ?? 250;
  const now = opts.now ?? Date.now;
  let keys = indexJwks(readJwksFile(path));
  let stamp = fileStamp(path);
  let checkedAt = now();

  const refresh = () => {
    checkedAt = now();
    try {
      const current = fileStamp(path);
      if (current === stamp) return;
      keys = indexJwks(readJwksFile(path));
      stamp = current;
    } catch {
      // keep the last good key set
    }
  };

  return {
    async get(kid) {
      if (now() - checkedAt >= recheckMs) refresh();
      let entry = keys.get(kid);
      if (!entry && now() - checkedAt >= unknownKidRecheckMs) {
        refresh();
        entry = keys.get(kid);
      }
      return entry && !isRetired(entry.jwk, now()) ? entry.trusted : undefined;
    },
  };
}

function fileStamp(path: string): string {
  const st = statSync(path);
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

/**
 * The IdP's published JWKS over HTTPS, through jwks-rsa: keys are cached (`cacheMaxAgeMs`;
 * a key removed at the IdP stops verifying once its cache entry ages out), and an unknown
 * kid makes at most `requestsPerMinute` fetches of this one URL, so a flood of invented
 * kids can neither reach other hosts nor hammer the IdP.
 */
export function remoteKeySource(uri: string, opts: { cacheMaxAgeMs?: number; requestsPerMinute?: number; timeoutMs?: number } = {}): KeySource {
  const url = new URL(uri);
  const local = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "::1";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) throw new Error(`JWKS URL must be https: ${uri}`);
  const client = new jwksRsa.JwksClient({
    jwksUri: url.toString(),
    cache: true,
    cacheMaxEntries: 20,
    cacheMaxAge: opts.cacheMaxAgeMs ?? 5 * 60_000,
    rateLimit: true,
    jwksRequestsPerMinute: opts.requestsPerMinute ?? 10,
    timeout: opts.timeoutMs ?? 5000,
  });
  return {
    async get(kid) {
      let signing: jwksRsa.SigningKey;
      try {
        signing = await client.getSigningKey(kid);
      } catch {
        // Not found, rate-limited or unreachable: all mean "no key we trust".
        return undefined;
      }
      try {
        const key = createPublicKey(signing.getPublicKey());
        const alg = algFor(key);
        if (signing.alg && signing.alg !== alg) return undefined;
        return { kid, alg, key };
      } catch {
        return undefined;
      }
    },
  };
}

/** The key source a service is configured with: `JWKS_URL` if set, else a JWKS file (the dev IdP's by default). */
export function keySourceFor(cfg: { jwksUrl?: string; jwksPath?: string }): KeySource {
  if (cfg.jwksUrl) return remoteKeySource(cfg.jwksUrl);
  return fileKeySource(cfg.jwksPath ?? jwksPath());
}
