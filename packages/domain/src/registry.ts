import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/**
 * The checkout (or image) this code runs from: the nearest folder above this module that
 * holds the registry, so the same code finds it run from source (packages/domain/src) or
 * compiled into a service bundle (services/<name>/dist). INTERFORCE_ROOT overrides it.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "infra", "orgs.json"))) return dir;
    if (dirname(dir) === dir) return resolve(from, "../../..");
  }
}

export const REPO_ROOT = process.env.INTERFORCE_ROOT ? resolve(process.env.INTERFORCE_ROOT) : findRoot(dirname(fileURLToPath(import.meta.url)));
/**
 * The org registry every process reads. INTERFORCE_REGISTRY names another one (a benchmark's
 * 43-force registry, a deployment's own), so the whole stack can run over it without
 * touching infra/orgs.json; every service inherits the launcher's environment.
 */
export const REGISTRY_PATH = process.env.INTERFORCE_REGISTRY ? resolve(process.env.INTERFORCE_REGISTRY) : resolve(REPO_ROOT, "infra/orgs.json");

const Spoc = z.object({ name: z.string(), email: z.string(), phone: z.string() });
/**
 * Where a service listens and where the others reach it. `host` is its bind address
 * (default 127.0.0.1); `url` the base URL its callers use (default `http://<host>:<port>`,
 * with 127.0.0.1 for a wildcard bind). Environment variables override both per process
 * (HOST, PORT, SUBGRAPH_URLS, FORCE_URLS, HUB_URL): see the table under "Running each service from its environment" in the README.
 */
const Placement = {
  port: z.number().int().positive(),
  host: z.string().min(1).optional(),
  url: z.string().url().optional(),
};
const Org = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/),
  name: z.string().min(1),
  typePrefix: z.string().regex(/^[A-Z][A-Za-z0-9]*$/),
  ...Placement,
  spoc: Spoc,
});
const Registry = z.object({
  $comment: z.string().optional(),
  gateway: z.object(Placement),
  hub: z.object({ ...Placement, database: z.string() }),
  orgs: z.array(Org).min(1),
});

export type OrgEntry = z.infer<typeof Org>;
export type OrgRegistry = z.infer<typeof Registry>;

let cached: OrgRegistry | undefined;

export function loadRegistry(path = REGISTRY_PATH): OrgRegistry {
  if (cached && path === REGISTRY_PATH) return cached;
  const parsed = Registry.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) {
    throw new Error(`The org registry ${path} is invalid: ${parsed.error.message}`);
  }
  const codes = new Set<string>();
  const prefixes = new Set<string>();
  const ports = new Map<number, string>([
    [parsed.data.gateway.port, "the gateway"],
    [parsed.data.hub.port, "the hub"],
  ]);
  for (const org of parsed.data.orgs) {
    if (codes.has(org.code)) throw new Error(`The org registry lists ${org.code} twice`);
    codes.add(org.code);
    // Two orgs with one type prefix would own the same entity types: composition would merge them.
    if (prefixes.has(org.typePrefix)) throw new Error(`The org registry gives the type prefix ${org.typePrefix} to two orgs`);
    prefixes.add(org.typePrefix);
    const taken = ports.get(org.port);
    if (taken) throw new Error(`The org registry gives port ${org.port} to ${org.code} and to ${taken}`);
    ports.set(org.port, org.code);
  }
  if (path === REGISTRY_PATH) cached = parsed.data;
  return parsed.data;
}

export function findOrg(code: string): OrgEntry | undefined {
  return loadRegistry().orgs.find((o) => o.code === code);
}

export function orgDatabaseName(code: string): string {
  return `interforce_${code.toLowerCase()}`;
}

/** Ports shift by INTERFORCE_PORT_OFFSET so a test stack can run beside a dev stack. */
export function portOffset(): number {
  return Number(process.env.INTERFORCE_PORT_OFFSET ?? 0) || 0;
}
export function orgPort(code: string): number {
  const org = findOrg(code);
  if (!org) throw new Error(`Unknown org ${code}`);
  return org.port + portOffset();
}
export function hubPort(): number {
  return loadRegistry().hub.port + portOffset();
}
export function gatewayPort(): number {
  return loadRegistry().gateway.port + portOffset();
}
export type ServiceRef = "gateway" | "hub" | { org: string };

function placementOf(service: ServiceRef): { port: number; host?: string; url?: string } {
  const reg = loadRegistry();
  if (service === "gateway") return reg.gateway;
  if (service === "hub") return reg.hub;
  const org = findOrg(service.org);
  if (!org) throw new Error(`Unknown org ${service.org}`);
  return org;
}

/** The address a service binds to: the HOST variable, else the registry's `host`, else loopback only. */
export function bindHost(service: ServiceRef, env: NodeJS.ProcessEnv = process.env): string {
  return env.HOST || placementOf(service).host || "127.0.0.1";
}

/**
 * The base URL (no path) at which other services reach a service: the registry's `url`, else
 * its bind host and port (the port offset applied). A wildcard bind is reached on loopback.
 */
export function serviceBaseUrl(service: ServiceRef): string {
  const p = placementOf(service);
  if (p.url) return p.url.replace(/\/+$/, "");
  const host = !p.host || p.host === "0.0.0.0" || p.host === "::" ? "127.0.0.1" : p.host;
  const port = service === "gateway" ? gatewayPort() : service === "hub" ? hubPort() : orgPort(service.org);
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** `name=value,name=value` (SUBGRAPH_URLS, FORCE_URLS, …); an entry that names nothing in `names` is refused. */
export function parsePairs(value: string | undefined, what: string, names: Iterable<string>): Record<string, string> {
  const known = new Set(names);
  const out: Record<string, string> = {};
  for (const pair of (value ?? "").split(",").filter((p) => p.trim())) {
    const at = pair.indexOf("=");
    const name = pair.slice(0, at).trim();
    const v = pair.slice(at + 1).trim();
    if (at < 1 || !v || !known.has(name)) throw new Error(`${what} entry "${name || pair}" names nothing known (${[...known].join(", ")})`);
    out[name] = v;
  }
  return out;
}

export function subgraphName(code: string): string {
  return code.toLowerCase();
}
