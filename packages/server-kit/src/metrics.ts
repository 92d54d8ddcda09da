import { collectDefaultMetrics, Counter, Gauge, Histogram, register } from "prom-client";

/**
 * Prometheus metrics of one service, served at GET /metrics on its own port (never through the
 * GraphQL endpoint). Every label value is a schema or registry name, an error code or a fixed word:
 * never a variable, a selector, a record id or query text, so the page can be scraped without need
 * to know. It is not authenticated: a subgraph's port is reached only by the federation (its
 * NetworkPolicies; admit the monitoring namespace to scrape it), and the gateway's proxy in
 * front of clients (Compose's nginx; an Ingress) passes /graphql, not /metrics.
 *
 * Every series carries `service` (gateway, hub, force-kent, …) as a default label.
 */
export const metricsRegistry = register;

let started = false;

/** Names the service on every series and starts Node's default process metrics. Once per process. */
export function startMetrics(service: string): void {
  if (started) return;
  started = true;
  register.setDefaultLabels({ service });
  collectDefaultMetrics({ register });
}

export const requestDuration = new Histogram({
  name: "interforce_graphql_request_duration_seconds",
  help: "GraphQL requests by operation name and outcome (ok, or the first error code), from the request's arrival to its answer",
  labelNames: ["operation", "outcome"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

export const policyDecisions = new Counter({
  name: "interforce_policy_decisions_total",
  help: "Record-level access decisions made by this force, by the asking principal's org and the level decided (FULL, POINTER, NONE)",
  labelNames: ["org", "level"] as const,
});

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATIONS = 200;
const seenOperations = new Set<string>();

/**
 * The `operation` label of a request: its operation name when it is a GraphQL name (a client's
 * own word, never its variables), `anonymous` for an unnamed one, `unresolved` when no operation
 * was read (refused before parsing, a syntax error). Past 200 distinct names, `other`: a client
 * naming each request differently cannot grow the page without bound.
 */
export function operationLabel(name: string | null | undefined, resolved = true): string {
  if (!resolved) return "unresolved";
  if (!name) return "anonymous";
  if (!OPERATION_NAME.test(name)) return "other";
  if (seenOperations.has(name)) return name;
  if (seenOperations.size >= MAX_OPERATIONS) return "other";
  seenOperations.add(name);
  return name;
}

/** An outcome label: `ok` or an error code (upper-case word), anything else `ERROR`. */
export function outcomeLabel(code: string | undefined): string {
  // The operations plugin records a success as `ok` itself: it is the one lower-case outcome.
  if (!code || code === "ok") return "ok";
  return /^[A-Z][A-Z_]{0,39}$/.test(code) ? code : "ERROR";
}

/** The part of a pg Pool the gauges read (TypeORM's PostgreSQL driver keeps it as `driver.master`). */
export interface PoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const pools = new Map<string, () => PoolLike | undefined>();

function poolGauge(name: string, help: string, read: (p: PoolLike) => number) {
  return new Gauge({
    name,
    help,
    labelNames: ["database"] as const,
    collect() {
      this.reset();
      for (const [database, get] of pools) {
        const pool = get();
        if (pool) this.set({ database }, read(pool));
      }
    },
  });
}

poolGauge("interforce_db_pool_connections", "Connections the service's pg pool holds open (busy and idle)", (p) => p.totalCount);
poolGauge("interforce_db_pool_idle_connections", "Open connections of the pg pool waiting for a query", (p) => p.idleCount);
poolGauge("interforce_db_pool_waiting_clients", "Queries waiting for a connection of the pg pool", (p) => p.waitingCount);

/**
 * Reports a pg pool under `database` (`KENT`, `hub`, `KENT-shared-state`, …): a pg Pool itself, or a
 * TypeORM DataSource, whose PostgreSQL driver holds its pool as `driver.master` once initialised.
 */
export function trackPool(database: string, source: PoolLike | { driver: unknown }): void {
  pools.set(database, () => {
    const pool = "driver" in source ? (source.driver as { master?: unknown } | undefined)?.master : source;
    return pool && typeof (pool as PoolLike).totalCount === "number" ? (pool as PoolLike) : undefined;
  });
}

/** Gauges whose values are read when scraped; a read that fails reports NaN (unknown), not a stale or zero value. */
export function scrapedGauges<K extends string>(gauges: Record<K, { name: string; help: string }>, read: () => Promise<Record<K, number>>): void {
  const made = {} as Record<K, Gauge>;
  let pending: Promise<Record<K, number> | undefined> | undefined;
  // One read per scrape, shared by the gauges it fills.
  const once = () => {
    pending ??= read()
      .catch(() => undefined)
      .finally(() => setImmediate(() => (pending = undefined)));
    return pending;
  };
  for (const key of Object.keys(gauges) as K[]) {
    made[key] = new Gauge({
      name: gauges[key].name,
      help: gauges[key].help,
      async collect() {
        const values = await once();
        this.set(values ? values[key] : Number.NaN);
      },
    });
  }
}

/** The text page and its content type. */
export async function metricsPage(): Promise<{ contentType: string; body: string }> {
  return { contentType: register.contentType, body: await register.metrics() };
}
