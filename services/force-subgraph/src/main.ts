import "reflect-metadata";
import { ApolloServer } from "@apollo/server";
import { AuditLog } from "@interforce/audit";
import { AuthError, createVerifier, keySourceFor, parseBearer } from "@interforce/auth";
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
import { PolicyClient } from "./policy-client.js";
import { loadConfig } from "./config.js";
import { buildContext, type ForceContext } from "./context.js";
import { createForceDataSource } from "./db/data-source.js";
import { buildForceSubgraph } from "./graphql/org-schema.js";
import { OutboxRelay } from "./outbox/relay.js";
import { hubQueryRoute } from "./internal/hub-queries.js";

const PURPOSE_MAX = 500;

async function main() {
  const cfg = loadConfig();
  const log = createLogger(`force-${cfg.org.code.toLowerCase()}`);
  const db = createForceDataSource(cfg.databaseUrl, `interforce-${cfg.org.code.toLowerCase()}`);
  await db.initialize();
  const pending = await db.showMigrations();
  if (pending) throw new Error("database schema is behind the code: run the migrations first (the launcher does)");

  const audit = new AuditLog(db);
  const production = isProduction();
  const verify = createVerifier({ keys: keySourceFor(cfg.jwt), issuer: cfg.jwt.issuer, audience: cfg.jwt.audience });
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
  const hardening = apolloHardening<ForceContext>(production);
  const server = new ApolloServer<ForceContext>({
    schema,
    formatError: makeErrorFormatter(log),
    ...hardening,
    plugins: [...hardening.plugins, resolverTimeBudget<ForceContext>(cfg.resolverBudgetMs, log), errorLog<ForceContext>(log)],
  });
  await server.start();

  const principalOf = async (req: RequestInfo) => {
    const token = parseBearer(req.headers.authorization);
    return token ? verify(token).catch(() => null) : null;
  };
  const http = await listen<ForceContext>({
    server,
    port: cfg.port,
    log,
    production,
    maxBodyBytes: cfg.maxBodyBytes,
    requestTimeoutMs: cfg.requestTimeoutMs,
    // The hub's signed questions on behalf of a principal (link graph, cross-force lists).
    routes: [hubQueryRoute({ org: cfg.org, db, policy, audit, log, secret, verifyToken: (t) => verify(t) })],
    // Only the gateway may call: `_entities`, `_service` and every root field included.
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
    // Even a call the gateway signed is authenticated again here: the subgraph trusts the
    // user's token, never identity headers, and decides access itself.
    context: async (req) => {
      const token = parseBearer(req.headers.authorization);
      if (!token) throw unauthenticated();
      let principal;
      try {
        principal = await verify(token);
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
