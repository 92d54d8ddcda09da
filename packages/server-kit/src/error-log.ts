import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import type { Logger } from "pino";
import { ERROR_CODES } from "./errors.js";

/**
 * Logs the cause of every error the client will see only as INTERNAL (a driver message, SQL,
 * a stack) together with the request id, so the one line a client can quote — its
 * x-request-id — leads to the cause in the server log.
 */
export function errorLog<TContext extends BaseContext>(log: Logger): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, request }) {
          const requestId = (contextValue as { requestId?: unknown } | undefined)?.requestId ?? request.http?.headers.get("x-request-id");
          for (const error of errors) {
            const code = error.extensions?.code;
            if (typeof code === "string" && code !== "INTERNAL" && (ERROR_CODES as readonly string[]).includes(code)) continue;
            log.error({ requestId, code, path: error.path, err: unwrapResolverError(error) }, "request failed with an internal error");
          }
        },
      };
    },
  };
}
