/**
 * SQL statements per request: the demo federation in production mode, each operation sent `--runs` times through the
 * gateway, and every statement the hub's and KENT's databases ran for them counted with pg_stat_statements (the
 * launcher's PostgreSQL preloads it). Round trips are most of a request's cost on this path, so this is the first
 * thing to look at when a figure of bench:scale moves. Writes test/bench/STATEMENTS.md.
 *   pnpm bench:statements [--runs N] [--out FILE]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { REPO_ROOT } from "@interforce/domain";
import { gql, identityInput, tokenFor } from "@interforce/testkit";
import { startStack } from "../../infra/local/stack.js";
import { SHARED_HANDLE } from "../../infra/local/seed.js";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "20" }, out: { type: "string", default: "test/bench/STATEMENTS.md" }, help: { type: "boolean" } },
});
if (values.help) {
  console.log(`usage: pnpm bench:statements [options]
  --runs N     requests per operation (default 20)
  --out FILE   where the results go (default test/bench/STATEMENTS.md)`);
  process.exit(0);
}
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error("--runs must be a positive integer");
  process.exit(2);
}

const home = mkdtempSync(join(tmpdir(), "interforce-statements-"));
console.log("starting the federation with demo data, production mode…");
const stack = await startStack({
  home,
  portOffset: 11000,
  pgPort: 15049,
  seedScale: 1,
  log: () => {},
  serviceEnv: { RATE_LIMIT_PER_MINUTE: "1000000", INTERFORCE_MODE: "production" },
});
const clients: Record<string, pg.Client> = {};
const sections: string[] = [];
try {
  for (const org of ["HUB", "KENT"]) {
    const c = new pg.Client({ connectionString: stack.databases[org]!.ownerUrl });
    await c.connect();
    await c.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    clients[org] = c;
  }
  const analyst = tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "bench@norfolk" });
  const kentAnalyst = tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "bench@kent" });
  const kentOfficer = tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "OFFICIAL_SENSITIVE", sub: "bench-writer@kent" });
  let i = 0;
  const ops: Record<string, () => ReturnType<typeof gql>> = {
    "exact handle search (NORFOLK analyst)": () =>
      gql(stack.gatewayUrl, `query($q: String!) { search(query: $q, platform: SNAPCHAT) { hits { recordId org { code } access { level } } } }`, {
        token: analyst,
        variables: { q: SHARED_HANDLE.KENT },
      }),
    "KENT identities(first: 20)": () =>
      gql(stack.gatewayUrl, `{ kent { identities(first: 20) { nodes { id handle } pageInfo { hasNextPage } } } }`, { token: kentAnalyst }),
    "recordOnlineIdentity at KENT": () =>
      gql(stack.gatewayUrl, `mutation($input: RecordOnlineIdentityInput!) { kent { recordOnlineIdentity(input: $input) { id } } }`, {
        token: kentOfficer,
        variables: { input: { ...identityInput(), handle: `statements_${Date.now()}_${i++}` } },
      }),
  };
  const settle = () => new Promise((r) => setTimeout(r, 1500));
  for (const [name, fn] of Object.entries(ops)) {
    const first = await fn();
    if (first.errors) throw new Error(`${name}: ${JSON.stringify(first.errors)}`);
    await settle();
    for (const c of Object.values(clients)) await c.query("SELECT pg_stat_statements_reset()");
    for (let n = 0; n < runs; n++) await fn();
    // The outbox relay applies writes at the hub within a second or so.
    await settle();
    const lines = [`### ${name}`, ""];
    for (const [org, c] of Object.entries(clients)) {
      const rows = (
        await c.query(
          `SELECT calls::int, regexp_replace(left(query, 110), '\\s+', ' ', 'g') AS query FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'
            ORDER BY calls DESC, query`,
        )
      ).rows as { calls: number; query: string }[];
      const total = rows.reduce((a, r) => a + r.calls, 0);
      lines.push(`${org}: ${(total / runs).toFixed(1)} statements per request`, "", "| per request | statement |", "|---:|---|");
      for (const r of rows) lines.push(`| ${(r.calls / runs).toFixed(2)} | \`${r.query.replaceAll("|", "\\|")}\` |`);
      lines.push("");
    }
    console.log(lines.join("\n"));
    sections.push(lines.join("\n"));
  }
} finally {
  for (const c of Object.values(clients)) await c.end().catch(() => undefined);
  await stack.stop();
  rmSync(home, { recursive: true, force: true });
}
writeFileSync(
  resolve(REPO_ROOT, values.out!),
  `# SQL statements per request

Written by \`pnpm bench:statements --runs ${runs}\` on ${new Date().toISOString().slice(0, 10)}: demo data, production mode, each operation sent ${runs} times through the gateway; counted by pg_stat_statements in the hub's and KENT's databases (background work such as the outbox relay and the forces' policy refresh included, so fractions appear).

${sections.join("\n")}`,
);
console.log(`written to ${values.out}`);
