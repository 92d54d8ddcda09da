import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { ValidationRule } from "graphql";
import type { QueryLimits } from "./config.js";

/**
 * Per-operation limits, checked on the parsed document before any query plan is built or
 * any subgraph is called (graphql-armor, and graphql-js for tokens): token count (bounds parsing), depth (the link graph
 * is cyclic: identity → links → toIdentity → identity …), cost, aliases (one field asked 500
 * times), and directives. Fragments count for what they contain, not as levels of their own.
 * Field suggestions are masked in production; Apollo's own option hides enum suggestions.
 */
export function queryLimits<TContext extends BaseContext>(
  limits: QueryLimits,
  production: boolean,
): { plugins: ApolloServerPlugin<TContext>[]; validationRules: ValidationRule[]; parseOptions: { maxTokens: number } } {
  const armor = new ApolloArmor({
    // graphql-js enforces the token limit in its own parser (below), which Apollo answers
    // with 400; armor's version throws from a plugin hook, which Apollo turns into a 500.
    maxTokens: { enabled: false },
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: !production },
    costLimit: { maxCost: limits.maxCost, flattenFragments: true, ignoreIntrospection: !production },
    // __typename is free to resolve but 500 copies of it still cost parsing, planning and answer size.
    maxAliases: { n: limits.maxAliases, allowList: [] },
    maxDirectives: { n: limits.maxDirectives },
    blockFieldSuggestion: { enabled: production },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    plugins: plugins as ApolloServerPlugin<TContext>[],
    validationRules: validationRules as ValidationRule[],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}
