/**
 * Cost follows the forces a request hits, not the forces registered: the same operations through the gateway with the
 * 4-org registry and with a 43-org one (the 4 orgs and 39 more England and Wales forces, each a real subgraph process
 * with its own database), demo data in the 4 orgs only, so the hits are the same; and the cold query-plan time of each
 * operation on both supergraphs, timed on Apollo's planner itself. Writes test/bench/REGISTRY.md.
 *   pnpm bench:registry [--runs N] [--out FILE]
 */
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";
import { REPO_ROOT, loadRegistry, type OrgEntry, type OrgRegistry } from "@interforce/domain";
import { OPERATIONS, stats } from "./measure.js";
import type { OperationKey, RunResult, RunSpec } from "./registry-run.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "100" },
    "plan-runs": { type: "string", default: "20" },
    "cold-samples": { type: "string", default: "3" },
    out: { type: "string", default: "test/bench/REGISTRY.md" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log(`usage: pnpm bench:registry [options]
  Runs the federation with the 4-org registry (infra/orgs.json), then with a 43-org one written to a temporary
  directory (INTERFORCE_REGISTRY) and its own composed supergraph, one stack after the other, in production mode.
  --runs N        timed requests per operation and registry, after 20 warm-up ones (default 100)
  --plan-runs N   warm plans per operation after the cold one, on the planner directly (default 20)
  --cold-samples N  fresh planner processes per operation and supergraph; the median cold plan is reported (default 3)
  --out FILE      where the results go (default test/bench/REGISTRY.md)`);
  process.exit(0);
}
const runs = Number(values.runs);
const planRuns = Number(values["plan-runs"]);
const coldSamples = Number(values["cold-samples"]);
if (!Number.isInteger(runs) || runs < 20 || !Number.isInteger(planRuns) || planRuns < 1 || !Number.isInteger(coldSamples) || coldSamples < 1) {
  console.error("--runs must be an integer ≥ 20, --plan-runs and --cold-samples positive integers");
  process.exit(2);
}

/** The 39 territorial forces of England and Wales besides Norfolk, Kent and Essex (City of London left out). */
const FORCES: [code: string, name: string][] = [
  ["AVON_SOMERSET", "Avon and Somerset Constabulary"],
  ["BEDFORDSHIRE", "Bedfordshire Police"],
  ["CAMBRIDGESHIRE", "Cambridgeshire Constabulary"],
  ["CHESHIRE", "Cheshire Constabulary"],
  ["CLEVELAND", "Cleveland Police"],
  ["CUMBRIA", "Cumbria Constabulary"],
  ["DERBYSHIRE", "Derbyshire Constabulary"],
  ["DEVON_CORNWALL", "Devon and Cornwall Police"],
  ["DORSET", "Dorset Police"],
  ["DURHAM", "Durham Constabulary"],
  ["DYFED_POWYS", "Dyfed-Powys Police"],
  ["GLOUCESTERSHIRE", "Gloucestershire Constabulary"],
  ["GREATER_MANCHESTER", "Greater Manchester Police"],
  ["GWENT", "Gwent Police"],
  ["HAMPSHIRE", "Hampshire and Isle of Wight Constabulary"],
  ["HERTFORDSHIRE", "Hertfordshire Constabulary"],
  ["HUMBERSIDE", "Humberside Police"],
  ["LANCASHIRE", "Lancashire Constabulary"],
  ["LEICESTERSHIRE", "Leicestershire Police"],
  ["LINCOLNSHIRE", "Lincolnshire Police"],
  ["MERSEYSIDE", "Merseyside Police"],
  ["METROPOLITAN", "Metropolitan Police Service"],
  ["NORTH_WALES", "North Wales Police"],
  ["NORTH_YORKSHIRE", "North Yorkshire Police"],
  ["NORTHAMPTONSHIRE", "Northamptonshire Police"],
  ["NORTHUMBRIA", "Northumbria Police"],
  ["NOTTINGHAMSHIRE", "Nottinghamshire Police"],
  ["SOUTH_WALES", "South Wales Police"],
  ["SOUTH_YORKSHIRE", "South Yorkshire Police"],
  ["STAFFORDSHIRE", "Staffordshire Police"],
  ["SUFFOLK", "Suffolk Constabulary"],
  ["SURREY", "Surrey Police"],
  ["SUSSEX", "Sussex Police"],
  ["THAMES_VALLEY", "Thames Valley Police"],
  ["WARWICKSHIRE", "Warwickshire Police"],
  ["WEST_MERCIA", "West Mercia Police"],
  ["WEST_MIDLANDS", "West Midlands Police"],
  ["WEST_YORKSHIRE", "West Yorkshire Police"],
  ["WILTSHIRE", "Wiltshire Police"],
];
/**
 * Below the real orgs' ports, so that with this benchmark's port offset they stay under 32768, where Linux's ephemeral
 * range begins: 39 more listeners up there would often find a port already held by an outgoing connection of a
 * service started before them (the forces' keep-alive calls to the hub and their database pools never let go of theirs).
 */
const FIRST_EXTRA_PORT = 2701;
const PORT_OFFSET = 30000;
const PG_PORT = PORT_OFFSET + 4049;

const say = (line: string) => console.log(line);
const base = loadRegistry();
const realOrgs = base.orgs.map((o) => o.code);

function nationalRegistry(): OrgRegistry {
  const extra = FORCES.map(([code, name], i): OrgEntry => {
    const slug = code.toLowerCase().replaceAll("_", "-");
    return {
      code,
      name,
      typePrefix: code
        .split("_")
        .map((w) => w[0] + w.slice(1).toLowerCase())
        .join(""),
      port: FIRST_EXTRA_PORT + i,
      spoc: { name: `${name} Intelligence SPOC`, email: `spoc.intel@${slug}.police.example`, phone: `01632 000 ${String(200 + i).padStart(3, "0")}` },
    };
  });
  return { ...base, orgs: [...base.orgs, ...extra] };
}

const exec = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), "interforce-registry-bench-"));
const registryPath = join(work, "orgs-43.json");
const schemaDir = join(work, "schema-43");
const national = nationalRegistry();
writeFileSync(registryPath, JSON.stringify(national, null, 2));
say(`wrote a ${national.orgs.length}-org registry to ${registryPath}; composing its supergraph…`);
await exec(process.execPath, ["--import", "tsx", "infra/schema/compose.ts", "--write", "--schema-dir", schemaDir], {
  cwd: REPO_ROOT,
  env: { ...process.env, INTERFORCE_REGISTRY: registryPath },
});
const supergraphs = { 4: join(REPO_ROOT, "schema/supergraph.graphql"), 43: join(schemaDir, "supergraph.graphql") } as const;
const sizes = Object.values(supergraphs).map((f) => Math.round(readFileSync(f).length / 1024));
say(`supergraphs: 4 orgs ${sizes[0]} KiB, ${national.orgs.length} orgs ${sizes[1]} KiB`);

type Plan = { buildMs: number; coldMs: number; warmP50Ms: number; fetchNodes: number };
const keys = Object.keys(OPERATIONS) as OperationKey[];
const plans: Record<"4" | "43", Record<OperationKey, Plan & { coldSamples: number[] }>> = { 4: {} as never, 43: {} as never };
for (const n of ["4", "43"] as const) {
  for (const op of keys) {
    say(`query planner, ${n} orgs: ${OPERATIONS[op].name} (${coldSamples} cold starts)…`);
    const samples: Plan[] = [];
    for (let i = 0; i < coldSamples; i++) {
      // A process of its own each time: the planner and its code as cold as in a gateway that has just started.
      const { stdout } = await exec(
        process.execPath,
        ["--import", "tsx", "test/bench/plan.ts", "--supergraph", supergraphs[n], "--operation", OPERATIONS[op].query, "--runs", String(planRuns)],
        { cwd: REPO_ROOT },
      );
      samples.push(JSON.parse(stdout.trim().split("\n").pop()!) as Plan);
    }
    const median = (f: (p: Plan) => number) => stats(samples.map(f)).p50;
    plans[n][op] = {
      buildMs: median((p) => p.buildMs),
      coldMs: median((p) => p.coldMs),
      warmP50Ms: median((p) => p.warmP50Ms),
      fetchNodes: samples[0]!.fetchNodes,
      coldSamples: samples.map((p) => p.coldMs),
    };
  }
}

/** One stack over one registry, in a process of its own: every registry read there, and in its services, is that one. */
async function runStack(label: string, env: Record<string, string>, supergraphPath?: string): Promise<RunResult> {
  const home = join(work, `home-${label}`);
  mkdirSync(home);
  const spec: RunSpec = { home, supergraphPath, seedOrgs: realOrgs, runs, portOffset: PORT_OFFSET, pgPort: PG_PORT, out: join(work, `result-${label}.json`) };
  const specPath = join(work, `spec-${label}.json`);
  writeFileSync(specPath, JSON.stringify(spec));
  say(`starting the federation with ${label} orgs (production mode, demo data in ${realOrgs.join(", ")})…`);
  const child = spawn(process.execPath, ["--import", "tsx", "test/bench/registry-run.ts", specPath], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  if (code !== 0) throw new Error(`the ${label}-org run failed (exit ${code})`);
  return JSON.parse(readFileSync(spec.out, "utf8")) as RunResult;
}

try {
  const small = await runStack("4", {});
  const big = await runStack(String(national.orgs.length), { INTERFORCE_REGISTRY: registryPath }, supergraphs[43]);

  const f1 = (x: number) => x.toFixed(1);
  const mark = (ok: boolean) => (ok ? "✓" : "✗");
  const latency = [
    `| operation (through the gateway) | p50 4 orgs | p95 4 orgs | p50 ${big.orgs} orgs | p95 ${big.orgs} orgs | p95 ratio | target | |`,
    "|---|---:|---:|---:|---:|---:|---|---|",
    ...keys.map((op) => {
      const a = small.warm[op];
      const b = big.warm[op];
      const ratio = b.p95 / a.p95;
      const target = op === "exact" ? `≤ 1.2×` : "—";
      return `| ${OPERATIONS[op].name} | ${f1(a.p50)} | ${f1(a.p95)} | ${f1(b.p50)} | ${f1(b.p95)} | ${ratio.toFixed(2)}× | ${target} | ${op === "exact" ? mark(ratio <= 1.2) : ""} |`;
    }),
  ];
  const planning = [
    `| operation | cold plan 4 orgs | cold plan ${big.orgs} orgs | warm plan ${big.orgs} orgs | fetch nodes 4 / ${big.orgs} | first request after start 4 / ${big.orgs} orgs | target | |`,
    "|---|---:|---:|---:|---:|---:|---|---|",
    ...keys.map((op) => {
      const a = plans[4][op];
      const b = plans[43][op];
      return `| ${OPERATIONS[op].name} | ${f1(a.coldMs)} | ${f1(b.coldMs)} | ${f1(b.warmP50Ms)} | ${a.fetchNodes} / ${b.fetchNodes} | ${f1(small.first[op])} / ${f1(big.first[op])} | ≤ 200 ms | ${mark(a.coldMs <= 200 && b.coldMs <= 200)} |`;
    }),
  ];
  const memory = [
    "| peak RSS (VmHWM), MiB | 4 orgs | " + big.orgs + " orgs |",
    "|---|---:|---:|",
    `| gateway | ${small.peakRss.gateway} | ${big.peakRss.gateway} |`,
    `| hub | ${small.peakRss.hub} | ${big.peakRss.hub} |`,
    `| largest force subgraph | ${small.peakRss.forceMax} | ${big.peakRss.forceMax} |`,
    `| every service together | ${small.peakRss.all} | ${big.peakRss.all} |`,
  ];
  const tables = `${latency.join("\n")}\n\n${planning.join("\n")}\n\n${memory.join("\n")}`;
  console.log(`\n${tables}\n`);
  const command = `pnpm bench:registry --runs ${runs} --plan-runs ${planRuns} --cold-samples ${coldSamples}`;
  const md = `# Cost follows forces hit, not forces registered

Written by \`${command}\` on ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; every service and one embedded PostgreSQL on it, production mode (compiled services), the per-principal rate limit raised, every other limit as deployed.

Two federations, one after the other: the 4-org registry (\`infra/orgs.json\`: ${realOrgs.join(", ")}) and a ${big.orgs}-org one (those 4 and ${big.orgs - realOrgs.length} more England and Wales forces, given to every process by \`INTERFORCE_REGISTRY\`, its supergraph composed by \`infra/schema/compose.ts --write --schema-dir\`): ${small.forceProcesses} and ${big.forceProcesses} force subgraph processes, each with its own database in the one PostgreSQL cluster. Demo data in the 4 orgs only, so every operation has the same hits in both (the exact search finds the shared handle at ${big.exactHitOrgs.join(" and ")}). The federation was ready in ${small.startSeconds.toFixed(0)} s and ${big.startSeconds.toFixed(0)} s.

## Latency through the gateway (ms)

One client, ${runs} timed requests per operation after 20 warm-up ones. The target is on the exact search, whose hits are in the same forces at both sizes; the identities across forces ask every registered force by definition (each holds its own records) and are shown for what that costs.

${latency.join("\n")}

## Query planning (ms)

Apollo's planner (\`@apollo/query-planner\`, the version \`@apollo/gateway\` runs) on each supergraph, for each operation in a process of its own, as the gateway does for the first request of an operation after it starts: \`new QueryPlanner(Supergraph.build(sdl))\`, then \`buildQueryPlan\` once (cold) and ${planRuns} times more (warm p50); ${coldSamples} such processes per operation and supergraph, the median shown (every cold sample is listed below). Building the planner, once per gateway start, took ${f1(plans[4].exact.buildMs)} ms at 4 orgs and ${f1(plans[43].exact.buildMs)} ms at ${big.orgs}. "First request after start" is that request's whole time through the gateway (planning, the subgraphs' own first requests, the database), measured on the stacks above.

${planning.join("\n")}

Cold samples, ms: ${keys.map((op) => `${OPERATIONS[op].name}: ${plans[4][op].coldSamples.map(f1).join(", ")} (4 orgs), ${plans[43][op].coldSamples.map(f1).join(", ")} (${big.orgs} orgs)`).join("; ")}.

## Memory

${memory.join("\n")}
`;
  writeFileSync(resolve(REPO_ROOT, values.out!), md);
  say(`written to ${values.out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
