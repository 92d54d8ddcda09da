/**
 * Prints every subgraph's SDL from code and composes the supergraph.
 *   --write   write schema/subgraphs/*.graphql and schema/supergraph.graphql
 *   --check   fail when the checked-in files are stale or do not compose
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";
import { REPO_ROOT, loadRegistry, orgPort, hubPort, subgraphName } from "@interforce/domain";
import { buildForceSubgraph } from "@interforce/force-subgraph";
import { buildHubSubgraph } from "@interforce/hub-subgraph";
import { syncConsoleClient } from "./console-client.js";

const USAGE = `usage: tsx infra/schema/compose.ts (--write | --check) [--schema-dir DIR]
  --write           print each subgraph's SDL from code and compose schema/supergraph.graphql
  --check           exit 1 if schema/ differs from what the code produces or does not compose
  --schema-dir DIR  use DIR instead of the repository's schema/`;

const { values } = parseArgs({
  options: { write: { type: "boolean" }, check: { type: "boolean" }, help: { type: "boolean" }, "schema-dir": { type: "string" } },
});
if (values.help || values.write === values.check) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

const schemaDir = resolve(values["schema-dir"] ?? join(REPO_ROOT, "schema"));
const subgraphDir = join(schemaDir, "subgraphs");

export interface SubgraphSdl {
  name: string;
  url: string;
  sdl: string;
}

async function printSubgraphs(): Promise<SubgraphSdl[]> {
  // Default ports: the gateway maps names to the live URLs at start-up.
  delete process.env.INTERFORCE_PORT_OFFSET;
  const out: SubgraphSdl[] = [{ name: "hub", url: `http://127.0.0.1:${hubPort()}/graphql`, sdl: (await buildHubSubgraph()).sdl }];
  for (const org of loadRegistry().orgs) {
    out.push({ name: subgraphName(org.code), url: `http://127.0.0.1:${orgPort(org.code)}/graphql`, sdl: (await buildForceSubgraph(org)).sdl });
  }
  return out;
}

function compose(subgraphs: SubgraphSdl[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `  ${e.message}`).join("\n")}`);
  }
  return result.supergraphSdl;
}

const subgraphs = await printSubgraphs();
const supergraph = compose(subgraphs);
const expected = new Map<string, string>([
  ...subgraphs.map((s): [string, string] => [join(subgraphDir, `${s.name}.graphql`), s.sdl]),
  [join(schemaDir, "supergraph.graphql"), supergraph],
]);

if (values.write) {
  mkdirSync(subgraphDir, { recursive: true });
  for (const f of readdirSync(subgraphDir)) {
    // A subgraph no longer in the registry must not linger in the composed set.
    if (f.endsWith(".graphql") && !expected.has(join(subgraphDir, f))) unlinkSync(join(subgraphDir, f));
  }
  for (const [file, text] of expected) writeFileSync(file, text);
  console.log(`wrote ${subgraphs.length} subgraph schemas and schema/supergraph.graphql`);
} else {
  const stale: string[] = [];
  for (const [file, text] of expected) {
    if (!existsSync(file) || readFileSync(file, "utf8") !== text) stale.push(relative(process.cwd(), file));
  }
  // Checked-in subgraph files must also compose on their own, as the gateway uses them.
  const onDisk = (existsSync(subgraphDir) ? readdirSync(subgraphDir) : [])
    .filter((f) => f.endsWith(".graphql"))
    .map((f) => ({ name: f.replace(/\.graphql$/, ""), url: "http://unused", sdl: readFileSync(join(subgraphDir, f), "utf8") }));
  try {
    compose(onDisk);
  } catch (e) {
    console.error(`schema/subgraphs do not compose: ${(e as Error).message}`);
    process.exit(1);
  }
  if (stale.length) {
    console.error(`schema is stale; run \`pnpm schema:compose\`:\n${stale.map((s) => `  ${s}`).join("\n")}`);
    process.exit(1);
  }
  console.log(`schema up to date: ${subgraphs.length} subgraphs compose`);
}

// The console's typed client is generated from the supergraph: written with it, and stale with it.
await syncConsoleClient(values.write ? "write" : "check");
