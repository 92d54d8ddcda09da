import { z } from "zod";
import { parseSelectorKeys, serviceAudience, type SelectorKeyRing } from "@interforce/auth";
import { bindHost, hubPort, loadRegistry, parsePairs, serviceBaseUrl } from "@interforce/domain";
import { FUZZY_THRESHOLD } from "./modules/fuzzy.js";

const Env = z.object({
  PORT: z.coerce.number().int().positive().optional(),
  HOST: z.string().min(1).optional(),
  /** `ORG=base-url,…` overrides for where the hub reaches each force (default: the registry). */
  FORCE_URLS: z.string().optional(),
  DATABASE_URL: z.string().url("DATABASE_URL must be a postgres:// URL"),
  GATEWAY_SECRET: z.string().min(32, "GATEWAY_SECRET must be the gateway's secret for the hub (the launcher provides it)"),
  SERVICE_SECRETS: z
    .string()
    .min(1, "SERVICE_SECRETS must list each force's service secret as ORG=secret,… (the launcher provides it)")
    .transform((v, ctx) => {
      const out: Record<string, string> = {};
      for (const part of v.split(",")) {
        const [org, secret] = part.split("=");
        if (!org || !secret || secret.length < 32) {
          ctx.addIssue({ code: "custom", message: "each entry must be ORG=secret, with a secret of 32 characters or more" });
          return z.NEVER;
        }
        out[org.trim()] = secret.trim();
      }
      return out;
    }),
  SELECTOR_KEYS: z
    .string()
    .min(1, "SELECTOR_KEYS must list the hub's selector keys as id:secret,… newest first (the launcher provides it)")
    .transform((v, ctx) => {
      try {
        return parseSelectorKeys(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWKS_URL: z.string().url().optional(),
  JWKS_PATH: z.string().min(1).optional(),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 * 1024),
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  RESOLVER_BUDGET_MS: z.coerce.number().int().min(100).default(10_000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
});

export interface HubConfig {
  /** The hub's name in the supergraph (gateway signatures are bound to it). */
  subgraph: "hub";
  port: number;
  host: string;
  /** Each force's base URL, by org code. */
  forceUrls: Record<string, string>;
  databaseUrl: string;
  gatewaySecret: string;
  /** Each force's service secret, by org code: the hub holds these, never the master they derive from. */
  serviceSecrets: Record<string, string>;
  /** Keys the selector index (never stored in the database). */
  selectorKeys: SelectorKeyRing;
  jwt: { issuer?: string; audience?: string; jwksUrl?: string; jwksPath?: string };
  maxBodyBytes: number;
  resolverBudgetMs: number;
  requestTimeoutMs: number;
}

/** Every statement on the app's connections ends after `ms` (a PostgreSQL startup parameter). */
function withStatementTimeout(url: string, ms: number): string {
  const u = new URL(url);
  if (!u.searchParams.has("statement_timeout")) u.searchParams.set("statement_timeout", String(ms));
  // Fuzzy search's `%` compares at the hub's threshold on every connection, with no per-query round trip to set it.
  if (!u.searchParams.has("options")) u.searchParams.set("options", `-c pg_trgm.similarity_threshold=${FUZZY_THRESHOLD}`);
  return u.toString();
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`hub subgraph: invalid configuration\n${lines}`);
  }
  const e = parsed.data;
  const orgs = loadRegistry().orgs.map((o) => o.code);
  let overrides: Record<string, string>;
  try {
    overrides = parsePairs(e.FORCE_URLS, "FORCE_URLS", orgs);
  } catch (err) {
    throw new Error(`hub subgraph: invalid configuration\n  ${(err as Error).message}`, { cause: err });
  }
  return {
    subgraph: "hub",
    port: e.PORT ?? hubPort(),
    host: bindHost("hub", env),
    forceUrls: Object.fromEntries(orgs.map((code) => [code, (overrides[code] ?? serviceBaseUrl({ org: code })).replace(/\/+$/, "")])),
    databaseUrl: withStatementTimeout(e.DATABASE_URL, e.STATEMENT_TIMEOUT_MS),
    gatewaySecret: e.GATEWAY_SECRET,
    serviceSecrets: e.SERVICE_SECRETS,
    selectorKeys: e.SELECTOR_KEYS,
    jwt: { issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE ?? serviceAudience("hub"), jwksUrl: e.JWKS_URL, jwksPath: e.JWKS_PATH },
    maxBodyBytes: e.MAX_BODY_BYTES,
    resolverBudgetMs: e.RESOLVER_BUDGET_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
  };
}
