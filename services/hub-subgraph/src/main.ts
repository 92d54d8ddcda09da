import "reflect-metadata";
import { ApolloServer } from "@apollo/server";
import { AuditLog } from "@interforce/audit";
import { AuthError, createVerifier, ensureServiceSecret, keySourceFor, parseBearer } from "@interforce/auth";
import {
  apolloHardening,
  createLogger,
  errorLog,
  gatewayOnly,
  isProduction,
  listen,
  makeErrorFormatter,
  resolverTimeBudget,
  unauthenticated,
  type RequestInfo,
} from "@interforce/server-kit";
import { loadConfig } from "./config.js";
import { createHubDataSource } from "./db/data-source.js";
import { buildHubSubgraph, type HubContext } from "./graphql/hub-schema.js";
import { internalRoutes } from "./internal-routes.js";
import { ForceClient } from "./modules/force-client.js";

async function main() {
  const cfg = loadConfig();
  const log = createLogger("hub");
  const db = createHubDataSource(cfg.databaseUrl);
  await db.initialize();
  if (await db.showMigrations()) throw new Error("database schema is behind the code: run the migrations first (the launcher does)");
  const audit = new AuditLog(db);
  const production = isProduction();
  const verify = createVerifier({ keys: keySourceFor(cfg.jwt), issuer: cfg.jwt.issuer, audience: cfg.jwt.audience });
  const secret = ensureServiceSecret();
  const forces = new ForceClient(secret);

  const { schema } = await buildHubSubgraph();
  const hardening = apolloHardening<HubContext>(production);
  const server = new ApolloServer<HubContext>({
    schema,
    formatError: makeErrorFormatter(log),
    ...hardening,
    plugins: [...hardening.plugins, resolverTimeBudget<HubContext>(cfg.resolverBudgetMs, log), errorLog<HubContext>(log)],
  });
  await server.start();
  const principalOf = async (req: RequestInfo) => {
    const token = parseBearer(req.headers.authorization);
    return token ? verify(token).catch(() => null) : null;
  };
  const http = await listen<HubContext>({
    server,
    port: cfg.port,
    log,
    production,
    maxBodyBytes: cfg.maxBodyBytes,
    requestTimeoutMs: cfg.requestTimeoutMs,
    // The internal routes are the forces' (signed with their own secrets); /graphql is the gateway's alone.
    routes: internalRoutes(db, secret, log),
    admit: gatewayOnly({
      subgraph: cfg.subgraph,
      secret: cfg.gatewaySecret,
      log,
      identify: principalOf,
      audit: (call) =>
        audit.record({
          action: "CONSULTATION",
          operation: "refused direct call",
          principal: call.principal ?? { sub: "unauthenticated", org: "UNKNOWN", roles: [] },
          purpose: call.purpose,
          requestId: call.requestId,
          records: [],
          detail: { denied: call.reason, ...call.detail },
        }),
    }),
    // Even a call the gateway signed is authenticated again here, from the user's token.
    context: async (req) => {
      const token = parseBearer(req.headers.authorization);
      if (!token) throw unauthenticated();
      try {
        const principal = await verify(token);
        const purpose = typeof req.headers["x-purpose"] === "string" ? req.headers["x-purpose"].trim().slice(0, 500) || null : null;
        return { principal, purpose, requestId: req.requestId, db, log, audit, token, forces };
      } catch (e) {
        throw unauthenticated(e instanceof AuthError ? e.reason : "invalid token");
      }
    },
  });
  log.info({ port: cfg.port }, "hub subgraph ready");

  const shutdown = async (signal: string) => {
    log.info({ signal }, "shutting down");
    http.close();
    await server.stop();
    await db.destroy();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  console.error(`hub subgraph failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
