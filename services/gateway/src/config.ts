import { z } from "zod";
import { gatewayPort, hubPort, loadRegistry, orgPort, REPO_ROOT, subgraphName } from "@interforce/domain";
import { join } from "node:path";

const Env = z.object({
  PORT: z.coerce.number().int().positive().optional(),
  SUPERGRAPH_PATH: z.string().optional(),
  /** `name=url,name=url` overrides for subgraph URLs (production: one per force). */
  SUBGRAPH_URLS: z.string().optional(),
});

export interface GatewayConfig {
  port: number;
  supergraphPath: string;
  subgraphUrls: Record<string, string>;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw new Error(`gateway: invalid configuration: ${parsed.error.message}`);
  const urls: Record<string, string> = { hub: `http://127.0.0.1:${hubPort()}/graphql` };
  for (const org of loadRegistry().orgs) urls[subgraphName(org.code)] = `http://127.0.0.1:${orgPort(org.code)}/graphql`;
  for (const pair of (parsed.data.SUBGRAPH_URLS ?? "").split(",").filter(Boolean)) {
    const [name, url] = pair.split("=");
    if (!name || !url || !(name in urls)) throw new Error(`gateway: SUBGRAPH_URLS entry "${pair}" names no subgraph`);
    urls[name] = url;
  }
  return {
    port: parsed.data.PORT ?? gatewayPort(),
    supergraphPath: parsed.data.SUPERGRAPH_PATH ?? join(REPO_ROOT, "schema/supergraph.graphql"),
    subgraphUrls: urls,
  };
}
