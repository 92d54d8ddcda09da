import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { GraphQLError } from "graphql";
import type { Logger } from "pino";
import { RateLimiterRes } from "rate-limiter-flexible";
import { AuthError, createVerifier, keySourceFor, parseBearer, checkProductionIdentity, usesDevelopmentKeys } from "@interforce/auth";
import { createSharedStateTables, openSharedState, sharedStateReady } from "@interforce/db/shared-state";
import type { Principal } from "@interforce/domain";
import {
  apolloHardening,
  createLogger,
  errorLog,
  isProduction,
  listen,
  makeErrorFormatter,
  operationsPlugin,
  readiness,
  startTracing,
  staticSite,
  trackPool,
  unauthenticated,
  type Refusal,
  type RequestInfo,
} from "@interforce/server-kit";
import { loadConfig, type GatewayConfig } from "./config.js";
import type { GatewayContext, GraphQLEngine } from "./context.js";
import { hiveEngine } from "./hive.js";
import { signingFetcher } from "./forward.js";
import { isOutage, outageAnswer } from "./outage.js";
import { queryLimits } from "./limits.js";
import { consoleSessionRoutes } from "./console-session.js";

/**
 * Sets the headers subgraphs need: the caller's token (each subgraph verifies it again
 * and decides access itself), the purpose and the request id. The fetcher then drops any
 * other header and signs the call for its subgraph.
 */
class SigningDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly subgraph: string,
    secret: string,
    timeoutMs: number,
    private readonly log: Logger,
  ) {
    super({ url });
    // Node's own fetch (undici, kept-alive connections) rather than the data source's default
    // make-fetch-happen stack, whose per-call agent and stream work was most of the gateway's time.
    this.fetcher = signingFetcher(fetch as unknown as RemoteGraphQLDataSource["fetcher"], { subgraph, secret, timeoutMs });
  }

  /**
   * A subgraph answers some refusals with a 4xx status (bad variables, FORBIDDEN). Passed on
   * as "400: Bad Request" they would reach the client as INTERNAL; keep the subgraph's own
   * client-facing code and message instead. Anything else stays masked.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource["errorFromResponse"]>[0]) {
    const error = await super.errorFromResponse(response);
    const body = (error.extensions.response as { body?: unknown } | undefined)?.body;
    const first = (body as { errors?: { message?: unknown; extensions?: { code?: unknown; field?: unknown } }[] } | undefined)?.errors?.[0];
    const code = first?.extensions?.code;
    if (typeof code === "string" && CLIENT_CODES.has(code) && typeof first?.message === "string") {
      const field = first.extensions?.field;
      return new GraphQLError(first.message, { extensions: { code, ...(typeof field === "string" ? { field } : {}) } });
    }
    return error;
  }

  /** A subgraph that does not answer is UNAVAILABLE at its fields; the other subgraphs' fields still answer. */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    try {
      return await super.process(options);
    } catch (e) {
      if (!isOutage(e)) throw e;
      const requestId = "requestId" in options.context ? options.context.requestId : undefined;
      this.log.warn({ requestId, subgraph: this.subgraph, reason: e instanceof Error ? e.message : String(e) }, "subgraph unavailable");
      return outageAnswer(this.subgraph, options) as Awaited<ReturnType<RemoteGraphQLDataSource<GatewayContext>["process"]>>;
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers || !("authorization" in context)) return;
    headers.set("authorization", context.authorization);
    headers.set("x-request-id", context.requestId);
    if (context.purpose) headers.set("x-purpose", context.purpose);
  }
}

const CLIENT_CODES = new Set(["BAD_USER_INPUT", "FORBIDDEN", "UNAUTHENTICATED", "NOT_FOUND", "CONFLICT", "PURPOSE_REQUIRED", "UNAVAILABLE"]);

async function apolloEngine(cfg: GatewayConfig, log: Logger, production: boolean): Promise<GraphQLEngine> {
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(cfg.supergraphPath, "utf8"),
    buildService: ({ name }) => {
      const url = cfg.subgraphUrls[name];
      const secret = cfg.subgraphSecrets[name];
      if (!url || !secret) throw new Error(`gateway: supergraph names subgraph ${name}, which has no URL or secret`);
      return new SigningDataSource(url, name, secret, cfg.subgraphTimeoutMs, log);
    },
  });
  const hardening = apolloHardening<GatewayContext>(production);
  const limits = queryLimits<GatewayContext>(cfg.limits, production);
  const server = new ApolloServer<GatewayContext>({
    // @apollo/gateway implements the same gateway interface Apollo Server expects.
    gateway: gateway as never,
    formatError: makeErrorFormatter(log),
    ...hardening,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [...hardening.plugins, ...limits.plugins, errorLog<GatewayContext>(log), operationsPlugin<GatewayContext>()],
  });
  await server.start();
  return server;
}

type AuthOutcome = { principal: Principal; token: string } | { error: string };

async function main() {
  // The edge: it starts every trace and never continues a client's.
  const tracing = startTracing("gateway", { edge: true });
  const cfg = loadConfig();
  const log = createLogger("gateway");
  const production = isProduction();
  const devKeys = checkProductionIdentity("gateway", cfg.jwt, production);
  if (devKeys) log.warn(devKeys);
  const verify = createVerifier({ keys: keySourceFor(cfg.jwt), issuer: cfg.jwt.issuer, audience: cfg.jwt.audience });
  const server =
    cfg.engine === "apollo" ? await apolloEngine(cfg, log, production) : hiveEngine(cfg, log, production, cfg.engine === "hive-router" ? "rust" : "js");
  log.info({ engine: cfg.engine }, "gateway engine");

  // Per principal, so one compromised or runaway client cannot starve the rest; per
  // address for calls with no valid token, so guessing costs the guesser. The counters are
  // in the gateway's own database, so every replica spends from the same budget; while it
  // cannot be reached, each replica keeps its own count in memory.
  const state = openSharedState(cfg.databaseUrl, (err) => log.warn({ err }, "shared-state connection lost"));
  if (!(await sharedStateReady(state.pool))) {
    // A deployment's gateway owns its database and makes the tables itself; the launcher's makes them beforehand.
    await createSharedStateTables((sql) => state.pool.query(sql)).catch((err: Error) => {
      throw new Error(`gateway: its shared-state database has no tables and they cannot be made: ${err.message}`, { cause: err });
    });
  }
  const perPrincipal = state.budget({ keyPrefix: "principal", points: cfg.ratePerMinute, duration: 60 }, true);
  const perAddress = state.budget({ keyPrefix: "address", points: cfg.unauthenticatedPerMinute, duration: 60 }, true);
  const outcomes = new WeakMap<RequestInfo, AuthOutcome>();
  const limited = (res: unknown, requestId: string, key: string): Refusal => {
    const seconds = res instanceof RateLimiterRes ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 60;
    log.warn({ requestId, key }, "rate limit reached");
    return { status: 429, code: "RATE_LIMITED", message: "Too many requests; retry later", headers: { "retry-after": String(seconds) } };
  };

  // The console's sign-in: demo tokens only outside production, and only where they would verify here.
  const routes = consoleSessionRoutes({
    production,
    verify,
    devKeys: usesDevelopmentKeys(cfg.jwt),
    limit: async (req, principal) => {
      const key = principal ? `${principal.org}:${principal.sub}` : (req.remoteAddress ?? "unknown");
      return (principal ? perPrincipal : perAddress).consume(key).then(
        () => undefined,
        (res) => limited(res, req.requestId, principal ? key : `address ${key}`),
      );
    },
  });

  trackPool("gateway", state.pool);
  const http = await listen<GatewayContext>({
    server,
    port: cfg.port,
    host: cfg.host,
    log,
    production,
    maxBodyBytes: cfg.maxBodyBytes,
    requestTimeoutMs: cfg.requestTimeoutMs,
    // The engine, with its supergraph, is built before the port opens; the shared-state database is checked each time.
    ready: readiness({ supergraph: async () => true, database: () => sharedStateReady(state.pool) }),
    issueRequestIds: true,
    routes,
    site: staticSite({ root: cfg.consoleDist, production, buildCommand: "npm run build:console" }),
    admit: async (req) => {
      const token = parseBearer(req.headers.authorization);
      let outcome: AuthOutcome;
      if (!token) outcome = { error: "authentication required" };
      else {
        try {
          outcome = { principal: await verify(token), token };
        } catch (e) {
          outcome = { error: e instanceof AuthError ? e.reason : "invalid token" };
        }
      }
      outcomes.set(req, outcome);
      if ("principal" in outcome) {
        const key = `${outcome.principal.org}:${outcome.principal.sub}`;
        return perPrincipal.consume(key).then(
          () => undefined,
          (res) => limited(res, req.requestId, key),
        );
      }
      const key = req.remoteAddress ?? "unknown";
      return perAddress.consume(key).then(
        () => undefined,
        (res) => limited(res, req.requestId, `address ${key}`),
      );
    },
    // The gateway authenticates; it never authorises. Access is decided by each owner.
    context: async (req) => {
      const outcome = outcomes.get(req);
      if (!outcome || "error" in outcome) throw unauthenticated(outcome?.error);
      const p = req.headers["x-purpose"];
      const purpose = typeof p === "string" && p.trim() ? p.trim().slice(0, 500) : null;
      return { authorization: `Bearer ${outcome.token}`, principal: outcome.principal, purpose, requestId: req.requestId };
    },
  });
  log.info(
    { host: cfg.host, port: cfg.port, engine: cfg.engine, subgraphs: cfg.subgraphUrls, production, limits: cfg.limits, ratePerMinute: cfg.ratePerMinute },
    `gateway ready on http://${cfg.host}:${cfg.port}/graphql`,
  );

  const shutdown = async (signal: string) => {
    log.info({ signal }, "shutting down");
    await http.drain();
    await server.stop();
    await state.close();
    await tracing.shutdown();
    log.info({ signal }, "stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  console.error(`gateway failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
