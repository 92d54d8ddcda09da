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

/** Signs an arbitrary payload with the real key, for tokens a correct IdP would never issue. */
export function rawToken(payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const key = loadSigningKey();
  return jwt.sign(payload, key.privateKeyPem, {
    algorithm: "RS256",
    header: { alg: "RS256", kid: key.kid, typ: "at+jwt", ...header },
  });
}

export function expiredToken(org: string): string {
  const now = Math.floor(Date.now() / 1000);
  return rawToken({ sub: `expired@${org.toLowerCase()}`, org, roles: ["ANALYST"], clearance: "OFFICIAL", iss: ISSUER, aud: AUDIENCE, iat: now - 7200, exp: now - 3600 });
}
