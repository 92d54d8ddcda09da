/**
 * Compiles each service into one ES module for production: `services/<name>/dist/main.mjs`,
 * run with plain `node` (no runtime transpiling, no source maps). The workspace packages and
 * the libraries only they use are compiled in; the libraries the service itself depends on
 * stay outside and load from the service's own node_modules, so each is loaded once. Then the
 * web console (infra/build/console.ts), which the gateway serves.
 *   npm run build [-- --help]
 */
import { readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build, type Plugin } from "esbuild";
import { REPO_ROOT } from "@interforce/domain";
import { buildConsole } from "./console.js";

export const SERVICES = ["force-subgraph", "hub-subgraph", "gateway"] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The compiled entry of a service, relative to the repository root. */
export const compiledEntry = (service: ServiceName) => `services/${service}/dist/main.mjs`;

/** The package a bare import names (`@scope/name/sub` → `@scope/name`). */
const packageOf = (spec: string) =>
  spec
    .split("/")
    .slice(0, spec.startsWith("@") ? 2 : 1)
    .join("/");

/** Optional peers that libraries load only when asked to (type-graphql's argument validation). */
const OPTIONAL_PEERS = new Set(["class-validator"]);

function externals(service: ServiceName): Plugin {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "services", service, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  const own = new Set(Object.keys(manifest.dependencies ?? {}).filter((d) => !d.startsWith("@interforce/")));
  return {
    name: "service-dependencies",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("node:")) return { path: args.path, external: true };
        const pkg = packageOf(args.path);
        return own.has(pkg) || OPTIONAL_PEERS.has(pkg) ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

/** Compiles one service; returns the output path and its size. */
export async function buildService(service: ServiceName): Promise<{ out: string; bytes: number }> {
  const out = join(REPO_ROOT, compiledEntry(service));
  await build({
    entryPoints: [join(REPO_ROOT, "services", service, "src", "main.ts")],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
    tsconfig: join(REPO_ROOT, "tsconfig.base.json"),
    plugins: [externals(service)],
    // Libraries compiled in that are CommonJS call require(); give them Node's.
    banner: { js: `import { createRequire as __interforceRequire } from "node:module"; const require = __interforceRequire(import.meta.url);` },
  });
  return { out, bytes: statSync(out).size };
}

export async function buildAll(log: (line: string) => void = console.log): Promise<void> {
  for (const s of SERVICES) {
    const started = Date.now();
    const { out, bytes } = await buildService(s).catch((e: Error) => {
      throw new Error(`${s}: ${e.message}`);
    });
    log(`built ${relative(REPO_ROOT, out)} (${Math.round(bytes / 1024)} KiB) in ${Date.now() - started} ms`);
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const { values } = parseArgs({ options: { help: { type: "boolean" } } });
  if (values.help) {
    console.log(
      "usage: npm run build\n  Compiles every service into services/<name>/dist/main.mjs, run by the launcher in production mode,\n" +
        "  and the web console into services/console/dist, which the gateway serves.",
    );
    process.exit(0);
  }
  await buildAll();
  await buildConsole();
}
