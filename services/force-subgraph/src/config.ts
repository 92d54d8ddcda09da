import { z } from "zod";
import { serviceAudience } from "@interforce/auth";
import { bindHost, findOrg, orgPort, serviceBaseUrl, subgraphName, type OrgEntry } from "@interforce/domain";

const Env = z.object({
  INTERFORCE_ORG: z.string().min(1, "INTERFORCE_ORG must name an org of infra/orgs.json"),
  PORT: z.coerce.number().int().positive().optional(),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z.string().url("DATABASE_URL must be a postgres:// URL"),
  HUB_URL: z.string().url().optional(),
  SERVICE_SECRET: z.string().min(32, "SERVICE_SECRET must be this force's service secret (the launcher provides it)"),
  GATEWAY_SECRET: z.string().min(32, "GATEWAY_SECRET must be the gateway's secret for this subgraph (the launcher provides it)"),
  OUTBOX_RELAY: z.enum(["on", "off"]).default("on"),
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(50).default(500),
  AGREEMENTS_REFRESH_MS: z.coerce.number().int().min(100).default(1000),
  AGREEMENTS_MAX_STALE_MS: z.coerce.number().int().min(500).default(5000),
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

export interface ForceConfig {
  org: OrgEntry;
  /** This subgraph's name in the supergraph (gateway signatures are bound to it). */
  subgraph: string;
  port: number;
  host: string;
  databaseUrl: string;
  hubUrl: string;
  serviceSecret: string;
  gatewaySecret: string;
  outboxRelay: boolean;
  outboxIntervalMs: number;
  agreementsRefreshMs: number;
  agreementsMaxStaleMs: number;
  jwt: { issuer?: string; audience?: string; jwksUrl?: string; jwksPath?: string };
  maxBodyBytes: number;
  resolverBudgetMs: number;
  requestTimeoutMs: number;
}

/** Every statement on the app's connections ends after `ms` (a PostgreSQL startup parameter). */
export function withStatementTimeout(url: string, ms: number): string {
  const u = new URL(url);
  if (!u.searchParams.has("statement_timeout")) u.searchParams.set("statement_timeout", String(ms));
  return u.toString();
}

/** Parsed once at start-up; a bad value stops the service with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ForceConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`force subgraph: invalid configuration\n${lines}`);
  }
  const e = parsed.data;
  const org = findOrg(e.INTERFORCE_ORG);
  if (!org) throw new Error(`force subgraph: INTERFORCE_ORG=${e.INTERFORCE_ORG} is not in infra/orgs.json`);
  return {
    org,
    subgraph: subgraphName(org.code),
    port: e.PORT ?? orgPort(org.code),
    host: bindHost({ org: org.code }, env),
    databaseUrl: withStatementTimeout(e.DATABASE_URL, e.STATEMENT_TIMEOUT_MS),
    hubUrl: (e.HUB_URL ?? serviceBaseUrl("hub")).replace(/\/+$/, ""),
    serviceSecret: e.SERVICE_SECRET,
    gatewaySecret: e.GATEWAY_SECRET,
    outboxRelay: e.OUTBOX_RELAY === "on",
    outboxIntervalMs: e.OUTBOX_INTERVAL_MS,
    agreementsRefreshMs: e.AGREEMENTS_REFRESH_MS,
    agreementsMaxStaleMs: e.AGREEMENTS_MAX_STALE_MS,
    jwt: { issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE ?? serviceAudience(subgraphName(org.code)), jwksUrl: e.JWKS_URL, jwksPath: e.JWKS_PATH },
    maxBodyBytes: e.MAX_BODY_BYTES,
    resolverBudgetMs: e.RESOLVER_BUDGET_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
  };
}
