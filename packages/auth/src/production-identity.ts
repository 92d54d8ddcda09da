/**
 * A production service trusts only its identity provider's keys, set explicitly. The
 * development fallbacks — the key pair the launcher makes in the Interforce home and its
 * issuer, `interforce-dev-idp` — are refused at start: anyone with that home can mint tokens.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ISSUER } from "./jwt.js";
import { interforceHome, jwksPath, readJwksFile } from "./keys.js";

/** Set by the local launcher only, so that it can run production mode on its own keys (tests, benchmarks). */
export const ALLOW_DEV_KEYS = "INTERFORCE_ALLOW_DEV_KEYS";

/** The issuer of the development tokens (the token CLI's default), whatever a process's INTERFORCE_JWT_ISSUER says. */
const DEV_ISSUER = "interforce-dev-idp";

export interface IdentityConfig {
  issuer?: string;
  jwksUrl?: string;
  jwksPath?: string;
}

/** What is wrong with `jwt` for production; empty when nothing is. */
export function developmentIdentityProblems(jwt: IdentityConfig): string[] {
  const problems: string[] = [];
  if (!jwt.jwksUrl && !jwt.jwksPath)
    problems.push("JWKS_URL (your identity provider's JWKS) or JWKS_PATH must be set: production does not read the development keys");
  if (!jwt.issuer) problems.push("JWT_ISSUER must be set to your identity provider's issuer");
  else if (jwt.issuer === DEV_ISSUER) problems.push(`JWT_ISSUER=${DEV_ISSUER} is the development issuer`);
  if (jwt.jwksPath && !jwt.jwksUrl && hasPrivateKeyBeside(jwt.jwksPath)) {
    problems.push(`JWKS_PATH=${jwt.jwksPath} is a development key set: a private key for one of its keys is on this host beside it`);
  }
  return problems;
}

function hasPrivateKeyBeside(path: string): boolean {
  if (!existsSync(path)) return false;
  let kids: string[];
  try {
    kids = readJwksFile(path).keys.map((k) => k.kid);
  } catch {
    return false; // an unreadable key set is refused when it is loaded, with its own message
  }
  const files = new Set(readdirSync(dirname(path)));
  return kids.some((kid) => files.has(`private-${kid}.pem`));
}

/**
 * Throws, naming every problem, when a production service would trust development keys;
 * returns a warning to log when the launcher allowed them (INTERFORCE_ALLOW_DEV_KEYS=1).
 */
export function checkProductionIdentity(service: string, jwt: IdentityConfig, production: boolean, env: NodeJS.ProcessEnv = process.env): string | null {
  if (!production) return null;
  const problems = developmentIdentityProblems(jwt);
  if (problems.length === 0) return null;
  if (env[ALLOW_DEV_KEYS] === "1")
    return `${service}: production mode on development keys (${ALLOW_DEV_KEYS}=1, set by the local launcher): ${problems.join("; ")}`;
  throw new Error(`${service}: refused to start in production mode\n${problems.map((p) => `  ${p}`).join("\n")}`);
}

/**
 * Whether a service configured with `jwt` verifies with the development keys of the Interforce
 * home and accepts the development issuer: then a token signed there (the token CLI, the
 * console's demo sign-in) is one it accepts.
 */
export function usesDevelopmentKeys(jwt: IdentityConfig, home: string = interforceHome()): boolean {
  if (jwt.jwksUrl) return false;
  if (jwt.jwksPath && resolve(jwt.jwksPath) !== resolve(jwksPath(home))) return false;
  return (jwt.issuer ?? ISSUER) === ISSUER;
}
