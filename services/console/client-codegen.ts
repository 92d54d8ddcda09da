/**
 * The console's typed client (src/gql/), generated from the API schema of schema/supergraph.graphql
 * and the operations in src/. `codegen.ts` is the same configuration for the graphql-codegen CLI
 * (`pnpm --filter @interforce/console codegen`, or with --watch while editing); this module does it
 * in memory, formatted as `prettier --write` would, for infra/schema/compose.ts --check and --write.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Supergraph } from "@apollo/federation-internals";
import { generate, type CodegenConfig } from "@graphql-codegen/cli";
import { printSchema } from "graphql";
import { format, resolveConfig } from "prettier";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const REPO = here("../../");
const OUT_DIR = here("src/gql/");

/** What clients of the gateway see: the supergraph without the federation machinery. */
function apiSchemaSdl(): string {
  const supergraph = Supergraph.build(readFileSync(join(REPO, "schema/supergraph.graphql"), "utf8"));
  return printSchema(supergraph.apiSchema().toGraphQLJSSchema());
}

/** Read when called, so that a just-composed supergraph is the one used. */
export function codegenConfig(): CodegenConfig {
  return {
    schema: apiSchemaSdl(),
    documents: [here("src/**/*.{ts,tsx}"), `!${OUT_DIR}**`],
    generates: {
      [OUT_DIR]: {
        preset: "client",
        presetConfig: { fragmentMasking: false },
        config: {
          enumsAsTypes: true,
          useTypeImports: true,
          // Operations are sent as strings: no GraphQL parser in the bundle.
          documentMode: "string",
          onlyOperationTypes: true,
          strictScalars: true,
          scalars: { DateTimeISO: "string", JSONObject: "Record<string, unknown>" },
        },
      },
    },
    hooks: { afterAllFileWrite: ["prettier --write"] },
  };
}

/** The generated files, by absolute path, as they should be committed. */
async function generateClient(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const { filename, content } of await generate({ ...codegenConfig(), silent: true }, false)) {
    const options = await resolveConfig(filename);
    files.set(filename, await format(content, { ...options, filepath: filename }));
  }
  return files;
}

/** Repository-relative paths of src/gql/ files that differ from what the schema and operations produce (empty when in sync). */
export async function clientDrift(): Promise<string[]> {
  const expected = await generateClient();
  const onDisk = existsSync(OUT_DIR) ? readdirSync(OUT_DIR).map((f) => join(OUT_DIR, f)) : [];
  const stale = [...expected].filter(([file, text]) => !existsSync(file) || readFileSync(file, "utf8") !== text).map(([file]) => file);
  const extra = onDisk.filter((file) => !expected.has(file));
  return [...stale, ...extra].map((file) => relative(REPO, file)).sort();
}

/** Writes src/gql/; returns the repository-relative paths written. */
export async function writeClient(): Promise<string[]> {
  const files = await generateClient();
  for (const [file, text] of files) writeFileSync(file, text);
  return [...files.keys()].map((file) => relative(REPO, file)).sort();
}
