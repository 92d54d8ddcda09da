import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { GraphQLArmorConfig } from "@escape.tech/graphql-armor-types";
import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode, ValidationRule } from "graphql";
import type * as GraphQL from "graphql";
import type * as QueryComplexity from "graphql-query-complexity";
import type { ComplexityEstimator } from "graphql-query-complexity";
import { createRequire } from "node:module";
import type { QueryLimits } from "./config.js";

// graphql 16 ships a CommonJS and an ES module build, each with its own classes. Apollo Server
// and the gateway load the CommonJS one, so the schema they hand to plugins is of that build;
// graphql-query-complexity's ES module build imports the other and would throw on that schema
// (or, with NODE_ENV=production, find no fields and cost every operation 0). Both are loaded
// here as CommonJS, and a schema of any other build is refused rather than mis-costed.
const requireCjs = createRequire(import.meta.url);
const graphql = requireCjs("graphql") as typeof GraphQL;
const { getComplexity, simpleEstimator } = requireCjs("graphql-query-complexity") as typeof QueryComplexity;

/** The largest page any list answers: every subgraph refuses a `first` above it. */
export const MAX_PAGE = 100;

/**
 * A field taking `first` costs one item's cost plus one, times the items it may hold. The
 * arguments come with variables and schema defaults applied, so `first: $n` and an omitted
 * `first` (default 20) cost what they will fetch. Values past the page limit count as the limit
 * (the subgraph refuses them before reading); values below 1 count as 1.
 */
export const listEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first: unknown = args.first;
  if (typeof first !== "number" || !Number.isFinite(first)) return undefined;
  return (childComplexity + 1) * Math.min(Math.max(first, 1), MAX_PAGE);
};

const estimators: ComplexityEstimator[] = [listEstimator, simpleEstimator({ defaultComplexity: 1 })];

/**
 * The cost of `operation` as run with `variables`: every other field costs 1 plus what it
 * contains; of an abstract type's fragments the dearest member counts. Null when the variables
 * do not fit their declared types: the gateway's executor refuses those before it plans a query.
 * Throws when the cost cannot be computed (an argument the variables make invalid, more than
 * 10 000 selections once fragments are expanded, or a schema of another graphql build).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number | null {
  if (!(schema instanceof graphql.GraphQLSchema)) throw new Error("the schema is not of the graphql build the cost analysis uses");
  const { errors } = graphql.getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (errors?.length) return null;
  return getComplexity({ schema, query: document, operationName: operation.name?.value, variables: variables ?? {}, estimators });
}

export function costRefusal(message: string): GraphQLError {
  return new graphql.GraphQLError(message, { extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } } });
}

/**
 * Refuses an operation over `maxCost` once Apollo has resolved it, before the gateway builds a
 * query plan or calls any subgraph; the answer is a 400 like any other validation failure.
 */
export function costLimit<TContext extends BaseContext>(maxCost: number): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          // No operation to run: the executor answers that, before planning anything.
          if (!operation) return;
          let cost: number | null;
          try {
            cost = operationCost(schema, document, operation, request.variables);
          } catch (e) {
            const reason = e instanceof graphql.GraphQLError ? ` (${e.message})` : "";
            throw costRefusal(`Query Cost limit of ${maxCost} exceeded: the cost of this operation could not be computed${reason}`);
          }
          if (cost !== null && cost > maxCost) throw costRefusal(`Query Cost limit of ${maxCost} exceeded, found ${cost}.`);
        },
      };
    },
  };
}

/**
 * graphql-armor's settings, the same for either engine. With Apollo Server graphql-js enforces
 * the token limit in its own parser, which Apollo answers with 400 (armor's version throws from
 * a plugin hook, which Apollo turns into a 500); under envelop armor's own rule does it.
 */
export function armorConfig(limits: QueryLimits, production: boolean, opts: { tokensInArmor: boolean }): GraphQLArmorConfig {
  return {
    maxTokens: opts.tokensInArmor ? { n: limits.maxTokens } : { enabled: false },
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: !production },
    costLimit: { enabled: false },
    // __typename is free to resolve but 500 copies of it still cost parsing, planning and answer size.
    maxAliases: { n: limits.maxAliases, allowList: [] },
    maxDirectives: { n: limits.maxDirectives },
    blockFieldSuggestion: { enabled: production },
  };
}

/**
 * Per-operation limits, checked on the parsed document before any query plan is built or
 * any subgraph is called (graphql-armor, and graphql-js for tokens): token count (bounds parsing), depth (the link graph
 * is cyclic: identity → links → toIdentity → identity …), aliases (one field asked 500
 * times), and directives. Fragments count for what they contain, not as levels of their own.
 * Cost (graphql-query-complexity) is checked once the operation is resolved, with its
 * variables: armor's cost rule reads only literal `first` values, so it is off.
 * Field suggestions are masked in production (armor here; the error formatter removes any
 * "Did you mean" left, such as graphql-js's for a misspelt enum value in a variable).
 */
export function queryLimits<TContext extends BaseContext>(
  limits: QueryLimits,
  production: boolean,
): { plugins: ApolloServerPlugin<TContext>[]; validationRules: ValidationRule[]; parseOptions: { maxTokens: number } } {
  const armor = new ApolloArmor(armorConfig(limits, production, { tokensInArmor: false }));
  const { plugins, validationRules } = armor.protect();
  return {
    plugins: [...(plugins as ApolloServerPlugin<TContext>[]), costLimit<TContext>(limits.maxCost)],
    validationRules: validationRules as ValidationRule[],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}
