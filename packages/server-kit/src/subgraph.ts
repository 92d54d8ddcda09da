import { parse, specifiedDirectives, type GraphQLSchema } from "graphql";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { buildSchema, createResolversMap, type BuildSchemaOptions } from "type-graphql";
import { badInput } from "./errors.js";

const FEDERATION_LINK = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@inaccessible"])
`;

/** Per-type extra resolvers, chiefly `__resolveReference` for entities. */
export type ReferenceResolvers = Record<string, Record<string, unknown>>;

export interface BuiltSubgraph {
  /** The subgraph SDL, as checked in under schema/subgraphs and fed to composition. */
  sdl: string;
  schema: GraphQLSchema;
}

/**
 * type-graphql builds the schema; Apollo's buildSubgraphSchema adds the federation fields
 * (_service, _entities). type-graphql schemas must be printed with printSchemaWithDirectives
 * so the @key/@shareable directives survive.
 */
export async function buildSubgraph(
  options: Omit<BuildSchemaOptions, "skipCheck" | "directives">,
  referenceResolvers: ReferenceResolvers = {},
): Promise<BuiltSubgraph> {
  const typeGraphqlSchema = await buildSchema({
    ...options,
    directives: [...specifiedDirectives],
    skipCheck: true,
    validate: false,
  });
  const sdl = `${FEDERATION_LINK}\n${printSchemaWithDirectives(typeGraphqlSchema)}\n`;
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<string, object>;
  for (const [typeName, refs] of Object.entries(referenceResolvers)) {
    const resolve = refs.__resolveReference as ((ref: { id: unknown }, ...rest: unknown[]) => unknown) | undefined;
    resolvers[typeName] = {
      ...resolvers[typeName],
      ...refs,
      // Every entity here is keyed by `id`: a representation without a usable one is refused.
      ...(resolve && {
        __resolveReference: (ref: { id: unknown }, ...rest: unknown[]) => {
          // Any string is looked up (one naming no record resolves to null, as for an unknown id).
          if (typeof ref.id !== "string") throw badInput(`each representation of ${typeName} needs a string id`, "representations");
          return resolve(ref, ...rest);
        },
      }),
    };
  }
  const schema = buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as never });
  return { sdl, schema };
}
