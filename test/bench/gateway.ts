/**
 * The gateway engine, chosen by measurement: the demo federation runs in production mode (compiled services, every
 * limit, signature and mask on), and each engine in turn serves the same load from a second process. The subgraph that
 * does the work (the hub, or KENT for writes) called directly, signed as the gateway, under the same load is the
 * baseline of the same run; the CPU each process spends per request is read from /proc. Writes test/bench/GATEWAY.md.
 *   pnpm bench:gateway [--engines apollo,hive,hive-router] [--seconds N] [--clients N] [--out FILE]
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";
import { REPO_ROOT } from "@interforce/domain";
import { gql, identityInput, tokenFor } from "@interforce/testkit";
import { startStack } from "../../infra/local/stack.js";
import { SHARED_HANDLE } from "../../infra/local/seed.js";
import { memoryMiB } from "./measure.js";

// As the gateway accepts them in GATEWAY_ENGINE (services/gateway/src/config.ts).
const ENGINES = ["apollo", "hive", "hive-router"] as const;
const { values } = parseArgs({
  options: {
    engines: { type: "string", default: ENGINES.join(",") },
    seconds: { type: "string", default: "15" },
    clients: { type: "string", default: "8" },
    out: { type: "string", default: "test/bench/GATEWAY.md" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log(`usage: pnpm bench:gateway [options]
  --engines LIST   gateway engines to compare, first is the baseline (default ${ENGINES.join(",")})
  --seconds N      seconds of load per measurement (default 15)
  --clients N      concurrent clients (default 8)
  --out FILE       where the results go (default test/bench/GATEWAY.md)`);
  process.exit(0);
}
const engines = values.engines!.split(",").filter(Boolean);
for (const e of engines) {
  if (!(ENGINES as readonly string[]).includes(e)) {
    console.error(`--engines: unknown engine "${e}" (known: ${ENGINES.join(", ")})`);
    process.exit(2);
  }
}
const seconds = Number(values.seconds);
const clients = Number(values.clients);
if (!Number.isInteger(seconds) || seconds < 1 || !Number.isInteger(clients) || clients < 1) {
  console.error("--seconds and --clients must be positive integers");
  process.exit(2);
}

type Load = { requests: number; errors: number; firstError: string | null; perSecond: number; p50: number; p95: number };

const home = mkdtempSync(join(tmpdir(), "interforce-gateway-bench-"));
console.log("starting the federation with demo data, production mode…");
const stack = await startStack({
  home,
  portOffset: 10000,
  pgPort: 14049,
  seedScale: 1,
  log: () => {},
  // The load is far above one principal's per-minute limit: raised for the benchmark, every other limit as deployed.
  serviceEnv: { RATE_LIMIT_PER_MINUTE: "100000000", INTERFORCE_MODE: "production" },
});
const analyst = tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "bench@norfolk" });
const kentOfficer = tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "OFFICIAL_SENSITIVE", sub: "bench-writer@kent" });
const run = Date.now().toString(36);
/** Each operation through the gateway, and the same work asked of the subgraph that does it, called directly. */
const OPS = [
  {
    name: "exact handle search",
    token: analyst,
    query: `query Exact($q: String!) { search(query: $q, platform: SNAPCHAT) { nodes { recordId org { code } access { level } } } }`,
    direct: { subgraph: "hub", query: `query Exact($q: String!) { search(query: $q, platform: SNAPCHAT) { nodes { recordId access { level } } } }` },
    variables: { q: SHARED_HANDLE.KENT } as Record<string, unknown>,
  },
  {
    name: "identities across forces (first: 20)",
    token: analyst,
    query: `query Across { identities(first: 20) { nodes { id ... on OnlineIdentity { handle owner } } pageInfo { hasNextPage } } }`,
    direct: { subgraph: "hub", query: `query Across { identities(first: 20) { nodes { id } pageInfo { hasNextPage } } }` },
    variables: {},
  },
  {
    name: "recordOnlineIdentity at KENT",
    token: kentOfficer,
    query: `mutation Write($input: RecordOnlineIdentityInput!) { kent { recordOnlineIdentity(input: $input) { id } } }`,
    direct: { subgraph: "kent", query: `mutation Write($input: RecordOnlineIdentityInput!) { kent { recordOnlineIdentity(input: $input) { id } } }` },
    variables: { input: { ...identityInput(), handle: `gwbench_${run}_{i}` } },
  },
];

const load = async (url: string, token: string, query: string, variables: Record<string, unknown>, asGateway?: string): Promise<Load> => {
  const specPath = join(home, `load-${Date.now()}.json`);
  writeFileSync(specPath, JSON.stringify({ url, token, query, variables, concurrency: clients, seconds, asGateway }));
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "test/bench/load.ts", specPath], {
    cwd: REPO_ROOT,
    env: { ...process.env, INTERFORCE_HOME: home },
  });
  return JSON.parse(stdout.trim().split("\n").pop()!) as Load;
};

/**
 * CPU seconds each process of the stack has used so far (user + system, from /proc): every service, and PostgreSQL as
 * the sum of its live processes plus what its ended backends left in the postmaster's children's time.
 */
const TICK = 100;
const cpuOf = (pid: number, children = false) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0)) / TICK;
  } catch {
    return 0;
  }
};
const cpuNow = (): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [name, svc] of stack.services) out[name] = cpuOf(svc.process.pid!);
  let pgTotal = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "postgres") continue;
    } catch {
      continue;
    }
    pgTotal += cpuOf(Number(entry), true);
  }
  out.postgres = pgTotal;
  return out;
};
/** CPU milliseconds per request, per process, over one load. */
const cpuPerRequest = (before: Record<string, number>, after: Record<string, number>, requests: number) =>
  Object.fromEntries(Object.keys(after).map((k) => [k, ((after[k]! - (before[k] ?? 0)) * 1000) / Math.max(1, requests)]));

type Row = { engine: string; op: string; load: Load; peakMiB: number; idleMiB: number; cpu: Record<string, number> };
const rows: Row[] = [];
const baselines: { op: string; load: Load }[] = [];
try {
  // The seeded identities reach the hub's index through the outbox.
  for (let i = 0; i < 200; i++) {
    const r = await gql(stack.gatewayUrl, OPS[0]!.query, { token: analyst, variables: OPS[0]!.variables, purpose: "benchmark" });
    if (((r.data as { search?: { nodes: unknown[] } } | undefined)?.search?.nodes.length ?? 0) >= 2) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  for (const op of OPS) {
    console.log(`baseline: ${op.name}, ${op.direct.subgraph} directly…`);
    const url = op.direct.subgraph === "hub" ? stack.hubUrl : stack.forceUrls[op.direct.subgraph.toUpperCase()]!;
    baselines.push({ op: op.name, load: await load(url, op.token, op.direct.query, op.variables, op.direct.subgraph) });
  }
  for (const engine of engines) {
    // A fresh gateway process per engine, so its peak memory is its own.
    // In production mode a Hive engine runs only as a trial (it has not passed the security suite).
    await stack.restart("gateway", { GATEWAY_ENGINE: engine, GATEWAY_ENGINE_TRIAL: "1" });
    const gw = stack.services.get("gateway")!;
    const idle = memoryMiB(gw.process.pid).now;
    for (const op of OPS) {
      const check = await gql(stack.gatewayUrl, op.query, {
        token: op.token,
        variables: JSON.parse(JSON.stringify(op.variables).replaceAll("{i}", `check_${engine}`)),
        purpose: "benchmark",
      });
      if (check.errors) throw new Error(`${engine}: ${op.name}: ${JSON.stringify(check.errors)}`);
      console.log(`${engine}: ${op.name}…`);
      const before = cpuNow();
      const l = await load(stack.gatewayUrl, op.token, op.query, JSON.parse(JSON.stringify(op.variables).replaceAll("{i}", `${engine}_{i}`)));
      const cpu = cpuPerRequest(before, cpuNow(), l.requests);
      rows.push({ engine, op: op.name, load: l, peakMiB: memoryMiB(gw.process.pid).peak, idleMiB: idle, cpu });
    }
  }
} finally {
  await stack.stop();
  rmSync(home, { recursive: true, force: true });
}

const f1 = (n: number) => n.toFixed(1);
const table = [
  `| engine | operation | requests/s | vs ${engines[0]} | vs the subgraph directly | p50 ms | p95 ms | errors | gateway RSS idle / peak MiB |`,
  "|---|---|---:|---:|---:|---:|---:|---:|---:|",
  ...baselines.map(
    (b) =>
      `| (${OPS.find((o) => o.name === b.op)!.direct.subgraph} directly, signed as the gateway) | ${b.op} | ${b.load.perSecond.toFixed(0)} | | 1.00× | ${f1(b.load.p50)} | ${f1(b.load.p95)} | ${b.load.errors} | |`,
  ),
  ...rows.map((r) => {
    const base = rows.find((x) => x.engine === engines[0] && x.op === r.op)!;
    const hub = baselines.find((b) => b.op === r.op)!;
    return `| ${r.engine} | ${r.op} | ${r.load.perSecond.toFixed(0)} | ${(r.load.perSecond / base.load.perSecond).toFixed(2)}× | ${(r.load.perSecond / hub.load.perSecond).toFixed(2)}× | ${f1(r.load.p50)} | ${f1(r.load.p95)} | ${r.load.errors} | ${r.idleMiB} / ${r.peakMiB} |`;
  }),
].join("\n");
const procs = ["gateway", "hub", "kent", "norfolk", "postgres"];
const cpuTable = [
  `| engine | operation | ${procs.join(" | ")} | all processes | requests/s the ${cpus().length} cores could serve at that cost |`,
  `|---|---|${procs.map(() => "---:").join("|")}|---:|---:|`,
  ...rows.map((r) => {
    const total = Object.values(r.cpu).reduce((a, b) => a + b, 0);
    return `| ${r.engine} | ${r.op} | ${procs.map((p) => (r.cpu[p] ?? 0).toFixed(2)).join(" | ")} | ${total.toFixed(2)} | ${((cpus().length * 1000) / total).toFixed(0)} |`;
  }),
].join("\n");
const errors = rows.filter((r) => r.load.errors > 0).map((r) => `- ${r.engine}, ${r.op}: ${r.load.firstError}`);
const md = `# Gateway engines

Written by \`pnpm bench:gateway --engines ${engines.join(",")} --seconds ${seconds} --clients ${clients}\` on ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; every service and PostgreSQL on it.
Production mode (compiled services; token verification, header allowlist, per-subgraph signatures, depth/alias/directive/token/cost limits, body cap, timeouts, masking, CSRF prevention, rate limit with its ceiling raised for the load). Demo data.
Load: ${clients} clients for ${seconds} s each, from a second process; the gateway is restarted for each engine, so its memory is its own.

${table}

CPU milliseconds per request, by process (user + system time over the load divided by the requests served; the load
generator itself is not counted). The last column is the ceiling that cost sets on this machine with every process on it.

${cpuTable}
${errors.length ? `\nErrors:\n${errors.join("\n")}\n` : ""}`;
console.log(`\n${table}\n\n${cpuTable}\n`);
writeFileSync(resolve(REPO_ROOT, values.out!), md);
console.log(`written to ${values.out}`);
