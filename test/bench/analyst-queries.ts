/**
 * Latency of the questions analysts ask, each in one GraphQL query through the real
 * gateway, on seeded demo data. Baseline: the cheapest federated query (`orgs`, hub only)
 * measured in the same run, so the ratios hold across machines.
 *   pnpm bench:queries [--scale N] [--runs N]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gql, tokenFor } from "@interforce/testkit";
import { startStack } from "../../infra/local/stack.js";
import { SHARED_HANDLE, SHARED_PHONE } from "../../infra/local/seed.js";

const { values } = parseArgs({ options: { scale: { type: "string", default: "5" }, runs: { type: "string", default: "40" }, help: { type: "boolean" } } });
if (values.help) {
  console.log("usage: pnpm bench:queries [--scale N (demo data scale, default 5)] [--runs N (per query, default 40)]");
  process.exit(0);
}
const scale = Number(values.scale);
const runs = Number(values.runs);
if (!Number.isInteger(scale) || scale < 1 || !Number.isInteger(runs) || runs < 5) {
  console.error("--scale must be ≥ 1 and --runs ≥ 5");
  process.exit(2);
}

const home = mkdtempSync(join(tmpdir(), "interforce-bench-"));
console.log(`starting the federation with demo data at scale ${scale}…`);
// Ports below the kernel's ephemeral range (32768 and up), so no outgoing connection holds one.
const stack = await startStack({ home, portOffset: 10000, pgPort: 14049, seedScale: scale, log: (l) => l.includes("records (") && console.log(l) });
try {
  const token = tokenFor({ org: "CEOP", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "bench@ceop" });
  // The owner's view of who sighted its record is KENT's to see.
  const kentToken = tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "bench@kent" });
  const ask = async (query: string, variables: Record<string, unknown> = {}, as = token) => {
    const r = await gql(stack.gatewayUrl, query, { token: as, variables, purpose: "benchmark" });
    if (r.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(r.errors)}`);
    return r.data as Record<string, any>;
  };
  // Wait for the outbox to bring the seeded identities into the hub's index.
  for (let i = 0; i < 100; i++) {
    const d = await ask(`{ search(query: "dark angel 99", platform: SNAPCHAT) { nodes { recordId } } }`);
    if (d.search.nodes.length >= 2) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  const hit = await ask(`{ search(query: "${SHARED_HANDLE.KENT}", platform: SNAPCHAT) { nodes { recordId org { code } } } }`);
  const kentId = hit.search.nodes.find((h: { org: { code: string } }) => h.org.code === "KENT").recordId as string;
  const someLink = await ask(`{ kent { links(first: 1) { nodes { id } } } }`);
  const linkId = someLink.kent.links.nodes[0]?.id as string;

  const questions: [string, string, Record<string, unknown>, string?][] = [
    ["baseline: orgs (hub only)", `{ orgs { code } }`, {}],
    [
      "who else holds this handle (exact + fuzzy, records from owners)",
      `query($q: String!) { search(query: $q, fuzzy: true, first: 20) { nodes { org { code spoc { email } } match score access { level } identity { id handle status lastSeen grading { source assessment handling } } } } }`,
      { q: "dark angel 99" },
    ],
    [
      "who holds this phone number",
      `query($q: String!) { search(query: $q) { nodes { recordId org { code } access { level } } } }`,
      { q: SHARED_PHONE.NORFOLK },
    ],
    [
      "link graph, 2 hops, across forces",
      `query($id: ID!) { linkGraph(rootId: $id, depth: 2) { nodes { id ... on OnlineIdentity { handle owner } } edges { id ... on SuspectLink { linkType } } } }`,
      { id: kentId },
    ],
    [
      "identities across forces, filtered, first page of 20",
      `{ identities(filter: { status: SUSPECT }, first: 20) { nodes { id ... on OnlineIdentity { handle owner lastSeen } } pageInfo { hasNextPage } } }`,
      {},
    ],
    ["forums across forces, first page of 20", `{ forums(first: 20) { nodes { id ... on Forum { name kind owner } } } }`, {}],
    [
      "a link and both ends, each from its owner",
      `query($id: ID!) { suspectLink(id: $id) { id ... on SuspectLink { linkType from { identity { handle owner } } toIdentity { identity { handle owner } } } } }`,
      { id: linkId },
    ],
    ["deconfliction alerts of my org", `{ deconflictionAlerts(first: 20) { nodes { id trigger counterpartOrg contact { email } } } }`, {}],
    [
      "where monitoring overlaps / high-risk forums nobody watches",
      `{ monitoringOverview { overlaps(first: 20) { nodes { orgs covertInvolved forum { forum { name owner } } } } unmonitoredHighRisk(first: 20) { nodes { org { code } access { level } forum { forum { name } } } } } }`,
      {},
    ],
    [
      "forums with who monitors them",
      `{ forums(first: 20) { nodes { id ... on Forum { name owner monitoring(first: 10) { nodes { id ... on MonitoringAssignment { org covert active leadOfficer { email } } } } } } } }`,
      {},
    ],
    [
      "who has seen this identity",
      `query($id: ID!) { identity(id: $id) { id ... on OnlineIdentity { handle sightings(first: 20) { nodes { id ... on Sighting { org seenAt forum { forum { name } } } } } } } }`,
      { id: kentId },
      kentToken,
    ],
  ];

  /** Objects in an answer that carry an id or a code: what the analyst gets back. */
  const items = (v: unknown): number =>
    Array.isArray(v)
      ? v.reduce((n: number, x) => n + items(x), 0)
      : v && typeof v === "object"
        ? ("id" in v || "code" in v ? 1 : 0) + Object.values(v).reduce((n: number, x) => n + items(x), 0)
        : 0;
  const rows: { name: string; p50: number; p95: number; mean: number; items: number }[] = [];
  for (const [name, query, variables, as] of questions) {
    let answer: unknown;
    for (let i = 0; i < 3; i++) answer = await ask(query, variables, as);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await ask(query, variables, as);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    rows.push({
      name,
      p50: times[Math.floor(times.length * 0.5)]!,
      p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!,
      mean: times.reduce((a, b) => a + b, 0) / times.length,
      items: items(answer),
    });
    process.stdout.write(".");
  }
  const base = rows[0]!.p50;
  console.log(`\n\n| question (one query each) | records in answer | p50 ms | p95 ms | mean ms | p50 / baseline |\n|---|---:|---:|---:|---:|---:|`);
  for (const r of rows)
    console.log(`| ${r.name} | ${r.items} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.mean.toFixed(1)} | ${(r.p50 / base).toFixed(1)}× |`);
  console.log(`\n${runs} runs per query after 3 warm-up runs; demo data scale ${scale}; one machine, every service and PostgreSQL on it.`);
} finally {
  await stack.stop();
  rmSync(home, { recursive: true, force: true });
}
