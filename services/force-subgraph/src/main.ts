import "reflect-metadata";
import { ApolloServer } from "@apollo/server";
import { AuditLog } from "@interforce/audit";
import { AuthError, createVerifier, loadJwks, parseBearer } from "@interforce/auth";
import { createLogger, listen, makeErrorFormatter, unauthenticated } from "@interforce/server-kit";
import { PolicyClient } from "./policy-client.js";
import { loadConfig } from "./config.js";
import { buildContext, type ForceContext } from "./context.js";
import { createForceDataSource } from "./db/data-source.js";
import { buildForceSubgraph } from "./graphql/org-schema.js";
import { OutboxRelay } from "./outbox/relay.js";

const PURPOSE_MAX = 500;

async function main() {
  const cfg = loadConfig();
  const log = createLogger(`force-${cfg.org.code.toLowerCase()}`);
  const db = createForceDataSource(cfg.databaseUrl, `interforce-${cfg.org.code.toLowerCase()}`);
  await db.initialize();
  const pending = await db.showMigrations();
  if (pending) throw new Error("database schema is behind the code: run the migrations first (the launcher does)");

  const audit = new AuditLog(db);
  const verify = createVerifier({ jwks: loadJwks() });
  const secret = cfg.serviceSecret;
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
  const server = new ApolloServer<ForceContext>({
    schema,
    formatError: makeErrorFormatter(log),
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
  });
  await server.start();

  const http = await listen<ForceContext>({
    server,
    port: cfg.port,
    log,
    // The subgraph authenticates every call itself, whoever sent it; it never trusts
    // identity headers, only the signed token.
    context: async (req) => {
      const token = parseBearer(req.headers.authorization);
      if (!token) throw unauthenticated();
      let principal;
      try {
        principal = verify(token);
      } catch (e) {
        throw unauthenticated(e instanceof AuthError ? e.reason : "invalid token");
      }
      const purposeHeader = req.headers["x-purpose"];
      const purpose = typeof purposeHeader === "string" && purposeHeader.trim() ? purposeHeader.trim().slice(0, PURPOSE_MAX) : null;
      return buildContext({ org: cfg.org, principal, purpose, requestId: req.requestId, db, policy, audit, log });
    },
  });

  const relay = cfg.outboxRelay
    ? new OutboxRelay({ db, hubUrl: cfg.hubUrl, org: cfg.org.code, secret, intervalMs: cfg.outboxIntervalMs, log })
    : undefined;
  relay?.start();
  log.info({ port: cfg.port, outboxRelay: cfg.outboxRelay }, `${cfg.org.code} subgraph ready`);

  const shutdown = async (signal: string) => {
    log.info({ signal }, "shutting down");
    relay?.stop();
    policy.stop();
    http.close();
    await server.stop();
    await db.destroy();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  console.error(`force subgraph failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
