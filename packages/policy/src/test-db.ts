/**
 * A real PostgreSQL (the embedded cluster of @interforce/db) for the property tests that run
 * the policy's SQL twins, with TypeORM resolved through @interforce/db exactly as the services
 * use it (only the little of its API the tests need is typed). Not part of the package's API.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startEmbeddedCluster, type EmbeddedCluster } from "@interforce/db";

export interface QueryBuilderLike {
  select(selection: string, alias: string): QueryBuilderLike;
  from(table: string, alias: string): QueryBuilderLike;
  leftJoin(table: string, alias: string, condition: string): QueryBuilderLike;
  where(sql: string, params: Record<string, unknown>): QueryBuilderLike;
  getRawMany(): Promise<Array<Record<string, unknown>>>;
  getQueryAndParameters(): [string, unknown[]];
}

export interface DataSourceLike {
  initialize(): Promise<unknown>;
  destroy(): Promise<void>;
  readonly isInitialized: boolean;
  query(sql: string, params?: unknown[]): Promise<unknown>;
  createQueryBuilder(): QueryBuilderLike;
}

type DataSourceCtor = new (options: Record<string, unknown>) => DataSourceLike;

function loadDataSource(): DataSourceCtor {
  const dbEntry = createRequire(import.meta.url).resolve("@interforce/db");
  return (createRequire(dbEntry)("typeorm") as { DataSource: DataSourceCtor }).DataSource;
}

async function freePort(): Promise<number> {
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

/** Starts a private cluster before the file's tests (creating `schema`) and removes it after; returns its data source. */
export function usePolicyTestDb(name: string, schema: readonly string[]): () => DataSourceLike {
  let root: string | undefined;
  let cluster: EmbeddedCluster | undefined;
  let ds: DataSourceLike | undefined;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `interforce-policy-${name}-`));
    cluster = await startEmbeddedCluster({ dataDir: join(root, "pg"), port: await freePort() });
    const DataSource = loadDataSource();
    ds = new DataSource({ type: "postgres", url: cluster.superuserUrl(), entities: [], synchronize: false, logging: false });
    await ds.initialize();
    for (const sql of schema) await ds.query(sql);
  }, 180_000);
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await cluster?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);
  return () => {
    if (!ds) throw new Error("the test database is not started");
    return ds;
  };
}
