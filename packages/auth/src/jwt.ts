import { randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { z } from "zod";
import { CLASSIFICATIONS, findOrg, loadRegistry, ROLES, subgraphName, type Principal } from "@interforce/domain";
import { AuthError } from "./errors.js";
import { KID_FORMAT, staticKeySource, type KeySource } from "./jwks.js";
import { ensureDevKeys, loadSigningKey, type Jwks } from "./keys.js";

export const ISSUER = process.env.INTERFORCE_JWT_ISSUER ?? "interforce-dev-idp";

/** The audience a service accepts: `gateway`, `hub`, or an org's subgraph name (`kent`). */
export function serviceAudience(service: string): string {
  return `interforce-${service}`;
}

/**
 * What the dev IdP puts in `aud`: every service a request passes through. The gateway hands
 * the caller's token to the subgraphs it calls and the hub to the forces it asks, so each
 * checks that the token names it; a token issued for some services is refused by the others.
 * INTERFORCE_JWT_AUDIENCE (comma-separated) replaces the list.
 */
export const AUDIENCE: string[] = process.env.INTERFORCE_JWT_AUDIENCE
  ? process.env.INTERFORCE_JWT_AUDIENCE.split(",")
      .map((a) => a.trim())
      .filter(Boolean)
  : [serviceAudience("gateway"), serviceAudience("hub"), ...loadRegistry().orgs.map((o) => serviceAudience(subgraphName(o.code)))];
export const MAX_TOKEN_LIFETIME_SEC = 12 * 60 * 60;
export const DEFAULT_TOKEN_TTL_SEC = 60 * 60;

/** RFC 9068 access-token type; stops an ID token or other JWT from the same issuer being replayed here (RFC 8725 §3.11). */
const ACCESS_TOKEN_TYP = "at+jwt";
/** Far above any real token; bounds the work done on hostile input before the signature is checked. */
const MAX_TOKEN_LENGTH = 8192;

export const AccessTokenClaims = z.object({
  sub: z.string().min(1).max(200),
  org: z.string().refine((code) => findOrg(code) !== undefined, "unknown org"),
  roles: z
    .array(z.enum(ROLES))
    .min(1)
    .transform((roles) => [...new Set(roles)]),
  clearance: z.enum(CLASSIFICATIONS),
  covert: z.boolean().default(false),
});
export type AccessTokenClaimsInput = z.input<typeof AccessTokenClaims>;

export interface SignOptions {
  expiresInSeconds?: number;
  home?: string;
  notBeforeSeconds?: number;
  /** The services the token is for (default: every service, `AUDIENCE`). */
  audience?: string[];
}

/** Signs with the dev IdP key (created on first use). Production tokens come from a real IdP. */
export function signAccessToken(claims: AccessTokenClaimsInput, opts: SignOptions = {}): string {
  const ttl = opts.expiresInSeconds ?? DEFAULT_TOKEN_TTL_SEC;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_TOKEN_LIFETIME_SEC) {
    throw new RangeError(`expiresInSeconds must be an integer in 1..${MAX_TOKEN_LIFETIME_SEC}`);
  }
  const principal = AccessTokenClaims.parse(claims);
  ensureDevKeys(opts.home);
  const { kid, privateKeyPem } = loadSigningKey(opts.home);
  return jwt.sign(principal, privateKeyPem, {
    algorithm: "RS256",
    keyid: kid,
    header: { alg: "RS256", typ: ACCESS_TOKEN_TYP },
    issuer: ISSUER,
    audience: opts.audience ?? AUDIENCE,
    expiresIn: ttl,
    ...(opts.notBeforeSeconds !== undefined && { notBefore: opts.notBeforeSeconds }),
    jwtid: randomUUID(),
  });
}

export interface VerifierOptions {
  /** Where keys come from (a JWKS file or URL); or a fixed key set. */
  keys?: KeySource;
  jwks?: Jwks;
  /** This service's expected issuer and audience (one value: its own, see serviceAudience). */
  issuer?: string;
  audience?: string;
  clockToleranceSec?: number;
  maxLifetimeSec?: number;
}

export type AccessTokenVerifier = (token: string) => Promise<Principal>;

/**
 * Builds an access-token verifier (RFC 8725, RFC 9068). Keys are resolved by `kid` only, from
 * the configured source; `jku`, `x5u`, `jwk` and `x5c` headers are ignored so a token can never
 * nominate its own key, and a kid that is not plain key-id text is refused before any lookup.
 */
export function createVerifier(opts: VerifierOptions): AccessTokenVerifier {
  const issuer = opts.issuer ?? ISSUER;
  const audience = opts.audience ?? serviceAudience("gateway");
  const tolerance = opts.clockToleranceSec ?? 30;
  const maxLifetime = opts.maxLifetimeSec ?? MAX_TOKEN_LIFETIME_SEC;
  if (!opts.keys && !opts.jwks) throw new Error("createVerifier needs keys or jwks");
  const keys = opts.keys ?? staticKeySource(opts.jwks!);

  return async function verifyAccessToken(token: string): Promise<Principal> {
    if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) throw new AuthError("malformed token");
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== "object") throw new AuthError("malformed token");
    const header = decoded.header as jwt.JwtHeader & { crit?: unknown };

    if (header.alg !== "RS256" && header.alg !== "ES256") throw new AuthError("unsupported algorithm");
    // We implement no extensions, so any critical one must be refused (RFC 7515 §4.1.11).
    if (header.crit !== undefined) throw new AuthError("unsupported token");
    if (typeof header.typ !== "string" || !/^(application\/)?at\+jwt$/i.test(header.typ)) {
      throw new AuthError("invalid token type");
    }
    const kid = typeof header.kid === "string" && KID_FORMAT.test(header.kid) ? header.kid : undefined;
    const trusted = kid === undefined ? undefined : await keys.get(kid);
    if (!trusted) throw new AuthError("unknown signing key");
    if (header.alg !== trusted.alg) throw new AuthError("unsupported algorithm");

    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, trusted.key, {
        algorithms: [trusted.alg],
        issuer,
        audience,
        clockTolerance: tolerance,
        complete: true,
      }).payload as jwt.JwtPayload;
    } catch (err) {
      throw new AuthError(reasonFor(err), { cause: err });
    }

    const { exp, iat } = payload;
    if (typeof exp !== "number" || typeof iat !== "number") throw new AuthError("invalid token");
    if (exp - iat > maxLifetime) throw new AuthError("token lifetime too long");
    // Without this, a far-future iat would make the lifetime check meaningless.
    if (iat > Date.now() / 1000 + tolerance) throw new AuthError("token not yet valid");

    const claims = AccessTokenClaims.safeParse(payload);
    if (!claims.success) throw new AuthError("invalid claims", { cause: claims.error });
    return claims.data;
  };
}

function reasonFor(err: unknown): string {
  if (err instanceof jwt.TokenExpiredError) return "token expired";
  if (err instanceof jwt.NotBeforeError) return "token not yet valid";
  const message = err instanceof Error ? err.message : "";
  if (message === "invalid signature") return "invalid signature";
  if (message.startsWith("jwt issuer invalid")) return "invalid issuer";
  if (message.startsWith("jwt audience invalid")) return "invalid audience";
  return "invalid token";
}

/** RFC 6750 §2.1 Authorization header; anything else is treated as no token at all. */
export function parseBearer(header: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header ?? "");
  return match?.[1];
}
