import "reflect-metadata";
import { findOrg } from "@interforce/domain";
import { buildForceSubgraph } from "./graphql/org-schema.js";

const code = process.argv[2];
const org = code ? findOrg(code) : undefined;
if (!org) {
  console.error(`usage: print-sdl <ORG>   (an org code from infra/orgs.json)`);
  process.exit(2);
}
process.stdout.write((await buildForceSubgraph(org)).sdl);
