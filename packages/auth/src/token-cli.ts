import { parseArgs } from "node:util";
import { CLASSIFICATIONS, loadRegistry, ROLES } from "@interforce/domain";
import { existsSync } from "node:fs";
import { DEFAULT_KEY_OVERLAP_SEC, interforceHome, jwksPath, rotateDevKeys } from "./keys.js";
import { DEFAULT_TOKEN_TTL_SEC, MAX_TOKEN_LIFETIME_SEC, signAccessToken } from "./jwt.js";

class UsageError extends Error {}

function usage(): string {
  const orgs = loadRegistry().orgs.map((o) => `${o.code} (${o.name})`);
  return [
    "Mint a dev access token signed by the local Interforce IdP key (prints only the token).",
    "",
    "Usage: npm run -s token -- --org ORG --role ROLE [--role ROLE ...] --clearance LEVEL",
    "                              [--sub NAME] [--covert] [--ttl SECONDS]",
    "",
    `  --org        one of: ${orgs.join(", ")}`,
    `  --role       one or more of: ${ROLES.join(", ")}`,
    `  --clearance  one of: ${CLASSIFICATIONS.join(", ")}`,
    "  --sub        subject (default: dev-<org>)",
    "  --covert     may see the org's own covert records",
    `  --ttl        lifetime in seconds (default ${DEFAULT_TOKEN_TTL_SEC}, max ${MAX_TOKEN_LIFETIME_SEC})`,
    "",
    "       npm run -s token -- --rotate-key [--overlap SECONDS]",
    "",
    "  Makes a new signing key and prints its kid; the old key keeps verifying for the overlap",
    `  (default ${DEFAULT_KEY_OVERLAP_SEC} s, past the longest token lifetime), then stops.`,
    "",
    "  Signs with the keys of the stack in INTERFORCE_HOME (default .interforce/); refuses where none exist.",
  ].join("\n");
}

/**
 * A token is only useful signed by a key the running stack trusts: where no stack has made one
 * (INTERFORCE_HOME unset or pointing elsewhere), say so rather than make a key nobody verifies.
 */
function requireStackKeys(): void {
  if (!existsSync(jwksPath())) {
    throw new Error(
      `no signing key in ${interforceHome()}: start the stack first (npm start), or set INTERFORCE_HOME to the home of the stack the token is for`,
    );
  }
}

function oneOf<T extends string>(what: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`unknown ${what} ${JSON.stringify(value)} (expected one of: ${allowed.join(", ")})`);
  }
  return value as T;
}

function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      org: { type: "string" },
      role: { type: "string", multiple: true },
      clearance: { type: "string" },
      sub: { type: "string" },
      covert: { type: "boolean", default: false },
      ttl: { type: "string" },
      "rotate-key": { type: "boolean", default: false },
      overlap: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  if (values["rotate-key"]) {
    requireStackKeys();
    if (values.overlap !== undefined && !/^\d+$/.test(values.overlap)) throw new UsageError("--overlap must be a whole number of seconds");
    const { kid } = rotateDevKeys(undefined, { overlapSeconds: values.overlap === undefined ? undefined : Number(values.overlap) });
    process.stdout.write(`${kid}\n`);
    return;
  }
  if (!values.org) throw new UsageError("--org is required (see --help)");
  if (!values.role?.length) throw new UsageError("at least one --role is required (see --help)");
  if (!values.clearance) throw new UsageError("--clearance is required (see --help)");

  const org = values.org.toUpperCase();
  oneOf(
    "org",
    org,
    loadRegistry().orgs.map((o) => o.code),
  );
  const roles = values.role.map((r) => oneOf("role", r.toUpperCase(), ROLES));
  const clearance = oneOf("clearance", values.clearance.toUpperCase(), CLASSIFICATIONS);
  const ttl = values.ttl === undefined ? DEFAULT_TOKEN_TTL_SEC : Number(values.ttl);
  if (!/^\d+$/.test(values.ttl ?? "1") || ttl < 1 || ttl > MAX_TOKEN_LIFETIME_SEC) {
    throw new UsageError(`--ttl must be a whole number of seconds from 1 to ${MAX_TOKEN_LIFETIME_SEC}`);
  }
  const sub = values.sub ?? `dev-${org.toLowerCase()}`;
  if (sub.length < 1 || sub.length > 200) throw new UsageError("--sub must be 1 to 200 characters");

  requireStackKeys();
  const token = signAccessToken({ sub, org, roles, clearance, covert: values.covert }, { expiresInSeconds: ttl });
  process.stdout.write(`${token}\n`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  // parseArgs reports bad flags with ERR_PARSE_ARGS_* codes; those are usage errors too.
  const code = (err as NodeJS.ErrnoException).code;
  const isUsage = err instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"));
  process.stderr.write(`token: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}\n`);
  process.exitCode = isUsage ? 2 : 1;
}
