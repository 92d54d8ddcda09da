import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import type { Logger } from "pino";
import { appError } from "./errors.js";

/**
 * A per-operation time budget for resolvers: once an operation has run for `ms`, every
 * field not yet started fails instead of starting more work (more SQL, more fan-out). The
 * database's statement_timeout bounds a query already running; this bounds the rest.
 */
export function resolverTimeBudget<TContext extends BaseContext>(ms: number, log: Logger): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const deadline = Date.now() + ms;
      let reported = false;
      return {
        async executionDidStart() {
          return {
            willResolveField({ info, contextValue }) {
              if (Date.now() <= deadline) return;
              if (!reported) {
                reported = true;
                const requestId = (contextValue as { requestId?: unknown }).requestId;
                log.warn(
                  { requestId, budgetMs: ms, field: `${info.parentType.name}.${info.fieldName}` },
                  "resolver time budget spent; remaining fields refused",
                );
              }
              // Masked to INTERNAL for the client by the error formatter; the log line above says why.
              throw appError("INTERNAL", "resolver time budget exceeded");
            },
          };
        },
      };
    },
  };
}
