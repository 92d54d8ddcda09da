import type { ApolloServer } from "@apollo/server";
import type { Principal } from "@interforce/domain";

/** What the gateway knows of a request once its token is verified: who asks, why, and the request's id. */
export interface GatewayContext {
  authorization: string;
  principal: Principal;
  purpose: string | null;
  requestId: string;
}

/** What the HTTP layer (server-kit `listen`) needs of an engine: Apollo Server's request entry point, and a way to stop. */
export type GraphQLEngine = Pick<ApolloServer<GatewayContext>, "executeHTTPGraphQLRequest"> & { stop(): Promise<void> };
