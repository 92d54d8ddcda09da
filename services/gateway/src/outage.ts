import type { GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { Kind, parse, type GraphQLFormattedError, type OperationDefinitionNode } from "graphql";
import { loadRegistry, subgraphName } from "@interforce/domain";

/** The org a subgraph serves (KENT for `kent`), or the subgraph's own name (`hub`). */
export function serviceOf(subgraph: string): string {
  return loadRegistry().orgs.find((o) => subgraphName(o.code) === subgraph)?.code ?? subgraph;
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET"]);

/**
 * A subgraph call that got no answer: refused or reset connections, no answer within the deadline, or a 502/503/504
 * from whatever stands in front of the subgraph. A subgraph's own answer, however bad, is not an outage.
 */
export function isOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "TimeoutError" || error.name === "AbortError") return true;
  const cause = (error as { cause?: { code?: unknown; name?: unknown } }).cause;
  if (error instanceof TypeError && (typeof cause?.code !== "string" || UNREACHABLE.has(cause.code) || cause.name === "TimeoutError")) return true;
  const status = ((error as { extensions?: { response?: { status?: unknown } } }).extensions?.response?.status ?? 0) as number;
  return status === 502 || status === 503 || status === 504;
}

/**
 * The answer given in place of a subgraph that did not answer: UNAVAILABLE naming its org, at the path of each field
 * the call was for (each entity it was asked for, or each root field), so the rest of the operation still answers and
 * the client sees which fields are missing and why.
 */
export function outageAnswer(subgraph: string, options: GraphQLDataSourceProcessOptions): { errors: GraphQLFormattedError[] } {
  const service = serviceOf(subgraph);
  const error = (path: (string | number)[]) => ({
    message: `${service} is unavailable: it did not answer`,
    path,
    extensions: { code: "UNAVAILABLE", service },
  });
  const representations = options.request.variables?.representations;
  if (Array.isArray(representations)) return { errors: representations.map((_, i) => error(["_entities", i])) };
  let operation: OperationDefinitionNode | undefined;
  try {
    operation = parse(options.request.query ?? "").definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch {
    operation = undefined;
  }
  const roots = (operation?.selectionSet.selections ?? []).flatMap((s) => (s.kind === Kind.FIELD ? [(s.alias ?? s.name).value] : []));
  return { errors: roots.length ? roots.map((name) => error([name])) : [error([])] };
}
