import "reflect-metadata";
import { ApolloServer } from "@apollo/server";
import { AuditLog } from "@interforce/audit";
import { createVerifier, keySourceFor, checkProductionIdentity } from "@interforce/auth";
import { openSharedState } from "@interforce/db/shared-state";
import {
  apolloHardening,
  createLogger,
  databaseChecks,
  errorLog,
  isProduction,
  listen,
  makeErrorFormatter,
  operationsPlugin,
  readiness,
  RefusalAuditCap,
  resolverTimeBudget,
  startTracing,
  replicatedSubgraphCaller,
  trackPool,
} from "@interforce/server-kit";
import { PolicyClient } from "./policy-client.js";
import { loadConfig } from "./config.js";
import { buildContext, type ForceContext } from "./context.js";
import { createForceDataSource } from "./db/data-source.js";
import { configureRefs } from "./refs.js";
import { buildForceSubgraph } from "./graphql/org-schema.js";
import { OutboxRelay, outboxGauges } from "./outbox/relay.js";
import { hubQueryRoute } from "./internal/hub-queries.js";

async function main() {
  const cfg = loadConfig();
  const tracing = startTracing(`force-${cfg.org.code.toLowerCase()}`);
  const log = createLogger(`force-${cfg.org.code.toLowerCase()}`);
  // Production trusts only the identity provider's keys: the development ones stop it here.
  const devKeys = checkProductionIdentity(`${cfg.org.code} subgraph`, cfg.jwt, isProduction());
  if (devKeys) log.warn(devKeys);
  const db = createForceDataSource(cfg.databaseUrl, `interforce-${cfg.org.code.toLowerCase()}`);
  await db.initialize();
  trackPool(cfg.org.code, db);
  outboxGauges(db);
  const pending = await db.showMigrations();
  if (pending) throw new Error("database schema is behind the code: run the migrations first (the launcher does)");

  const audit = new AuditLog(db);
  const production = isProduction();
  const verify = createVerifier({ keys: keySourceFor(cfg.jwt), issuer: cfg.jwt.issuer, audience: cfg.jwt.audience });
  const secret = cfg.serviceSecret;
  configureRefs(secret, cfg.org.code);
  const policy = new PolicyClient({
    hubUrl: cfg.hubUrl,
    caller: cfg.org.code,
    secret,
    refreshMs: cfg.agreementsRefreshMs,
    maxStaleMs: cfg.agreementsMaxStaleMs,
    log,
  });
  policy.start();

  const { schema } = await buildForceSubgraph(cfg.org);
  const hardening = apolloHardening<ForceContext>(production);
  const server = new ApolloServer<ForceContext>({
    schema,
    formatError: makeErrorFormatter(log, production, `${cfg.org.code} database`),
    ...hardening,
    plugins: [...hardening.plugins, resolverTimeBudget<ForceContext>(cfg.resolverBudgetMs, log), errorLog<ForceContext>(log), operationsPlugin<ForceContext>()],
  });
  await server.start();

  // Nonces and refusal budgets shared by every replica of this force, in its own database.
  const state = openSharedState(cfg.databaseUrl, (err) => log.warn({ err }, "shared-state connection lost"));
  trackPool(`${cfg.org.code}-shared-state`, state.pool);
  const { admit, caller, refusalBudget } = replicatedSubgraphCaller(state, { subgraph: cfg.subgraph, gatewaySecret: cfg.gatewaySecret, log, verify, audit });
  const http = await listen<ForceContext>({
    server,
    port: cfg.port,
    host: cfg.host,
    log,
    production,
    maxBodyBytes: cfg.maxBodyBytes,
    requestTimeoutMs: cfg.requestTimeoutMs,
    // The hub's signed questions on behalf of a principal (link graph, cross-force lists).
    routes: [
      hubQueryRoute({
        org: cfg.org,
        db,
        policy,
        audit,
        log,
        secret,
        verifyToken: (t) => verify(t),
        replay: state.nonces("hub-query"),
        refusals: new RefusalAuditCap("internal", refusalBudget),
      }),
    ],
    // Only the gateway may call: `_entities`, `_service` and every root field included.
    admit,
    // Ready with its own database, migrated: a hub that is down only holds back the outbox, which queues meanwhile.
    ready: readiness(databaseChecks(db), { hub: async () => policy.hubReachable }),
    // Even a call the gateway signed is authenticated again here: the subgraph trusts the
    // user's token, never identity headers, and decides access itself.
    context: async (req) => {
      const { principal, purpose } = await caller(req);
      return buildContext({ org: cfg.org, principal, purpose, requestId: req.requestId, db, policy, audit, log });
    },
  });

  const relay = cfg.outboxRelay ? new OutboxRelay({ db, hubUrl: cfg.hubUrl, org: cfg.org.code, secret, intervalMs: cfg.outboxIntervalMs, log }) : undefined;
  relay?.start();
  log.info({ host: cfg.host, port: cfg.port, hubUrl: cfg.hubUrl, outboxRelay: cfg.outboxRelay }, `${cfg.org.code} subgraph ready`);

  // In-flight requests finish (their transactions and audit rows with them), the relay finishes its batch, then the
  // pools close: a stop cuts nothing that was acknowledged or under way.
  const shutdown = async (signal: string) => {
    log.info({ signal }, "shutting down");
    policy.stop();
    await Promise.all([http.drain(), relay?.stop()]);
    await server.stop();
    await Promise.all([db.destroy(), state.close()]);
    await tracing.shutdown();
    log.info({ signal }, "stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  console.error(`force subgraph failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
