import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import type { Logger } from "pino";
import { isProduction } from "./mode.js";

/** The stable error codes a client can rely on. Anything else becomes INTERNAL. */
export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "PURPOSE_REQUIRED",
  "NOT_FOUND",
  // A service or database that should have answered did not; `extensions.service` names it.
  "UNAVAILABLE",
  "INTERNAL",
  // Apollo Server's own codes for requests that never reach a resolver.
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403 };

export function appError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, {
    extensions: { code, ...extra, ...(status ? { http: { status } } : {}) },
  });
}

export const unauthenticated = (reason = "authentication required") => appError("UNAUTHENTICATED", `Unauthenticated: ${reason}`);
export const forbidden = (message: string) => appError("FORBIDDEN", message);
export const badInput = (message: string, field?: string) => appError("BAD_USER_INPUT", message, field ? { field } : {});
export const notFound = (message: string) => appError("NOT_FOUND", message);

/**
 * Removes graphql-js's suggestions (`Did you mean "first"?`, `Did you mean the enum value
 * "SNAPCHAT"?`, `Did you mean to use an inline fragment on …?`): they name fields, arguments,
 * types and enum values the client did not ask about. What was wrong stays in the message.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean\b[^?]*\?/g, "");
}

/**
 * Apollo `formatError`: known codes pass with their message; everything else is logged
 * with the request id and reaches the client as INTERNAL, so no stack trace, SQL text or
 * driver message ever leaves the server. In production no message carries a "Did you mean"
 * suggestion, whichever stage raised it (validation, variable coercion at the gateway or a
 * subgraph, or an answer passed on from a subgraph).
 */
export function makeErrorFormatter(log: Logger, production: boolean = isProduction()) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code as string | undefined;
    const original = unwrapResolverError(error);
    if (code && (ERROR_CODES as readonly string[]).includes(code) && code !== "INTERNAL") {
      const extensions: Record<string, unknown> = { code };
      const field = formatted.extensions?.field;
      if (typeof field === "string") extensions.field = field;
      const service = formatted.extensions?.service;
      if (code === "UNAVAILABLE" && typeof service === "string") extensions.service = service;
      const message = production ? withoutSuggestions(formatted.message) : formatted.message;
      return { message, locations: formatted.locations, path: formatted.path, extensions };
    }
    // A representation naming a type this subgraph does not have is the caller's mistake.
    if (
      formatted.path?.[0] === "_entities" &&
      /^The _entities resolver tried to load an entity for type "[^"]*", but no object or interface type of that name/.test(formatted.message)
    ) {
      log.warn({ path: formatted.path }, "representation of an unknown type");
      return {
        message: "A representation names a type this service does not have",
        path: formatted.path,
        extensions: { code: "BAD_USER_INPUT", field: "representations" },
      };
    }
    log.error({ err: original, path: formatted.path, code }, "internal error");
    return { message: "Internal error", path: formatted.path, extensions: { code: "INTERNAL" } };
  };
}
