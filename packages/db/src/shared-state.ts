/**
 * State that every replica of a service must share, kept in PostgreSQL, which each service
 * already has: the nonces of accepted signed calls (a call replayed to another replica is
 * refused as it would be by the first), and rate-limit counters (a limit holds across all
 * replicas, not once per replica). The gateway keeps its counters in a database of its own.
 */
import pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, type IRateLimiterOptions, type RateLimiterAbstract } from "rate-limiter-flexible";

export const NONCE_TABLE = "shared_nonce";
export const RATE_LIMIT_TABLE = "shared_rate_limit";

/** The tables, created by each service's migrations (or, for the gateway, by the launcher or at start). */
export const SHARED_STATE_DDL = [
  `CREATE TABLE IF NOT EXISTS ${NONCE_TABLE} (
     scope text NOT NULL,
     nonce text NOT NULL,
     expires_ms bigint NOT NULL,
     PRIMARY KEY (scope, nonce)
   )`,
  `CREATE INDEX IF NOT EXISTS ${NONCE_TABLE}_expiry ON ${NONCE_TABLE} (expires_ms)`,
  // The layout rate-limiter-flexible's PostgreSQL store reads and writes.
  `CREATE TABLE IF NOT EXISTS ${RATE_LIMIT_TABLE} (
     key varchar(255) PRIMARY KEY,
     points integer NOT NULL DEFAULT 0,
     expire bigint
   )`,
];

export async function createSharedStateTables(query: (sql: string) => Promise<unknown>): Promise<void> {
  for (const ddl of SHARED_STATE_DDL) await query(ddl);
}

/**
 * A small pool of its own for shared state. Its commits do not wait for the WAL flush
 * (synchronous_commit off): a nonce or a counter lost in a database crash costs at most the
 * last fraction of a second, while every signed call would otherwise wait for a disk flush.
 */
export function createStatePool(url: string, opts: { max?: number; onError?: (err: Error) => void } = {}): pg.Pool {
  const u = new URL(url);
  const options = [u.searchParams.get("options"), "-c synchronous_commit=off"].filter(Boolean).join(" ");
  u.searchParams.delete("options");
  const pool = new pg.Pool({ connectionString: u.toString(), options, max: opts.max ?? 4, connectionTimeoutMillis: 1000, idleTimeoutMillis: 30_000 });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on("error", (err) => opts.onError?.(err));
  return pool;
}

/** Whether the shared-state tables exist (the gateway checks before it serves). */
export async function sharedStateReady(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ n: string | null; r: string | null }>(`SELECT to_regclass($1)::text AS n, to_regclass($2)::text AS r`, [
    NONCE_TABLE,
    RATE_LIMIT_TABLE,
  ]);
  return Boolean(rows[0]?.n && rows[0]?.r);
}

/**
 * Nonces of accepted calls for one receiver (`scope`), shared by its replicas: the first
 * replica to record a nonce admits the call, every later one refuses it. Kept until the
 * signature's timestamp can no longer be accepted, then swept.
 *
 * While the store cannot be reached, this replica remembers the nonces it admits in memory
 * (and keeps refusing them after the store returns), so a replay to the same replica is still
 * refused. The store is the service's own database: a call admitted meanwhile can read or
 * write nothing, and is answered UNAVAILABLE naming that database, not refused as forged.
 */
export class SharedNonces {
  private lastSweep = 0;
  private lastOutage = 0;
  private readonly local = new Map<string, number>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly scope: string,
    private readonly ttlMs: number = 2 * 30_000 + 5_000,
    private readonly onOutage?: (err: Error) => void,
    private readonly maxLocal = 100_000,
  ) {}

  async admit(nonce: string, now: number = Date.now()): Promise<boolean> {
    this.sweepLocal(now);
    if (this.local.has(nonce)) return false;
    if (now - this.lastSweep > 30_000) {
      this.lastSweep = now;
      // Any replica may sweep; the deletes are idempotent and never touch a live nonce.
      void this.pool.query(`DELETE FROM ${NONCE_TABLE} WHERE expires_ms < $1`, [now]).catch(() => {});
    }
    try {
      const { rowCount } = await this.pool.query(
        `INSERT INTO ${NONCE_TABLE} (scope, nonce, expires_ms) VALUES ($1, $2, $3) ON CONFLICT (scope, nonce) DO NOTHING`,
        [this.scope, nonce, now + this.ttlMs],
      );
      return rowCount === 1;
    } catch (err) {
      // Said once every 10 s at most: the outage is also answered on every request it affects.
      if (now - this.lastOutage > 10_000) {
        this.lastOutage = now;
        this.onOutage?.(err as Error);
      }
      // Bounded: when full, fail closed.
      if (this.local.size >= this.maxLocal) return false;
      this.local.set(nonce, now + this.ttlMs);
      return true;
    }
  }

  private sweepLocal(now: number): void {
    for (const [nonce, expires] of this.local) {
      if (expires > now) break;
      this.local.delete(nonce);
    }
  }
}

/**
 * A rate limiter whose counters live in the shared table, so every replica spends from one
 * budget. `insurance` keeps a per-replica limit in memory while the database cannot be
 * reached, rather than failing every request or limiting none.
 */
export function sharedRateLimiter(pool: pg.Pool, opts: Pick<IRateLimiterOptions, "points" | "duration" | "keyPrefix">, insurance = true): RateLimiterAbstract {
  return new RateLimiterPostgres({
    storeClient: pool,
    storeType: "pool",
    tableName: RATE_LIMIT_TABLE,
    tableCreated: true,
    clearExpiredByTimeout: true,
    ...opts,
    ...(insurance ? { insuranceLimiter: new RateLimiterMemory({ points: opts.points, duration: opts.duration }) } : {}),
  });
}

/** A service's shared state: one small pool, its nonce guards and its shared budgets. */
export interface SharedState {
  pool: pg.Pool;
  nonces(scope: string): SharedNonces;
  budget(opts: Pick<IRateLimiterOptions, "points" | "duration" | "keyPrefix">, insurance?: boolean): RateLimiterAbstract;
  close(): Promise<void>;
}

export function openSharedState(url: string, onError?: (err: Error) => void): SharedState {
  const pool = createStatePool(url, { onError });
  return {
    pool,
    nonces: (scope) => new SharedNonces(pool, scope, undefined, onError),
    budget: (opts, insurance = false) => sharedRateLimiter(pool, opts, insurance),
    close: () => pool.end(),
  };
}
