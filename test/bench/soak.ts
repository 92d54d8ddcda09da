/**
 * Soak: the demo federation in production mode (compiled services, every limit, signature and mask on) under a mixed
 * load for a long run — reads and writes across forces by several principals — counting every error, timing every
 * operation, and sampling the resident memory of every process every 10 s to show whether any grows after warm-up.
 * Baseline of the same run: each operation from one idle client, measured before the load starts.
 * Writes test/bench/SOAK.md.
 *   pnpm bench:soak [--minutes N] [--clients N] [--out FILE]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { verifyChain } from "@interforce/audit";
import { REPO_ROOT } from "@interforce/domain";
import { gql, identityInput, tokenFor, type GqlResult } from "@interforce/testkit";
import { startStack } from "../../infra/local/stack.js";
import { SHARED_HANDLE } from "../../infra/local/seed.js";
import { memoryMiB, OPERATIONS, stats, time, waitForIndex, type Stats } from "./measure.js";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    clients: { type: "string", default: "8" },
    out: { type: "string", default: "test/bench/SOAK.md" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log(`usage: pnpm bench:soak [options]
  --minutes N   minutes of mixed load (default 10; may be fractional, e.g. 0.5)
  --clients N   concurrent clients, each sending one operation after another (default 8)
  --out FILE    where the results go (default test/bench/SOAK.md)`);
  process.exit(0);
}
const minutes = Number(values.minutes);
const clients = Number(values.clients);
if (!(minutes > 0) || !Number.isInteger(clients) || clients < 1) {
  console.error("--minutes must be a positive number and --clients a positive integer");
  process.exit(2);
}
const durationS = minutes * 60;
/** Warm-up: the first 2 minutes, or 20 % of a shorter run; growth and the load's percentiles are read after it. */
const warmupS = Math.min(120, durationS * 0.2);
const SAMPLE_S = 10;
/** A process passes "no growth after warm-up" when both hold. */
const TOLERANCE = { pct: 5, mibPerMin: 1 };
/** Drift window: the first and the last minute after warm-up (a third of it each, for runs too short for that). */
const windowS = Math.min(60, (durationS - warmupS) / 3);

const home = mkdtempSync(join(tmpdir(), "interforce-soak-"));
console.log("starting the federation with demo data, production mode…");
const stack = await startStack({
  home,
  portOffset: 10000,
  pgPort: 14049,
  seedScale: 1,
  log: () => {},
  // The load is far above one principal's per-minute limit: raised for the soak, every other limit as deployed.
  serviceEnv: { RATE_LIMIT_PER_MINUTE: "100000000", INTERFORCE_MODE: "production" },
});

// ——— the principals and the mix ———
const P = {
  kentAnalyst: tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "OFFICIAL", sub: "soak.analyst@kent" }),
  norfolkAnalyst: tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "soak.analyst@norfolk" }),
  essexAnalyst: tokenFor({ org: "ESSEX", roles: ["ANALYST"], clearance: "SECRET", sub: "soak.analyst@essex" }),
  ceopAnalyst: tokenFor({ org: "CEOP", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "soak.analyst@ceop" }),
  kentSystem: tokenFor({ org: "KENT", roles: ["SERVICE"], clearance: "OFFICIAL_SENSITIVE", sub: "soak.system@kent" }),
  norfolkSystem: tokenFor({ org: "NORFOLK", roles: ["SERVICE"], clearance: "OFFICIAL_SENSITIVE", sub: "soak.system@norfolk" }),
  kentAdmin: tokenFor({ org: "KENT", roles: ["FORCE_ADMIN"], clearance: "OFFICIAL_SENSITIVE", sub: "soak.admin@kent" }),
};
const run = Date.now().toString(36);
let writes = 0;
type Op = { name: string; who: string; token: string; query: string; variables: () => Record<string, unknown> };
const RECORD = (ns: string) => `mutation Record($input: RecordOnlineIdentityInput!) { ${ns} { recordOnlineIdentity(input: $input) { id } } }`;
const write = () => ({ input: { ...identityInput(), handle: `soak_${run}_${writes++}`, notes: "soak" } });
let kentRoot = "";
/** Each client goes round this list from its own starting point, so every operation gets the same share of requests. */
const OPS: Op[] = [
  { name: "KENT identities(first: 20)", who: "KENT analyst, OFFICIAL", token: P.kentAnalyst, query: OPERATIONS.kent.query, variables: () => ({}) },
  {
    name: "exact handle search",
    who: "NORFOLK analyst, OFFICIAL_SENSITIVE",
    token: P.norfolkAnalyst,
    query: OPERATIONS.exact.query,
    variables: () => ({ q: SHARED_HANDLE.NORFOLK }),
  },
  {
    name: "identities across forces (first: 20)",
    who: "NORFOLK analyst, OFFICIAL_SENSITIVE",
    token: P.norfolkAnalyst,
    query: OPERATIONS.across.query,
    variables: () => ({}),
  },
  {
    name: "fuzzy handle search, first 20",
    who: "ESSEX analyst, SECRET",
    token: P.essexAnalyst,
    query: OPERATIONS.fuzzy.query,
    variables: () => OPERATIONS.fuzzy.variables,
  },
  {
    name: "cross-force search, records from owners",
    who: "CEOP analyst, OFFICIAL_SENSITIVE",
    token: P.ceopAnalyst,
    query: `query Who($q: String!) { search(query: $q, fuzzy: true, first: 20) { hits { org { code spoc { email } } match score access { level } identity { id handle status lastSeen } } } }`,
    variables: () => ({ q: "dark angel 99" }),
  },
  {
    name: "linkGraph depth 2 (KENT root)",
    who: "CEOP analyst, OFFICIAL_SENSITIVE",
    token: P.ceopAnalyst,
    query: `query Graph($id: ID!) { linkGraph(rootId: $id, depth: 2) { nodes { id ... on OnlineIdentity { handle owner } } edges { id ... on SuspectLink { linkType } } } }`,
    variables: () => ({ id: kentRoot }),
  },
  { name: "recordOnlineIdentity at KENT", who: "KENT force system (SERVICE)", token: P.kentSystem, query: RECORD("kent"), variables: write },
  { name: "recordOnlineIdentity at NORFOLK", who: "NORFOLK force system (SERVICE)", token: P.norfolkSystem, query: RECORD("norfolk"), variables: write },
  {
    name: "KENT auditTrail of a record (first: 20)",
    who: "KENT force admin, OFFICIAL_SENSITIVE",
    token: P.kentAdmin,
    query: `query Trail($id: ID!) { kent { auditTrail(recordId: $id, first: 20) { nodes { seq at sub operation action records { id level reason } } pageInfo { hasNextPage } } } }`,
    // Who touched the KENT record the searches and link graphs above keep reaching.
    variables: () => ({ id: kentRoot }),
  },
];

// ——— errors ———
/** Distinct errors: "operation: code: message" → count. Any GraphQL error, non-200 answer or failed request counts. */
const distinct = new Map<string, number>();
const noteError = (op: Op, what: string) => distinct.set(`${op.name}: ${what}`, (distinct.get(`${op.name}: ${what}`) ?? 0) + 1);
/** Sends one operation; true when it answered 200 with data and no error. */
const send = async (op: Op): Promise<boolean> => {
  let r: GqlResult;
  try {
    r = await gql(stack.gatewayUrl, op.query, { token: op.token, variables: op.variables(), purpose: "soak: investigation 24/1234" });
  } catch (err) {
    noteError(op, `request failed: ${(err as Error).message}`);
    return false;
  }
  if (r.status === 200 && !r.errors && r.data) return true;
  if (r.errors?.length) for (const e of r.errors) noteError(op, `${r.status} ${String(e.extensions?.code ?? "no code")}: ${e.message.slice(0, 160)}`);
  else noteError(op, `${r.status}: ${r.raw.slice(0, 160) || "empty answer"}`);
  return false;
};

// ——— memory of every process ———
const postmasterPid = (): number => Number(readFileSync(join(home, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
/**
 * The postmaster and every child of it (backends, checkpointer, walwriter…), summed, MiB: resident memory (VmRSS), and
 * proportional set size (Pss, shared pages divided among the processes sharing them, so the sum counts each once).
 */
const postgresMiB = (): { rss: number; pss: number } => {
  const root = postmasterPid();
  let rss = 0;
  let pss = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const pid = Number(entry);
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
      if (pid !== root && ppid !== root) continue;
      rss += memoryMiB(pid).now;
      pss += Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/smaps_rollup`, "utf8"))?.[1] ?? 0) / 1024;
    } catch {
      // the process ended while being read
    }
  }
  return { rss, pss: Math.round(pss) };
};
const PROCS = [...stack.services.keys(), "postgres", "postgres PSS"];
const rssNow = (): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [name, svc] of stack.services) {
    try {
      out[name] = memoryMiB(svc.process.pid).now;
    } catch {
      out[name] = 0; // gone: shows as a fall in the series
    }
  }
  const pgMem = postgresMiB();
  out.postgres = pgMem.rss;
  out["postgres PSS"] = pgMem.pss;
  return out;
};

type Sample = { t: number; requests: number; errors: number; rss: Record<string, number> };
type Done = { t: number; op: number; ms: number; ok: boolean };
const samples: Sample[] = [];
const done: Done[] = [];
const baseline: { op: string; s: Stats }[] = [];
let baselineErrors = 0;
let drain: { seconds: number; ok: boolean; message?: string } = { seconds: 0, ok: true };
const chains: string[] = [];
let t0 = 0;
try {
  // The seeded identities reach the hub's index through the outbox.
  await waitForIndex(stack, ["NORFOLK", "KENT", "ESSEX", "CEOP"]);
  const hits = await gql<{ search: { hits: { recordId: string; org: { code: string } }[] } }>(
    stack.gatewayUrl,
    `query($q: String!) { search(query: $q, platform: SNAPCHAT) { hits { recordId org { code } } } }`,
    { token: P.ceopAnalyst, variables: { q: SHARED_HANDLE.KENT }, purpose: "soak" },
  );
  kentRoot = hits.data?.search.hits.find((h) => h.org.code === "KENT")?.recordId ?? "";
  if (!kentRoot) throw new Error(`no KENT record for ${SHARED_HANDLE.KENT}: ${hits.raw.slice(0, 300)}`);

  console.log("baseline: each operation from one idle client (30 runs after 5 warm-up runs)…");
  for (const op of OPS) {
    const s = await time(
      async () => {
        if (!(await send(op))) baselineErrors++;
      },
      30,
      5,
    );
    baseline.push({ op: op.name, s });
  }

  console.log(`soak: ${clients} clients for ${minutes} min (warm-up ${warmupS.toFixed(0)} s), a progress line every ${SAMPLE_S} s…`);
  t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const deadline = t0 + durationS * 1000;
  let errors = 0;
  const sample = () => {
    const s: Sample = { t: Math.round(elapsed()), requests: done.length, errors, rss: rssNow() };
    samples.push(s);
    const mins = `${Math.floor(s.t / 60)}:${String(s.t % 60).padStart(2, "0")}`;
    console.log(`${mins}  ${String(s.requests).padStart(7)} requests  ${errors} errors  RSS MiB ${PROCS.map((p) => `${p} ${s.rss[p]}`).join(" · ")}`);
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_S * 1000);
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let k = c; performance.now() < deadline; k++) {
        const op = k % OPS.length;
        const t = performance.now();
        const ok = await send(OPS[op]!);
        done.push({ t: (performance.now() - t0) / 1000, op, ms: performance.now() - t, ok });
        if (!ok) errors++;
      }
    }),
  );
  clearInterval(sampler);
  if (samples.at(-1)!.t < Math.round(elapsed())) sample();

  // Every write reaches the hub's index, and the audit chains of the forces written to are intact.
  const tDrain = performance.now();
  try {
    await waitForIndex(stack, ["KENT", "NORFOLK"], 120_000);
  } catch (err) {
    drain = { seconds: 0, ok: false, message: (err as Error).message };
  }
  drain.seconds = (performance.now() - tDrain) / 1000;
  for (const org of ["KENT", "NORFOLK"]) {
    const chain = await verifyChain(stack.databases[org]!.ownerUrl);
    chains.push(`${org}'s audit chain after the run: ${chain.ok ? `intact, ${chain.events} events` : `BROKEN at seq ${chain.firstBrokenSeq}`}.`);
  }
} finally {
  await stack.stop();
  rmSync(home, { recursive: true, force: true });
}

// ——— figures ———
const f1 = (n: number) => n.toFixed(1);
const end = samples.at(-1)?.t ?? durationS;
const loadTimes = (op: number, from: number, to: number) => done.filter((d) => d.op === op && d.t >= from && d.t <= to).map((d) => d.ms);
const opRows = OPS.map((op, i) => {
  const all = done.filter((d) => d.op === i);
  const of = (times: number[]) => stats(times.length ? times : [0]);
  return {
    op,
    requests: all.length,
    errors: all.filter((d) => !d.ok).length,
    s: of(loadTimes(i, warmupS, Infinity)),
    base: baseline[i]!.s,
    first: of(loadTimes(i, warmupS, warmupS + windowS)),
    last: of(loadTimes(i, end - windowS, Infinity)),
  };
});
const totalRequests = done.length;
const totalErrors = done.filter((d) => !d.ok).length + baselineErrors;
const loadSeconds = done.length ? done.at(-1)!.t : durationS;
const opTable = [
  `| operation | principal | requests | errors | p50 ms | p95 ms | p99 ms | idle p95 ms | p95 / idle p95 | p95 first min | p95 last min | last / first |`,
  `|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
  ...opRows.map(
    (r) =>
      `| ${r.op.name} | ${r.op.who} | ${r.requests} | ${r.errors} | ${f1(r.s.p50)} | ${f1(r.s.p95)} | ${f1(r.s.p99)} | ${f1(r.base.p95)} | ${(r.s.p95 / r.base.p95).toFixed(2)}× | ${f1(r.first.p95)} | ${f1(r.last.p95)} | ${(r.last.p95 / r.first.p95).toFixed(2)}× |`,
  ),
].join("\n");

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
/** Least-squares slope of RSS over time, MiB per minute. */
const slope = (pts: { t: number; v: number }[]) => {
  const mt = mean(pts.map((p) => p.t));
  const mv = mean(pts.map((p) => p.v));
  const num = pts.reduce((a, p) => a + (p.t - mt) * (p.v - mv), 0);
  const den = pts.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
};
const afterWarmup = samples.filter((s) => s.t >= warmupS);
const third = Math.max(1, Math.floor(afterWarmup.length / 3));
const growth = PROCS.map((p) => {
  const first = mean(afterWarmup.slice(0, third).map((s) => s.rss[p]!));
  const last = mean(afterWarmup.slice(-third).map((s) => s.rss[p]!));
  const pct = first ? ((last - first) / first) * 100 : 0;
  const perMin = slope(afterWarmup.map((s) => ({ t: s.t, v: s.rss[p]! })));
  const peak = Math.max(...samples.map((s) => s.rss[p]!));
  return { p, start: samples[0]?.rss[p] ?? 0, first, last, pct, perMin, peak, ok: pct < TOLERANCE.pct && perMin < TOLERANCE.mibPerMin };
});
const growthTable = [
  `| process | RSS at start of load MiB | mean, first third after warm-up | mean, last third | growth | slope MiB/min | peak MiB | no growth after warm-up |`,
  `|---|---:|---:|---:|---:|---:|---:|:---:|`,
  ...growth.map(
    (g) =>
      `| ${g.p} | ${g.start} | ${f1(g.first)} | ${f1(g.last)} | ${g.pct >= 0 ? "+" : ""}${f1(g.pct)} % | ${g.perMin >= 0 ? "+" : ""}${g.perMin.toFixed(2)} | ${g.peak} | ${g.ok ? "✓" : "✗"} |`,
  ),
].join("\n");
const seriesTable = [
  `| t s | requests | errors | ${PROCS.join(" | ")} |`,
  `|---:|---:|---:|${PROCS.map(() => "---:").join("|")}|`,
  ...samples.map((s) => `| ${s.t}${s.t < warmupS ? " (warm-up)" : ""} | ${s.requests} | ${s.errors} | ${PROCS.map((p) => s.rss[p]).join(" | ")} |`),
].join("\n");
const errorLines = [...distinct.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `- ${n} × ${k}`);
const errorText = totalErrors === 0 ? "None (target 0)." : `${totalErrors} (target 0). Distinct errors seen:\n\n${errorLines.join("\n")}`;
const summary = `${totalRequests} requests in ${f1(loadSeconds)} s (${(totalRequests / Math.max(1, loadSeconds)).toFixed(0)}/s) and ${OPS.length * 35} baseline requests; errors: ${totalErrors}; processes without growth after warm-up: ${growth.filter((g) => g.ok).length} of ${growth.length}.`;
const notes = [
  `Writes in the hub's index after the load: ${drain.ok ? `every outbox row of KENT and NORFOLK published ${f1(drain.seconds)} s after the last request` : `not all — ${drain.message}`}.`,
  ...chains,
];

const md = `# Soak

Written by \`pnpm bench:soak --minutes ${minutes} --clients ${clients}\` on ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; every service, PostgreSQL and the clients on it.
Production mode (compiled services; token verification, header allowlist, per-subgraph signatures, depth/alias/directive/token/cost limits, body cap, timeouts, masking, CSRF prevention, rate limit with its ceiling raised for the load). Demo data, scale 1.

Load: ${clients} clients for ${minutes} min, each sending one operation after another with no pause, going round the ${OPS.length} operations below from its own starting point (an equal share each; ${OPS.filter((o) => o.query.startsWith("mutation")).length} of ${OPS.length} are writes). Warm-up: the first ${warmupS.toFixed(0)} s (2 minutes, or 20 % of a shorter run); the load's percentiles and the memory growth are read after it.

Baseline (same run): each operation from one idle client before the load, 30 timed runs after 5 warm-up runs. "p95 / idle p95" is latency under the load against that baseline; "last / first" compares the p95 of the last ${windowS.toFixed(0)} s of the run with that of the first ${windowS.toFixed(0)} s after warm-up (drift over the run).

${summary}

## Operations

${opTable}

## Errors

Any GraphQL error, any answer other than 200 with data, or a failed request is an error.

${errorText}

## Memory

Resident memory (VmRSS) of each process, sampled every ${SAMPLE_S} s from /proc; PostgreSQL is the postmaster and all its children summed: \`postgres\` their VmRSS (a shared buffer touched by several backends counts once per backend, so the sum rises as backends touch more of the shared buffers), \`postgres PSS\` their proportional set size (each shared page counted once, divided among its sharers).
Growth compares the mean of the first and the last third of the samples after warm-up; the slope is a least-squares fit over all of them.
Tolerance for "no growth after warm-up": growth under ${TOLERANCE.pct} % and slope under ${TOLERANCE.mibPerMin} MiB/min.

${growthTable}

${notes.join("\n\n")}

### RSS series (MiB)

${seriesTable}
`;
console.log(`\n${summary}\n\n${opTable}\n\n${growthTable}\n\nerrors: ${errorText}\n\n${notes.join("\n")}\n`);
writeFileSync(resolve(REPO_ROOT, values.out!), md);
console.log(`written to ${values.out}`);
if (totalErrors > 0 || growth.some((g) => !g.ok)) process.exitCode = 1;
