import { readFileSync } from "node:fs";
import { HeaderMap, type HTTPGraphQLResponse } from "@apollo/server";
import { EnvelopArmor } from "@escape.tech/graphql-armor";
import { createGatewayRuntime, type GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { unifiedGraphHandler as rustPlanner } from "@graphql-hive/router-runtime";
import { getOperationAST, GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Logger } from "pino";
import { makeErrorFormatter } from "@interforce/server-kit";
import type { GatewayConfig } from "./config.js";
import { signedCall } from "./forward.js";
import { armorConfig, costRefusal, operationCost } from "./limits.js";
import type { GatewayContext, GraphQLEngine } from "./context.js";

type Ctx = { interforce?: GatewayContext };

/**
 * Requests a browser may send cross-site without a preflight: no content type, or one of the
 * three a form can send, and none of the headers only a script can set. They execute nothing,
 * as with Apollo Server's CSRF prevention, and get the same answer.
 */
const SIMPLE_TYPES = new Set(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]);
const PREFLIGHT_HEADERS = ["x-apollo-operation-name", "apollo-require-preflight"];
function mayBeCrossSite(headers: HeaderMap): boolean {
  const type = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type && !SIMPLE_TYPES.has(type)) return false;
  return !PREFLIGHT_HEADERS.some((h) => (headers.get(h) ?? "") !== "");
}
const CSRF_MESSAGE =
  "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Please either specify a 'content-type' header " +
  "(with a type that is not one of application/x-www-form-urlencoded, multipart/form-data, text/plain) or provide a non-empty value " +
  `for one of the following headers: ${PREFLIGHT_HEADERS.join(", ")}`;

function jsonResponse(status: number, body: unknown): HTTPGraphQLResponse {
  const headers = new HeaderMap([["content-type", "application/json; charset=utf-8"]]);
  return { status, headers, body: { kind: "complete", string: JSON.stringify(body) } };
}

/**
 * The error as Apollo Server would have coded it. Variables that do not fit their declared
 * types are refused by graphql-js's executor ("Variable "$n" got invalid value …") with no code
 * of their own: the caller's mistake (BAD_USER_INPUT), not an internal error.
 */
function formatted(error: unknown): GraphQLFormattedError {
  if (!(error instanceof GraphQLError)) return { message: error instanceof Error ? error.message : String(error) };
  const out = error.toJSON();
  const fromExecutor = !error.originalError || error.originalError instanceof GraphQLError;
  if (out.extensions?.code === undefined && !error.path && fromExecutor && /^Variable "\$[_A-Za-z0-9]+" /.test(error.message)) {
    return { ...out, extensions: { ...out.extensions, code: "BAD_USER_INPUT", http: { status: 400 } } };
  }
  return out;
}

/**
 * An answer with errors and no `data` at all was refused before execution (unparsable, invalid,
 * or over a limit): 400, as Apollo Server answers it, whatever the client accepts.
 */
function statusOf(status: number, body: string): number {
  if (status !== 200 || body.includes('"data"')) return status;
  try {
    const parsed = JSON.parse(body) as { data?: unknown; errors?: unknown[] };
    return parsed.errors?.length && !("data" in parsed) ? 400 : status;
  } catch {
    return status;
  }
}

/**
 * Hive Gateway over the same supergraph, with the Apollo engine's properties: each subgraph
 * call carries only the allowlisted headers and the caller's token, purpose and request id,
 * signed for its subgraph, with a deadline and no redirects; graphql-armor's limits (its
 * envelop plugins, token count included) and the same cost analysis before any subgraph is
 * called; the same error masking; no introspection in production and no IDE of its own (the
 * HTTP layer serves the bundled /graphiql); CSRF prevention; no batching. Token checks, rate limits, body cap and time budget stay in the HTTP layer,
 * shared by every engine. `planner: "rust"` plans with Hive Router's query planner.
 */
export function hiveEngine(cfg: GatewayConfig, log: Logger, production: boolean, planner: "js" | "rust" = "js"): GraphQLEngine {
  const formatError = makeErrorFormatter(log, production);
  const sdl = readFileSync(cfg.supergraphPath, "utf8");

  const signing: GatewayPlugin = {
    onFetch({ url, options, setOptions, executionRequest, context }) {
      const subgraph = executionRequest?.subgraphName;
      const secret = subgraph ? cfg.subgraphSecrets[subgraph] : undefined;
      const caller = (context as Ctx).interforce;
      if (!subgraph || !secret || !caller) throw new Error(`gateway: refused a subgraph call outside a request (${subgraph ?? "no subgraph"})`);
      if (options.body !== undefined && typeof options.body !== "string") throw new Error("gateway: a subgraph call's body is not text");
      const headers: Record<string, string> = {
        "content-type": "application/json",
        authorization: caller.authorization,
        "x-request-id": caller.requestId,
        ...(caller.purpose ? { "x-purpose": caller.purpose } : {}),
      };
      const signed = signedCall(url, { method: options.method, headers, body: options.body }, { subgraph, secret, timeoutMs: cfg.subgraphTimeoutMs });
      setOptions({ ...options, ...signed });
    },
  };

  const cost: GatewayPlugin = {
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      let value: number | null;
      try {
        value = operationCost(args.schema, args.document, operation, args.variableValues ?? undefined);
      } catch (e) {
        const reason = e instanceof GraphQLError ? ` (${e.message})` : "";
        throw costRefusal(`Query Cost limit of ${cfg.limits.maxCost} exceeded: the cost of this operation could not be computed${reason}`);
      }
      if (value !== null && value > cfg.limits.maxCost) throw costRefusal(`Query Cost limit of ${cfg.limits.maxCost} exceeded, found ${value}.`);
    },
  };

  const armor = new EnvelopArmor(armorConfig(cfg.limits, production, { tokensInArmor: true })).protect();
  const runtime = createGatewayRuntime<Ctx>({
    supergraph: () => sdl,
    // The Rust query planner (@graphql-hive/router-runtime) in place of the JavaScript one; everything else is the same.
    ...(planner === "rust" ? { unifiedGraphHandler: rustPlanner } : {}),
    transportEntries: Object.fromEntries(
      Object.entries(cfg.subgraphUrls).map(([name, location]) => [
        name,
        {
          location,
          // Off: the HTTP executor would otherwise merge identical queries in flight to a subgraph by URL and body alone,
          // before the caller's token is set, and hand one caller's answer to every other (and the owner would log one
          // access for all of them).
          options: { deduplicateInflightRequests: false },
        },
      ]),
    ),
    logging: false,
    // Hive's GraphiQL loads from a CDN; the gateway serves its own bundled one at /graphiql (development only).
    landingPage: false,
    graphiql: false,
    requestId: false,
    disableIntrospection: production ? {} : undefined,
    maskedErrors: {
      maskError: (error) => {
        const coded = formatted(error);
        const out = formatError(coded, error);
        const http = coded.extensions?.http as object | undefined;
        return new GraphQLError(out.message, {
          nodes: error instanceof GraphQLError ? error.nodes : undefined,
          source: error instanceof GraphQLError ? error.source : undefined,
          positions: error instanceof GraphQLError ? error.positions : undefined,
          path: out.path,
          extensions: { ...out.extensions, ...(http ? { http } : {}) },
        });
      },
    },
    plugins: () => [...(armor.plugins as GatewayPlugin[]), cost, signing],
  });

  return {
    async executeHTTPGraphQLRequest({ httpGraphQLRequest, context }) {
      const { method, headers, search, body } = httpGraphQLRequest;
      if (mayBeCrossSite(headers)) return jsonResponse(400, { errors: [{ message: CSRF_MESSAGE, extensions: { code: "BAD_REQUEST" } }] });
      let caller: GatewayContext;
      try {
        caller = await context();
      } catch (e) {
        const status = e instanceof GraphQLError ? ((e.extensions.http as { status?: number } | undefined)?.status ?? 500) : 500;
        return jsonResponse(status, { errors: [formatError(formatted(e), e)] });
      }
      const request = new Request(`http://gateway.internal/graphql${search}`, {
        method,
        headers: [...headers],
        body: method === "POST" && body !== undefined ? JSON.stringify(body) : undefined,
      });
      const response = await runtime.fetch(request, { interforce: caller });
      const text = await response.text();
      return { status: statusOf(response.status, text), headers: new HeaderMap([...response.headers]), body: { kind: "complete", string: text } };
    },
    async stop() {
      await runtime.dispose();
    },
  };
}
