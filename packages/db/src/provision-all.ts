import { startEmbeddedCluster, type EmbeddedCluster } from "./embedded.js";
import { confineMaintenanceDatabases, provisionDatabase, type DatabaseUrls } from "./provision.js";
import { databaseTargets, resolveDatabaseUrls, type DatabaseTarget } from "./urls.js";

/** The largest pool a service opens to its database (each data-source.ts of the services). */
const POOL_MAX = 10;

export interface ProvisionAllOptions {
  dataDir: string;
  port: number;
  log?: (msg: string) => void;
  env?: NodeJS.ProcessEnv;
  targets?: DatabaseTarget[];
}

export interface ProvisionAllResult {
  /** Present only when some target had no DATABASE_URL_<KEY>; the caller stops it. */
  cluster?: EmbeddedCluster;
  urls: Record<string, DatabaseUrls>;
}

export async function provisionAll(options: ProvisionAllOptions): Promise<ProvisionAllResult> {
  const { dataDir, port, log = () => {}, env = process.env, targets = databaseTargets() } = options;
  const urls: Record<string, DatabaseUrls> = {};
  const embedded: DatabaseTarget[] = [];
  for (const target of targets) {
    const external = resolveDatabaseUrls(target, env);
    if (external) {
      urls[target.key] = external;
      log(`${target.key}: using DATABASE_URL_${target.key}`);
    } else {
      embedded.push(target);
    }
  }
  if (embedded.length === 0) return { urls };

  // One cluster serves every embedded database, and each service keeps a pool of up to
  // POOL_MAX connections to its own: PostgreSQL's default of 100 runs out beyond a handful of orgs.
  const cluster = await startEmbeddedCluster({ dataDir, port, log, maxConnections: Math.max(100, (embedded.length + 1) * (POOL_MAX + 2)) });
  try {
    await confineMaintenanceDatabases(cluster.superuserUrl());
    for (const target of embedded) {
      urls[target.key] = await provisionDatabase(cluster.superuserUrl(), {
        database: target.database,
        role: target.role,
        // Loopback-only development cluster, so a predictable password is fine.
        password: devPassword(target.role),
        ...(target.key === "HUB" ? { ctype: "C.UTF-8" as const } : {}),
        log,
      });
      log(`${target.key}: provisioned ${target.database} for role ${target.role}`);
    }
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return { cluster, urls };
}

function devPassword(role: string): string {
  return `${role}_dev`;
}
