/**
 * Readiness (GET /ready): whether this instance can answer requests now. /health stays liveness
 * (the process runs); /ready is what a load balancer or Kubernetes readiness probe asks before
 * sending traffic. Checks name dependencies only (`database`, `migrations`, `hub`), never a URL,
 * host or driver message.
 */
export interface ReadyResult {
  ok: boolean;
  checks: Record<string, boolean | string>;
}

/** `true` when the dependency is usable; `false` or a short reason when it is not. */
export type ReadyCheck = () => Promise<boolean | string>;

const within = (check: ReadyCheck, ms: number): Promise<boolean | string> =>
  Promise.race([check().catch(() => false as const), new Promise<string>((resolve) => setTimeout(() => resolve("timeout"), ms).unref())]);

/**
 * Runs every check at once (each within `timeoutMs`). Ready when every `required` check is
 * `true`; `informational` ones are reported and never make the instance unready (a force whose
 * hub is down still serves its own records and queues its outbox).
 */
export function readiness(required: Record<string, ReadyCheck>, informational: Record<string, ReadyCheck> = {}, timeoutMs = 2000): () => Promise<ReadyResult> {
  return async () => {
    const names = [...Object.keys(required), ...Object.keys(informational)];
    const results = await Promise.all(names.map((n) => within((required[n] ?? informational[n])!, timeoutMs)));
    const checks: Record<string, boolean | string> = {};
    names.forEach((n, i) => (checks[n] = results[i]!));
    return { ok: Object.keys(required).every((n) => checks[n] === true), checks };
  };
}

/** What the database checks need of a TypeORM DataSource. */
export interface MigratedDatabase {
  isInitialized: boolean;
  query(sql: string): Promise<unknown>;
  migrations: readonly { name?: string; constructor: { name: string } }[];
  options: { migrationsTableName?: string };
}

/**
 * The database answers, and every migration the code knows of is recorded in its migrations
 * table (one SELECT; nothing is created or run): `database` and `migrations` checks.
 */
export function databaseChecks(db: MigratedDatabase): Record<"database" | "migrations", ReadyCheck> {
  let applied: Promise<Set<string> | undefined> | undefined;
  const read = () => {
    applied ??= (async () => {
      if (!db.isInitialized) return undefined;
      const table = db.options.migrationsTableName ?? "migrations";
      if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error("migrations table name is not a plain identifier");
      const rows = (await db.query(`SELECT name FROM ${table}`)) as { name: string }[];
      return new Set(rows.map((r) => r.name));
    })()
      .catch(() => undefined)
      .finally(() => setImmediate(() => (applied = undefined)));
    return applied;
  };
  return {
    database: async () => (await read()) !== undefined,
    migrations: async () => {
      const names = await read();
      if (!names) return false;
      const pending = db.migrations.map((m) => m.name ?? m.constructor.name).filter((n) => !names.has(n));
      return pending.length === 0 ? true : `${pending.length} pending`;
    },
  };
}
