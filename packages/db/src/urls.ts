import { loadRegistry, orgDatabaseName, type OrgRegistry } from "@interforce/domain";
import type { DatabaseUrls } from "./provision.js";

export interface DatabaseTarget {
  /** "HUB", "GATEWAY" or an org code; names the DATABASE_URL_<KEY> variable. */
  key: string;
  /** What the database holds: the hub's records, a force's, or the gateway's shared state (no records, no audit). */
  kind: "hub" | "force" | "gateway";
  database: string;
  role: string;
}

export function databaseTargets(registry: OrgRegistry = loadRegistry()): DatabaseTarget[] {
  return [
    { key: "HUB", kind: "hub" as const, database: registry.hub.database, role: "hub_app" },
    { key: "GATEWAY", kind: "gateway" as const, database: "interforce_gateway", role: "gateway_app" },
    ...registry.orgs.map((org) => ({
      key: org.code,
      kind: "force" as const,
      database: orgDatabaseName(org.code),
      role: `${org.code.toLowerCase()}_app`,
    })),
  ];
}

/**
 * An external database for the target, from DATABASE_URL_<KEY> (and, for migrations,
 * MIGRATION_DATABASE_URL_<KEY>); undefined means the embedded cluster should serve it.
 */
export function resolveDatabaseUrls(target: DatabaseTarget, env: NodeJS.ProcessEnv = process.env): DatabaseUrls | undefined {
  const appUrl = env[`DATABASE_URL_${target.key}`] || undefined;
  const migrationUrl = env[`MIGRATION_DATABASE_URL_${target.key}`] || undefined;
  if (!appUrl) {
    // Half an external configuration would silently fall back to the embedded cluster.
    if (migrationUrl) {
      throw new Error(`MIGRATION_DATABASE_URL_${target.key} is set but DATABASE_URL_${target.key} is not`);
    }
    return undefined;
  }
  return { appUrl, ownerUrl: migrationUrl ?? appUrl };
}
