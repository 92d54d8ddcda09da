/**
 * National scale: the analysts' operations at demo scale and again after bulk-loading the hub's selector index to
 * millions of pointers and one force to a hundred thousand identities, each measured three ways in the same run:
 * through the gateway, directly against the subgraph that answers it (signed as the gateway), and as the raw SQL of
 * its lookup over one connection. Writes test/bench/RESULTS.md with the figures, the ratios and EXPLAIN of the
 * index's queries.
 *   pnpm bench:scale [--pointers N] [--identities N] [--links N] [--runs N] [--out FILE]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { keyedHandle, keyedHandleWords, keyedSelector, parseSelectorKeys, sealSelector, selectorKeysPath } from "@interforce/auth";
import { handleSelector, normaliseHandle } from "@interforce/domain";
import { gql, tokenFor } from "@interforce/testkit";
import { startStack } from "../../infra/local/stack.js";
import { SHARED_HANDLE } from "../../infra/local/seed.js";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { AuditLog, verifyChain } from "@interforce/audit";
import { loadPolicyInputs, raiseOnSearch } from "@interforce/hub-subgraph";
import { randomUUID } from "node:crypto";
import { REPO_ROOT } from "@interforce/domain";
import { identityInput } from "@interforce/testkit";
import { frequencyAttack } from "./attack.js";
import { loadForceRecords, loadHubPointers } from "./generate.js";
import { OPERATIONS, peakRssMiB, time, waitForIndex, type Stats } from "./measure.js";

const { values } = parseArgs({
  options: {
    pointers: { type: "string", default: "1000000" },
    identities: { type: "string", default: "100000" },
    links: { type: "string", default: "60000" },
    runs: { type: "string", default: "60" },
    out: { type: "string", default: "test/bench/RESULTS.md" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log(`usage: pnpm bench:scale [options]
  --pointers N     pointers in the hub's selector index after the load (default 1000000; the national figure is 4000000)
  --identities N   identities loaded into KENT (default 100000)
  --links N        links loaded into KENT (default 60000)
  --runs N         timed runs per operation and level (default 60, after 20 warm-up runs)
  --out FILE       where the results go (default test/bench/RESULTS.md)`);
  process.exit(0);
}
const num = (name: string, v: string, min: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be an integer ≥ ${min}`);
    process.exit(2);
  }
  return n;
};
const pointers = num("pointers", values.pointers!, 1000);
const identities = num("identities", values.identities!, 0);
const links = num("links", values.links!, 0);
const runs = num("runs", values.runs!, 10);

const home = mkdtempSync(join(tmpdir(), "interforce-scale-"));
console.log("starting the federation with demo data…");
// The load phases send more than a principal's per-minute limit: raised for the benchmark, every other limit as deployed.
const stack = await startStack({
  home,
  portOffset: 10000,
  pgPort: 14049,
  seedScale: 1,
  log: () => {},
  // Production mode: the services run compiled, as deployed.
  serviceEnv: { RATE_LIMIT_PER_MINUTE: "1000000", INTERFORCE_MODE: "production" },
});
const hubSql = new pg.Client({ connectionString: stack.databases.HUB!.ownerUrl });
const kentSql = new pg.Client({ connectionString: stack.databases.KENT!.ownerUrl });
try {
  await hubSql.connect();
  // As the hub's own connections are set (services/hub-subgraph/src/config.ts).
  await hubSql.query("SET pg_trgm.similarity_threshold = 0.35");
  await kentSql.connect();
  const keys = parseSelectorKeys(readFileSync(selectorKeysPath(home), "utf8"));
  const key = keys.current;
  const analyst = tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "bench@norfolk" });
  const kentAnalyst = tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "bench@kent" });
  const ask = async (url: string, query: string, variables: Record<string, unknown>, token: string, asGateway?: string) => {
    const r = await gql(url, query, { token, variables, purpose: "benchmark", asGateway });
    if (r.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(r.errors)}`);
    return r.data as Record<string, any>;
  };
  // The seeded identities reach the hub's index through the outbox.
  await waitForIndex(stack, ["NORFOLK", "KENT", "ESSEX", "CEOP"]);
  const kentRoot = (await kentSql.query(`SELECT id FROM online_identity WHERE normalised_handle = $1 LIMIT 1`, [normaliseHandle(SHARED_HANDLE.KENT)])).rows[0]
    .id as string;
  const kentUrl = stack.forceUrls.KENT!;

  const q = SHARED_HANDLE.KENT;
  const exactSel = handleSelector(q, "SNAPCHAT");
  const fuzzyKey = normaliseHandle("dark angel 9");
  // The floor of a request: the same reads and the same audit insert the subgraph issues, sent directly over one
  // connection, with nothing of the request path around them (no HTTP, token, policy code, GraphQL or ORM).
  const direct = (c: pg.Client) =>
    ({ query: async (text: string, params?: unknown[]) => (await c.query(text, params)).rows, queryRunner: { isTransactionActive: true } }) as never;
  const auditDirect = async (c: pg.Client, event: Parameters<AuditLog["record"]>[0]) => {
    await c.query("START TRANSACTION ISOLATION LEVEL READ COMMITTED");
    await new AuditLog(direct(c)).record(event, { manager: direct(c) });
    await c.query("COMMIT");
  };
  const norfolkAnalyst = { sub: "bench@norfolk", org: "NORFOLK", roles: ["ANALYST"] };
  const ops: {
    name: string;
    gateway: () => Promise<unknown>;
    subgraph: () => Promise<unknown>;
    sql: () => Promise<unknown>;
    floor?: () => Promise<unknown>;
    explain?: string[];
  }[] = [
    {
      name: "exact handle search",
      gateway: () => ask(stack.gatewayUrl, OPERATIONS.exact.query, { q }, analyst),
      subgraph: () =>
        ask(stack.hubUrl, `query($q: String!) { search(query: $q, platform: SNAPCHAT) { hits { recordId access { level } } } }`, { q }, analyst, "hub"),
      sql: () => hubSql.query(`SELECT * FROM selector_pointer WHERE selector = ANY($1)`, [[keyedSelector(key, exactSel)]]),
      floor: async () => {
        const hits = (await hubSql.query(`SELECT * FROM selector_pointer WHERE selector = ANY($1)`, [[keyedSelector(key, exactSel)]])).rows;
        await loadPolicyInputs(direct(hubSql));
        await raiseOnSearch(
          direct(hubSql),
          keys,
          "NORFOLK",
          hits.map((h) => ({ recordId: h.record_id, org: h.org, covert: h.covert, selector: exactSel })),
        );
        await auditDirect(hubSql, {
          action: "CONSULTATION",
          operation: "search",
          principal: norfolkAnalyst,
          purpose: "benchmark",
          requestId: randomUUID(),
          records: hits.map((h) => ({ id: h.record_id, kind: "identity", level: "FULL", reason: "agreement" })),
          detail: { query: sealSelector(keys, q), platform: "SNAPCHAT", fuzzy: false, hits: hits.length },
        });
      },
      explain: [`SELECT * FROM selector_pointer WHERE selector = ANY($1)`, JSON.stringify([[keyedSelector(key, exactSel)]])],
    },
    {
      name: "fuzzy handle search, first 20",
      gateway: () => ask(stack.gatewayUrl, OPERATIONS.fuzzy.query, OPERATIONS.fuzzy.variables, analyst),
      subgraph: () =>
        ask(
          stack.hubUrl,
          `query($q: String!) { search(query: $q, fuzzy: true, first: 20) { hits { recordId match score } } }`,
          { q: "dark angel 9" },
          analyst,
          "hub",
        ),
      sql: () =>
        hubSql.query(
          `SELECT record_id, similarity(handle_words, $1) AS score FROM selector_pointer p WHERE p.handle_words % $1 AND similarity(p.handle_words, $1) >= 0.35 AND p.key_id = $2 AND ($3::text IS NULL OR p.platform = $3)`,
          [keyedHandleWords(key, fuzzyKey), key.id, null],
        ),
      explain: [
        `SELECT record_id, similarity(handle_words, $1) AS score FROM selector_pointer p WHERE p.handle_words % $1 AND p.key_id = $2`,
        JSON.stringify([keyedHandleWords(key, fuzzyKey), key.id]),
      ],
    },
    {
      name: "exact handle, every platform",
      gateway: () => ask(stack.gatewayUrl, `query($q: String!) { search(query: $q) { hits { recordId access { level } } } }`, { q }, analyst),
      subgraph: () => ask(stack.hubUrl, `query($q: String!) { search(query: $q) { hits { recordId } } }`, { q }, analyst, "hub"),
      sql: () => hubSql.query(`SELECT * FROM selector_pointer WHERE handle_mac = ANY($1)`, [[keyedHandle(key, normaliseHandle(q))]]),
    },
    {
      name: "linkGraph depth 2 (KENT root)",
      gateway: () =>
        ask(
          stack.gatewayUrl,
          `query($id: ID!) { linkGraph(rootId: $id, depth: 2) { nodes { id } edges { id } } }`,
          { id: `KENT:identity:${kentRoot}` },
          kentAnalyst,
        ),
      subgraph: () =>
        ask(
          stack.hubUrl,
          `query($id: ID!) { linkGraph(rootId: $id, depth: 2) { nodes { id } edges { id } } }`,
          { id: `KENT:identity:${kentRoot}` },
          kentAnalyst,
          "hub",
        ),
      sql: () =>
        kentSql.query(`SELECT * FROM suspect_link WHERE from_id = ANY($1) OR to_identity_id = ANY($1) OR to_forum_id = ANY($1)`, [
          [`KENT:identity:${kentRoot}`],
        ]),
      explain: [
        `SELECT * FROM suspect_link WHERE from_id = ANY($1) OR to_identity_id = ANY($1) OR to_forum_id = ANY($1)`,
        JSON.stringify([[`KENT:identity:${kentRoot}`]]),
      ],
    },
    {
      name: "identities across forces (first: 20)",
      gateway: () => ask(stack.gatewayUrl, OPERATIONS.across.query, {}, analyst),
      subgraph: () => ask(stack.hubUrl, `{ identities(first: 20) { nodes { id } pageInfo { hasNextPage } } }`, {}, analyst, "hub"),
      sql: () =>
        kentSql.query(
          `SELECT * FROM online_identity r WHERE r.classification = ANY($1) AND r.covert = false ORDER BY coalesce(r.last_seen, 'epoch'::timestamptz) DESC, r.id ASC LIMIT 21`,
          [["OFFICIAL", "OFFICIAL_SENSITIVE"]],
        ),
      explain: [
        `SELECT * FROM online_identity r WHERE r.classification = ANY($1) AND r.covert = false ORDER BY coalesce(r.last_seen, 'epoch'::timestamptz) DESC, r.id ASC LIMIT 21`,
        JSON.stringify([["OFFICIAL", "OFFICIAL_SENSITIVE"]]),
      ],
    },
    {
      name: "KENT identities(first: 20)",
      gateway: () => ask(stack.gatewayUrl, OPERATIONS.kent.query, {}, kentAnalyst),
      subgraph: () => ask(kentUrl, `{ kent { identities(first: 20) { nodes { id handle } } } }`, {}, kentAnalyst, "kent"),
      sql: () =>
        kentSql.query(`SELECT * FROM online_identity r WHERE r.classification = ANY($1) AND r.covert = false ORDER BY r.created_at DESC, r.id DESC LIMIT 21`, [
          ["OFFICIAL", "OFFICIAL_SENSITIVE"],
        ]),
      floor: async () => {
        await kentSql.query("START TRANSACTION ISOLATION LEVEL READ COMMITTED");
        const rows = (
          await kentSql.query(
            `SELECT * FROM online_identity r WHERE r.classification = ANY($1) AND r.covert = false ORDER BY r.created_at DESC, r.id DESC LIMIT 21`,
            [["OFFICIAL", "OFFICIAL_SENSITIVE"]],
          )
        ).rows.slice(0, 20);
        await new AuditLog(direct(kentSql)).record(
          {
            action: "CONSULTATION",
            operation: "kent.identities",
            principal: { sub: "bench@kent", org: "KENT", roles: ["ANALYST"] },
            purpose: "benchmark",
            requestId: randomUUID(),
            records: rows.map((r) => ({ id: `KENT:identity:${r.id}`, kind: "identity", level: "FULL", reason: "owner" })),
          },
          { manager: direct(kentSql) },
        );
        await kentSql.query("COMMIT");
      },
      explain: [
        `SELECT * FROM online_identity r WHERE r.classification = ANY($1) AND r.covert = false ORDER BY r.created_at DESC, r.id DESC LIMIT 21`,
        JSON.stringify([["OFFICIAL", "OFFICIAL_SENSITIVE"]]),
      ],
    },
  ];

  const explainAll = async (label: string) => {
    const out: string[] = [];
    for (const op of ops) {
      if (!op.explain) continue;
      const [text, params] = op.explain;
      const c = /^(linkGraph|KENT|identities)/.test(op.name) ? kentSql : hubSql;
      await c.query("BEGIN");
      await c.query(`SELECT set_config('pg_trgm.similarity_threshold', '0.35', true)`).catch(() => undefined);
      const plan = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, JSON.parse(params!));
      await c.query("COMMIT");
      out.push(`#### ${op.name} (${label})\n\n\`\`\`\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}\n\`\`\``);
    }
    return out;
  };

  const measure = async (label: string) => {
    const rows: { op: string; level: string; s: Stats }[] = [];
    for (const op of ops) {
      for (const level of ["gateway", "subgraph", "floor", "sql"] as const) {
        const fn = op[level];
        if (!fn) continue;
        rows.push({ op: op.name, level, s: await time(fn, runs) });
        process.stdout.write(".");
      }
    }
    console.log(` ${label} measured`);
    return rows;
  };

  const count = async () => Number((await hubSql.query(`SELECT count(*)::int AS n FROM selector_pointer`)).rows[0].n);
  const demoPointers = await count();
  const demo = await measure(`demo scale (${demoPointers} pointers)`);
  const demoExplain = await explainAll("demo");

  console.log(`loading the hub's index to ${pointers.toLocaleString("en-GB")} pointers and KENT to ${identities.toLocaleString("en-GB")} identities…`);
  const tLoad = performance.now();
  await loadHubPointers(stack.databases.HUB!.ownerUrl, keys, { count: pointers - demoPointers, orgs: ["NORFOLK", "KENT", "ESSEX", "CEOP"] });
  if (identities > 0) await loadForceRecords(stack.databases.KENT!.ownerUrl, "KENT", { identities, links });
  const loadSeconds = (performance.now() - tLoad) / 1000;
  const big = await measure(`${pointers.toLocaleString("en-GB")} pointers`);
  const bigExplain = await explainAll(`${pointers.toLocaleString("en-GB")} pointers`);
  // Load from a second process: 8 clients for `seconds` each.
  const seconds = 15;
  const load = async (query: string, variables: Record<string, unknown>, token: string) => {
    const specPath = join(home, `load-${Date.now()}.json`);
    writeFileSync(specPath, JSON.stringify({ url: stack.gatewayUrl, token, query, variables, concurrency: 8, seconds }));
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "test/bench/load.ts", specPath], { cwd: REPO_ROOT });
    return JSON.parse(stdout.trim().split("\n").pop()!) as {
      requests: number;
      errors: number;
      firstError: string | null;
      perSecond: number;
      p50: number;
      p95: number;
    };
  };
  console.log(`exact searches from 8 clients for ${seconds} s…`);
  const searchLoad = await load(
    `query($q: String!) { search(query: $q, platform: SNAPCHAT) { hits { recordId org { code } access { level } } } }`,
    { q },
    analyst,
  );
  const kentOfficer = tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "OFFICIAL_SENSITIVE", sub: "bench-writer@kent" });
  const run = Date.now().toString(36);
  const writeStart = new Date();
  console.log(`recordOnlineIdentity from 8 KENT writers for ${seconds} s…`);
  const writeLoad = await load(
    `mutation($input: RecordOnlineIdentityInput!) { kent { recordOnlineIdentity(input: $input) { id } } }`,
    { input: { ...identityInput(), handle: `load_${run}_{i}` } },
    kentOfficer,
  );
  // Every write in the hub's index: the relay marks an outbox row published once the hub has applied it.
  for (let i = 0; i < 600; i++) {
    const pending = await kentSql.query(`SELECT count(*)::int AS n FROM outbox WHERE created_at >= $1 AND published_at IS NULL`, [writeStart]);
    if (pending.rows[0].n === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const lag = (
    await kentSql.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE published_at IS NULL)::int AS pending,
              coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - created_at)), 0) AS p95,
              coalesce(max(extract(epoch FROM published_at - created_at)), 0) AS max
         FROM outbox WHERE created_at >= $1`,
      [writeStart],
    )
  ).rows[0] as { n: number; pending: number; p95: number; max: number };
  const chain = await verifyChain(stack.databases.KENT!.ownerUrl);
  const rssLines = [...stack.services.values()].map((svc) => `| ${svc.name} | ${peakRssMiB(svc.process.pid)} |`);
  const loadLines = [
    `| under load (8 clients, ${seconds} s, from a second process) | requests | errors | requests/s | p50 ms | p95 ms |`,
    `|---|---:|---:|---:|---:|---:|`,
    `| exact handle search through the gateway | ${searchLoad.requests} | ${searchLoad.errors} | ${searchLoad.perSecond.toFixed(0)} | ${searchLoad.p50.toFixed(1)} | ${searchLoad.p95.toFixed(1)} |`,
    `| recordOnlineIdentity at KENT through the gateway | ${writeLoad.requests} | ${writeLoad.errors} | ${writeLoad.perSecond.toFixed(0)} | ${writeLoad.p50.toFixed(1)} | ${writeLoad.p95.toFixed(1)} |`,
  ];
  const writeNotes = [
    `Writes in the hub's index (outbox row published once the hub applied it): ${lag.n - lag.pending} of ${lag.n}, p95 ${Number(lag.p95).toFixed(2)} s and at most ${Number(lag.max).toFixed(2)} s after the write committed.`,
    `KENT's audit chain after the run: ${chain.ok ? `intact, ${chain.events} events` : `BROKEN at seq ${chain.firstBrokenSeq}`}.`,
    ...(searchLoad.firstError ? [`First search error: ${searchLoad.firstError}`] : []),
    ...(writeLoad.firstError ? [`First write error: ${writeLoad.firstError}`] : []),
  ];
  console.log([...loadLines, "", ...writeNotes].join("\n"));

  console.log("running the frequency attack on the keyed index…");
  const attack = await frequencyAttack(hubSql, keys);
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  const attackLines = [
    `| what a thief with the database but not the key learns | measured on ${attack.pointers.toLocaleString("en-GB")} pointers |`,
    `|---|---:|`,
    `| distinct trigram letters in the index | ${attack.letters.toLocaleString("en-GB")} |`,
    `| letter occurrences decoded by rank-matching frequencies | ${pct(attack.decodedOccurrences)} |`,
    `| distinct letters decoded | ${pct(attack.decodedLetters)} |`,
    `| handles read in full (every letter decoded) | ${pct(attack.handlesReadInFull)} |`,
    `| keyed selectors held by two or more orgs (equality shows) | ${attack.sharedAcrossOrgs.toLocaleString("en-GB")} |`,
    `| pointers flagged covert (the flag is plain) | ${attack.covert.toLocaleString("en-GB")} |`,
  ];
  console.log(attackLines.join("\n"));

  const fmt = (n: number) => n.toFixed(1);
  const lines = [
    `| operation | level | demo p50 | demo p95 | demo p99 | at scale p50 | at scale p95 | at scale p99 | p95 at scale / p95 at demo |`,
    `|---|---|---:|---:|---:|---:|---:|---:|---:|`,
    ...demo.map((d) => {
      const b = big.find((r) => r.op === d.op && r.level === d.level)!;
      return `| ${d.op} | ${d.level} | ${fmt(d.s.p50)} | ${fmt(d.s.p95)} | ${fmt(d.s.p99)} | ${fmt(b.s.p50)} | ${fmt(b.s.p95)} | ${fmt(b.s.p99)} | ${(b.s.p95 / d.s.p95).toFixed(2)}× |`;
    }),
  ];
  const p50 = (rows: typeof demo, op: string, level: string) => rows.find((r) => r.op === op && r.level === level)?.s.p50;
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? `${(a / b).toFixed(1)}×` : "—");
  const floorLines = [
    `| operation | gateway p50 / floor p50 (demo) | gateway p50 / floor p50 (at scale) | subgraph p50 / floor p50 (at scale) | gateway p50 / lookup SQL p50 (at scale) |`,
    `|---|---:|---:|---:|---:|`,
    ...ops.map(
      (op) =>
        `| ${op.name} | ${ratio(p50(demo, op.name, "gateway"), p50(demo, op.name, "floor"))} | ${ratio(p50(big, op.name, "gateway"), p50(big, op.name, "floor"))} | ${ratio(p50(big, op.name, "subgraph"), p50(big, op.name, "floor"))} | ${ratio(p50(big, op.name, "gateway"), p50(big, op.name, "sql"))} |`,
    ),
  ];
  console.log(`\n${lines.join("\n")}\n\n${floorLines.join("\n")}`);
  const md = `# National-scale benchmark

Written by \`pnpm bench:scale --pointers ${pointers} --identities ${identities} --links ${links} --runs ${runs}\` on ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; every service and PostgreSQL on it, production mode (compiled services).
Demo scale: ${demoPointers} pointers; at scale: ${pointers.toLocaleString("en-GB")} pointers over 4 orgs in clusters of four near-duplicate handles, KENT with ${identities.toLocaleString("en-GB")} more identities and ${links.toLocaleString("en-GB")} links (loaded in ${loadSeconds.toFixed(0)} s).
The gateway's per-principal rate limit is raised for the load phases; every other limit is as deployed.
Each figure: ${runs} timed runs after 20 warm-up runs, one client, milliseconds. Gateway: the whole federated query; subgraph: the hub (or KENT) called directly, signed as the gateway; floor: the request's statements (reads, deconfliction, audit) issued directly; SQL: the lookup's own statement over one connection.

${lines.join("\n")}

Request path against its floor (p50). The floor (level \`floor\` above): the same reads and the same audit insert the subgraph issues for the request, sent directly over one connection to its database; "—" where no floor is built.

${floorLines.join("\n")}

## Under load

${loadLines.join("\n")}

${writeNotes.join("\n\n")}

Peak resident memory of each process over the whole run (VmHWM, MiB):

| process | peak RSS MiB |
|---|---:|
${rssLines.join("\n")}

## A stolen hub database (frequency attack, test/bench/attack.ts)

The thief ranks the keyed letters by frequency and pairs them with the trigrams of a reference set drawn from the same
distribution as the index (the best case for the thief); the key is used only to score the guesses.

${attackLines.join("\n")}

## EXPLAIN (ANALYZE, BUFFERS)

${[...demoExplain, ...bigExplain].join("\n\n")}
`;
  writeFileSync(values.out!, md);
  console.log(`\nwritten to ${values.out}`);
} finally {
  await hubSql.end().catch(() => undefined);
  await kentSql.end().catch(() => undefined);
  await stack.stop();
  rmSync(home, { recursive: true, force: true });
}
