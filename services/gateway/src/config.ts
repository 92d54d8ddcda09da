import { z } from "zod";
import { isProduction } from "@interforce/server-kit";
import { serviceAudience } from "@interforce/auth";
import { bindHost, gatewayPort, loadRegistry, parsePairs, REPO_ROOT, serviceBaseUrl, subgraphName } from "@interforce/domain";
import { join } from "node:path";

/** Apollo Gateway; Hive Gateway with its JavaScript query planner; Hive Gateway with Hive Router's Rust planner. */
export const GATEWAY_ENGINES = ["apollo", "hive", "hive-router"] as const;

const int = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);

const Env = z.object({
  PORT: z.coerce.number().int().positive().optional(),
  HOST: z.string().min(1).optional(),
  /** The engine that plans and runs operations over the subgraphs; both hold the same properties. */
  GATEWAY_ENGINE: z.enum(GATEWAY_ENGINES).default("apollo"),
  /**
   * A Hive engine in production mode only with this set to "1": they are kept for measurement (test/bench/GATEWAY.md)
   * and do not pass the whole security suite unchanged.
   */
  GATEWAY_ENGINE_TRIAL: z.enum(["0", "1"]).default("0"),
  SUPERGRAPH_PATH: z.string().optional(),
  /** The built web console (`npm run build:console`), served at /console/. */
  CONSOLE_DIST: z.string().min(1).optional(),
  /**
   * The gateway's own PostgreSQL: the rate-limit counters every replica spends from (the launcher provisions it;
   * in production, a database of its own).
   */
  DATABASE_URL: z.string().url("DATABASE_URL must be the postgres:// URL of the gateway's shared-state database (the launcher provides it)"),
  /** `name=url,name=url` overrides for subgraph URLs (production: one per force). */
  SUBGRAPH_URLS: z.string().optional(),
  /** `name=secret,name=secret`: the gateway's signing secret for each subgraph (the launcher derives them). */
  SUBGRAPH_SECRETS: z.string().min(1, "SUBGRAPH_SECRETS must give the gateway's secret for every subgraph (the launcher provides it)"),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWKS_URL: z.string().url().optional(),
  JWKS_PATH: z.string().min(1).optional(),
  // Query limits (graphql-armor; cost: graphql-query-complexity). Sized so the deepest legitimate
  // shape — a two-hop link graph around a search hit — and the largest batched lookups fit with
  // room to spare.
  MAX_DEPTH: int(1, 12),
  /**
   * A list field costs (its items' cost + 1) × `first` (literal, variable or schema default);
   * any other field 1 plus what it holds. The two-hop link graph around a search hit costs 3 100.
   */
  MAX_COST: int(1, 20_000),
  MAX_ALIASES: int(1, 150),
  MAX_DIRECTIVES: int(1, 20),
  MAX_TOKENS: int(1, 10_000),
  MAX_BODY_BYTES: int(1024, 256 * 1024),
  /** Requests per principal per minute. */
  RATE_LIMIT_PER_MINUTE: int(1, 1200),
  /** Requests per client address per minute that carry no valid token. */
  UNAUTHENTICATED_PER_MINUTE: int(1, 300),
  SUBGRAPH_TIMEOUT_MS: int(100, 10_000),
  REQUEST_TIMEOUT_MS: int(100, 20_000),
});

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
}

export interface GatewayConfig {
  port: number;
  host: string;
  engine: (typeof GATEWAY_ENGINES)[number];
  supergraphPath: string;
  consoleDist: string;
  databaseUrl: string;
  subgraphUrls: Record<string, string>;
  subgraphSecrets: Record<string, string>;
  jwt: { issuer?: string; audience?: string; jwksUrl?: string; jwksPath?: string };
  limits: QueryLimits;
  maxBodyBytes: number;
  ratePerMinute: number;
  unauthenticatedPerMinute: number;
  subgraphTimeoutMs: number;
  requestTimeoutMs: number;
}

function pairs(value: string, what: string, names: Set<string>): Record<string, string> {
  try {
    return parsePairs(value, what, names);
  } catch (err) {
    throw new Error(`gateway: ${(err as Error).message}`, { cause: err });
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`gateway: invalid configuration\n${lines}`);
  }
  const e = parsed.data;
  if (e.GATEWAY_ENGINE !== "apollo" && isProduction(env) && e.GATEWAY_ENGINE_TRIAL !== "1") {
    throw new Error(
      `gateway: GATEWAY_ENGINE=${e.GATEWAY_ENGINE} has not passed the security suite (test/bench/GATEWAY.md); production runs apollo ` +
        "(GATEWAY_ENGINE_TRIAL=1 runs it anyway, for a benchmark)",
    );
  }
  // The registry's placement of each subgraph, whatever URL the supergraph file was composed with.
  const urls: Record<string, string> = { hub: `${serviceBaseUrl("hub")}/graphql` };
  for (const org of loadRegistry().orgs) urls[subgraphName(org.code)] = `${serviceBaseUrl({ org: org.code })}/graphql`;
  const names = new Set(Object.keys(urls));
  Object.assign(urls, pairs(e.SUBGRAPH_URLS ?? "", "SUBGRAPH_URLS", names));
  const secrets = pairs(e.SUBGRAPH_SECRETS, "SUBGRAPH_SECRETS", names);
  for (const name of names) {
    const secret = secrets[name];
    // Without its secret the gateway could not call that subgraph at all: refuse to boot.
    if (!secret || secret.length < 32) throw new Error(`gateway: SUBGRAPH_SECRETS has no secret (32+ characters) for subgraph ${name}`);
  }
  return {
    port: e.PORT ?? gatewayPort(),
    host: bindHost("gateway", env),
    engine: e.GATEWAY_ENGINE,
    supergraphPath: e.SUPERGRAPH_PATH ?? join(REPO_ROOT, "schema/supergraph.graphql"),
    consoleDist: e.CONSOLE_DIST ?? join(REPO_ROOT, "services/console/dist"),
    databaseUrl: e.DATABASE_URL,
    subgraphUrls: urls,
    subgraphSecrets: secrets,
    jwt: { issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE ?? serviceAudience("gateway"), jwksUrl: e.JWKS_URL, jwksPath: e.JWKS_PATH },
    limits: { maxDepth: e.MAX_DEPTH, maxCost: e.MAX_COST, maxAliases: e.MAX_ALIASES, maxDirectives: e.MAX_DIRECTIVES, maxTokens: e.MAX_TOKENS },
    maxBodyBytes: e.MAX_BODY_BYTES,
    ratePerMinute: e.RATE_LIMIT_PER_MINUTE,
    unauthenticatedPerMinute: e.UNAUTHENTICATED_PER_MINUTE,
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
  };
}
