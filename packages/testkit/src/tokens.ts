import jwt from "jsonwebtoken";
import { loadSigningKey, signAccessToken, ISSUER, AUDIENCE } from "@interforce/auth";
import type { Classification, Role } from "@interforce/domain";

export interface TokenSpec {
  org: string;
  roles?: Role[];
  clearance?: Classification;
  covert?: boolean;
  sub?: string;
}

export function tokenFor(spec: TokenSpec): string {
  return signAccessToken({
    sub: spec.sub ?? `${(spec.roles ?? ["ANALYST"])[0]!.toLowerCase()}@${spec.org.toLowerCase()}`,
    org: spec.org,
    roles: spec.roles ?? ["ANALYST"],
    clearance: spec.clearance ?? "OFFICIAL_SENSITIVE",
    covert: spec.covert ?? false,
  });
}

/**
 * Signs an arbitrary payload with the real key (or `key`), for tokens a correct IdP would
 * never issue. A header value of `undefined` drops that header field.
 */
export function rawToken(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
  key: { kid: string; privateKeyPem: string } = loadSigningKey(),
): string {
  const full = Object.fromEntries(Object.entries({ alg: "RS256", kid: key.kid, typ: "at+jwt", ...header }).filter(([, v]) => v !== undefined));
  const claims = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined));
  return jwt.sign(claims, key.privateKeyPem, {
    algorithm: "RS256",
    header: full as unknown as jwt.JwtHeader,
    noTimestamp: !("iat" in claims) && "iat" in payload,
  });
}

/** Valid access-token claims for `org`, to be varied one at a time by attack tests. */
export function accessClaims(org: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: `attack@${org.toLowerCase()}`,
    org,
    roles: ["ANALYST"],
    clearance: "SECRET",
    covert: true,
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 600,
    ...over,
  };
}

export function expiredToken(org: string): string {
  const now = Math.floor(Date.now() / 1000);
  return rawToken({
    sub: `expired@${org.toLowerCase()}`,
    org,
    roles: ["ANALYST"],
    clearance: "OFFICIAL",
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now - 7200,
    exp: now - 3600,
  });
}
