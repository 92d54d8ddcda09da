import { z } from "zod";
import { findOrg, hubPort, orgPort, type OrgEntry } from "@interforce/domain";

const Env = z.object({
  INTERFORCE_ORG: z.string().min(1, "INTERFORCE_ORG must name an org of infra/orgs.json"),
  PORT: z.coerce.number().int().positive().optional(),
  DATABASE_URL: z.string().url("DATABASE_URL must be a postgres:// URL"),
  HUB_URL: z.string().url().optional(),
  SERVICE_SECRET: z.string().min(32, "SERVICE_SECRET must be this force's service secret (the launcher provides it)"),
  OUTBOX_RELAY: z.enum(["on", "off"]).default("on"),
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(50).default(500),
  AGREEMENTS_REFRESH_MS: z.coerce.number().int().min(100).default(1000),
  AGREEMENTS_MAX_STALE_MS: z.coerce.number().int().min(500).default(5000),
});

export interface ForceConfig {
  org: OrgEntry;
  port: number;
  databaseUrl: string;
  hubUrl: string;
  serviceSecret: string;
  outboxRelay: boolean;
  outboxIntervalMs: number;
  agreementsRefreshMs: number;
  agreementsMaxStaleMs: number;
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
    port: e.PORT ?? orgPort(org.code),
    databaseUrl: e.DATABASE_URL,
    hubUrl: e.HUB_URL ?? `http://127.0.0.1:${hubPort()}`,
    serviceSecret: e.SERVICE_SECRET,
    outboxRelay: e.OUTBOX_RELAY === "on",
    outboxIntervalMs: e.OUTBOX_INTERVAL_MS,
    agreementsRefreshMs: e.AGREEMENTS_REFRESH_MS,
    agreementsMaxStaleMs: e.AGREEMENTS_MAX_STALE_MS,
  };
}
