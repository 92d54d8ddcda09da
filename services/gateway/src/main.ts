import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { AuthError, createVerifier, loadJwks, parseBearer } from "@interforce/auth";
import type { Principal } from "@interforce/domain";
import { createLogger, listen, makeErrorFormatter, unauthenticated } from "@interforce/server-kit";
import { loadConfig } from "./config.js";

export interface GatewayContext {
  authorization: string;
  principal: Principal;
  purpose: string | null;
  requestId: string;
}

/**
 * Forwards only what subgraphs need: the caller's token (each subgraph verifies it again
 * and decides access itself), the purpose and the request id. No other client header
 * reaches a subgraph.
 */
class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers || !("authorization" in context)) return;
    headers.set("authorization", context.authorization);
    headers.set("x-request-id", context.requestId);
    if (context.purpose) headers.set("x-purpose", context.purpose);
  }
}

async function main() {
  const cfg = loadConfig();
  const log = createLogger("gateway");
  const verify = createVerifier({ jwks: loadJwks() });
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(cfg.supergraphPath, "utf8"),
    buildService: ({ name }) => {
      const url = cfg.subgraphUrls[name];
      if (!url) throw new Error(`gateway: supergraph names subgraph ${name}, which has no URL`);
      return new ForwardingDataSource({ url });
    },
  });
  const server = new ApolloServer<GatewayContext>({
    // @apollo/gateway implements the same gateway interface Apollo Server expects.
    gateway: gateway as never,
    formatError: makeErrorFormatter(log),
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
  });
  await server.start();
  const http = await listen<GatewayContext>({
    server,
    port: cfg.port,
    log,
    // The gateway authenticates; it never authorises. Access is decided by each owner.
    context: async (req) => {
      const authorization = req.headers.authorization;
      const token = parseBearer(authorization);
      if (!token) throw unauthenticated();
      let principal: Principal;
      try {
        principal = verify(token);
      } catch (e) {
        throw unauthenticated(e instanceof AuthError ? e.reason : "invalid token");
      }
      const p = req.headers["x-purpose"];
      const purpose = typeof p === "string" && p.trim() ? p.trim().slice(0, 500) : null;
      return { authorization: `Bearer ${token}`, principal, purpose, requestId: req.requestId };
    },
  });
  log.info({ port: cfg.port, subgraphs: Object.keys(cfg.subgraphUrls) }, `gateway ready on http://127.0.0.1:${cfg.port}/graphql`);

  const shutdown = async (signal: string) => {
    log.info({ signal }, "shutting down");
    http.close();
    await server.stop();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  console.error(`gateway failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
