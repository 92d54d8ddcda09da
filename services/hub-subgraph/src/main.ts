import "reflect-metadata";
import { ApolloServer } from "@apollo/server";
import { AuditLog } from "@interforce/audit";
import { AuthError, createVerifier, ensureServiceSecret, loadJwks, parseBearer } from "@interforce/auth";
import { createLogger, listen, makeErrorFormatter, unauthenticated } from "@interforce/server-kit";
import { loadConfig } from "./config.js";
import { createHubDataSource } from "./db/data-source.js";
import { buildHubSubgraph, type HubContext } from "./graphql/hub-schema.js";
import { internalRoutes } from "./internal-routes.js";

async function main() {
  const cfg = loadConfig();
  const log = createLogger("hub");
  const db = createHubDataSource(cfg.databaseUrl);
  await db.initialize();
  if (await db.showMigrations()) throw new Error("database schema is behind the code: run the migrations first (the launcher does)");
  const audit = new AuditLog(db);
  const verify = createVerifier({ jwks: loadJwks() });
  const secret = ensureServiceSecret();

  const { schema } = await buildHubSubgraph();
  const server = new ApolloServer<HubContext>({
    schema,
    formatError: makeErrorFormatter(log),
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
  });
  await server.start();
  const http = await listen<HubContext>({
    server,
    port: cfg.port,
    log,
    routes: internalRoutes(db, secret, log),
    context: async (req) => {
      const token = parseBearer(req.headers.authorization);
      if (!token) throw unauthenticated();
      try {
        const principal = verify(token);
        const purpose = typeof req.headers["x-purpose"] === "string" ? req.headers["x-purpose"].trim().slice(0, 500) || null : null;
        return { principal, purpose, requestId: req.requestId, db, log, audit };
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
