/** Test support: a private embedded PostgreSQL cluster with migrated audit databases. */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataSource } from "typeorm";
import { confineMaintenanceDatabases, provisionDatabase, startEmbeddedCluster, type DatabaseUrls, type EmbeddedCluster } from "@interforce/db";
import { AuditLog1732600000000 } from "./migration.js";

export interface TestCluster {
  cluster: EmbeddedCluster;
  root: string;
  /** Provisions `database` with app role `<database>_app`, applies the audit migration as the owner. */
  auditDatabase(database: string): Promise<DatabaseUrls & { role: string }>;
  /** A data source for `url`; closed by `stop`. */
  dataSource(url: string): Promise<DataSource>;
  stop(): Promise<void>;
}

export async function startTestCluster(options: { root?: string; port?: number } = {}): Promise<TestCluster> {
  const root = options.root ?? (await mkdtemp(join(tmpdir(), "interforce-audit-")));
  const port = options.port ?? (await freePort());
  const cluster = await startEmbeddedCluster({ dataDir: join(root, "pg"), port });
  const sources: DataSource[] = [];
  try {
    await confineMaintenanceDatabases(cluster.superuserUrl());
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  const dataSource = async (url: string) => {
    const ds = new DataSource({
      type: "postgres",
      url,
      migrations: [AuditLog1732600000000],
      migrationsTableName: "schema_migrations",
      synchronize: false,
      logging: false,
      extra: { max: 10 },
    });
    await ds.initialize();
    sources.push(ds);
    return ds;
  };
  return {
    cluster,
    root,
    dataSource,
    async auditDatabase(database) {
      const role = `${database}_app`;
      const urls = await provisionDatabase(cluster.superuserUrl(), { database, role, password: `${role}-secret` });
      const owner = await dataSource(urls.ownerUrl);
      await owner.runMigrations({ transaction: "each" });
      return { ...urls, role };
    },
    async stop() {
      await Promise.all(sources.filter((s) => s.isInitialized).map((s) => s.destroy()));
      await cluster.stop();
      if (!options.root) await rm(root, { recursive: true, force: true });
    },
  };
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 55432 + Math.floor(Math.random() * 5000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("No free port found for the test cluster");
}
