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
  // A write named a version of the record that is no longer current: reload and retry.
  "CONFLICT",
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
export const conflict = (message: string, field?: string) => appError("CONFLICT", message, field ? { field } : {});

/**
 * Removes graphql-js's suggestions (`Did you mean "first"?`, `Did you mean the enum value
 * "SNAPCHAT"?`, `Did you mean to use an inline fragment on …?`): they name fields, arguments,
 * types and enum values the client did not ask about. What was wrong stays in the message.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean\b[^?]*\?/g, "");
}

/** SQLSTATEs of a server that is going away, refusing connections, or a connection lost (class 08). */
const DB_OUTAGE_STATES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"]);
const DB_OUTAGE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "EPIPE"]);
const DB_OUTAGE_MESSAGES = [/^Connection terminated/, /timeout exceeded when trying to connect/, /is not currently accepting connections/];

/** Whether an error (or what it wraps) says the database could not be reached, rather than that a statement failed. */
export function isDatabaseOutage(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (DB_OUTAGE_STATES.has(code) || DB_OUTAGE_CODES.has(code))) return true;
    if (typeof message === "string" && DB_OUTAGE_MESSAGES.some((m) => m.test(message))) return true;
    e =
      (e as { driverError?: unknown; cause?: unknown; originalError?: unknown }).driverError ??
      (e as { cause?: unknown }).cause ??
      (e as { originalError?: unknown }).originalError;
  }
  return false;
}

/**
 * Apollo `formatError`: known codes pass with their message; an outage of the service's own database is UNAVAILABLE
 * naming it; everything else is logged
 * with the request id and reaches the client as INTERNAL, so no stack trace, SQL text or
 * driver message ever leaves the server. In production no message carries a "Did you mean"
 * suggestion, whichever stage raised it (validation, variable coercion at the gateway or a
 * subgraph, or an answer passed on from a subgraph).
 */
export function makeErrorFormatter(log: Logger, production: boolean = isProduction(), database?: string) {
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
    // `database` names this service's database: an outage of it is UNAVAILABLE naming it, not INTERNAL.
    if (database && isDatabaseOutage(original)) {
      log.error({ err: original, path: formatted.path }, `${database} unavailable`);
      return { message: `${database} is unavailable`, path: formatted.path, extensions: { code: "UNAVAILABLE", service: database } };
    }
    log.error({ err: original, path: formatted.path, code }, "internal error");
    return { message: "Internal error", path: formatted.path, extensions: { code: "INTERNAL" } };
  };
}
