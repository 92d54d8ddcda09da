import { AsyncLocalStorage } from "node:async_hooks";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";

/**
 * What the access-log line and the request metrics say of one request. http.ts opens it when the
 * request arrives and writes the line when the answer is sent; the GraphQL layer fills in who
 * asked and which operation (`operationsPlugin`). Only names and codes are kept: never the
 * query text, variables, a selector or a record.
 */
export interface RequestRecord {
  requestId: string;
  /** The operation's name, or its absence (anonymous) once an operation was resolved. */
  operation?: { name: string | null };
  /** `ok` or the first error code of the answer. */
  outcome?: string;
  sub?: string;
  org?: string;
}

const current = new AsyncLocalStorage<RequestRecord>();

/** Runs `fn` with `record` as the current request's record. */
export function withRequestRecord<T>(record: RequestRecord, fn: () => T): T {
  return current.run(record, fn);
}

/** The record of the request being handled here, if any. */
export function currentRequest(): RequestRecord | undefined {
  return current.getStore();
}

/** Records the caller of the current request (its token's `sub` and `org`, once verified). */
export function noteCaller(principal: { sub: string; org: string } | undefined): void {
  const record = current.getStore();
  if (record && principal) {
    record.sub = principal.sub;
    record.org = principal.org;
  }
}

const firstCode = (errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string | undefined => {
  if (!errors?.length) return undefined;
  const code = errors[0]!.extensions?.code;
  return typeof code === "string" ? code : "INTERNAL";
};

/**
 * Fills the current request's record from Apollo: the caller (`contextValue.principal`), the
 * resolved operation's name, and the outcome (`ok`, or the first error code of the answer).
 */
export function operationsPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      const record = current.getStore();
      if (!record) return;
      noteCaller((contextValue as { principal?: { sub: string; org: string } }).principal);
      return {
        async didResolveOperation({ operationName }) {
          record.operation = { name: operationName };
        },
        async willSendResponse({ response }) {
          const body = response.body;
          const errors = body.kind === "single" ? body.singleResult.errors : body.initialResult.errors;
          record.outcome = firstCode(errors) ?? "ok";
        },
      };
    },
  };
}
