import "reflect-metadata";
import { ApolloServer } from "@apollo/server";
import { AuditLog } from "@interforce/audit";
import { createVerifier, keyedHandleWords, keySourceFor, parseBearer, checkProductionIdentity } from "@interforce/auth";
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
import { loadConfig } from "./config.js";
import { createHubDataSource } from "./db/data-source.js";
import { buildHubSubgraph, type HubContext } from "./graphql/hub-schema.js";
import { refSeal } from "./graphql/context.js";
import { internalRoutes } from "./internal-routes.js";
import { ForceClient } from "./modules/force-client.js";
import { assertTrigramLetters } from "./modules/selector-index.js";
import { rekeyAlerts } from "./modules/deconfliction.js";

async function main() {
  const cfg = loadConfig();
  const tracing = startTracing("hub");
  const log = createLogger("hub");
  // Production trusts only the identity provider's keys: the development ones stop it here, before any write.
  const devKeys = checkProductionIdentity("hub", cfg.jwt, isProduction());
  if (devKeys) log.warn(devKeys);
  const db = createHubDataSource(cfg.databaseUrl);
  await db.initialize();
  trackPool("hub", db);
  if (await db.showMigrations()) throw new Error("database schema is behind the code: run the migrations first (the launcher does)");
  await assertTrigramLetters(db);
  // Each key's trigram permutation is dealt once, here, and not on the first search or relayed write.
  for (const key of cfg.selectorKeys.keys) keyedHandleWords(key, "warm");
  const rekeyed = await rekeyAlerts(db, cfg.selectorKeys);
  if (rekeyed > 0) log.info({ alerts: rekeyed, key: cfg.selectorKeys.current.id }, "deconfliction alerts keyed under the current selector key");
  const audit = new AuditLog(db);
  const production = isProduction();
  const verify = createVerifier({ keys: keySourceFor(cfg.jwt), issuer: cfg.jwt.issuer, audience: cfg.jwt.audience });
  const forces = new ForceClient((org) => {
    const secret = cfg.serviceSecrets[org];
    if (!secret) throw new Error(`no service secret for ${org}: add it to SERVICE_SECRETS`);
    return secret;
  }, cfg.forceUrls);

  const { schema } = await buildHubSubgraph();
  const refs = refSeal(cfg.serviceSecrets);
  const hardening = apolloHardening<HubContext>(production);
  const server = new ApolloServer<HubContext>({
    schema,
    formatError: makeErrorFormatter(log, production, "hub database"),
    ...hardening,
    plugins: [...hardening.plugins, resolverTimeBudget<HubContext>(cfg.resolverBudgetMs, log), errorLog<HubContext>(log), operationsPlugin<HubContext>()],
  });
  await server.start();
  // Nonces and refusal budgets shared by every replica of the hub, in its own database.
  const state = openSharedState(cfg.databaseUrl, (err) => log.warn({ err }, "shared-state connection lost"));
  trackPool("hub-shared-state", state.pool);
  const { admit, caller, refusalBudget } = replicatedSubgraphCaller(state, { subgraph: cfg.subgraph, gatewaySecret: cfg.gatewaySecret, log, verify, audit });
  const http = await listen<HubContext>({
    server,
    port: cfg.port,
    host: cfg.host,
    log,
    production,
    maxBodyBytes: cfg.maxBodyBytes,
    requestTimeoutMs: cfg.requestTimeoutMs,
    // The internal routes are the forces' (signed with their own secrets); /graphql is the gateway's alone.
    routes: internalRoutes(db, cfg.serviceSecrets, log, audit, cfg.selectorKeys, {
      replay: (route) => state.nonces(`internal:${route}`),
      refusals: new RefusalAuditCap("internal", refusalBudget),
    }),
    admit,
    ready: readiness(databaseChecks(db)),
    // Even a call the gateway signed is authenticated again here, from the user's token.
    context: async (req) => {
      const { principal, purpose } = await caller(req);
      const token = parseBearer(req.headers.authorization)!;
      return { principal, purpose, requestId: req.requestId, db, log, audit, token, forces, refs, keys: cfg.selectorKeys };
    },
  });
  log.info({ host: cfg.host, port: cfg.port, forces: cfg.forceUrls }, "hub subgraph ready");

  const shutdown = async (signal: string) => {
    log.info({ signal }, "shutting down");
    await http.drain();
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
  console.error(`hub subgraph failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
