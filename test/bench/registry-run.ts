/**
 * One federation over the registry INTERFORCE_REGISTRY names (infra/orgs.json without it), for bench:registry: starts
 * it in production mode with demo data in the given orgs only, waits for their records to reach the hub's index, then
 * sends each operation through the gateway (the first request of each timed on its own: nothing planned yet), times it
 * warm, and writes the figures and the peak memory of the processes as JSON.
 *   tsx test/bench/registry-run.ts SPEC.json   (written by test/bench/registry.ts)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { loadRegistry } from "@interforce/domain";
import { gql, tokenFor } from "@interforce/testkit";
import { startStack } from "../../infra/local/stack.js";
import { OPERATIONS, peakRssMiB, time, waitForIndex, type Stats } from "./measure.js";

export interface RunSpec {
  home: string;
  /** The gateway's supergraph; schema/supergraph.graphql when absent. */
  supergraphPath?: string;
  seedOrgs: string[];
  runs: number;
  portOffset: number;
  pgPort: number;
  out: string;
}

export type OperationKey = keyof typeof OPERATIONS;

export interface RunResult {
  orgs: number;
  forceProcesses: number;
  startSeconds: number;
  /** First request of each operation after the gateway started, ms. */
  first: Record<OperationKey, number>;
  warm: Record<OperationKey, Stats>;
  /** Which orgs the exact search found the shared handle at. */
  exactHitOrgs: string[];
  peakRss: { gateway: number; hub: number; forceMax: number; all: number };
}

const spec = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as RunSpec;
const orgs = loadRegistry().orgs;
const say = (line: string) => console.log(`  [${orgs.length} orgs] ${line}`);
const t0 = Date.now();
const stack = await startStack({
  home: spec.home,
  portOffset: spec.portOffset,
  pgPort: spec.pgPort,
  seedScale: 1,
  seedOrgs: spec.seedOrgs,
  // Progress only: the stack's readiness and the seed's running count.
  log: (line) => {
    if (/^\[(stack|seed)\]/.test(line)) say(line);
  },
  serviceEnv: {
    INTERFORCE_MODE: "production",
    RATE_LIMIT_PER_MINUTE: "1000000",
    ...(spec.supergraphPath ? { SUPERGRAPH_PATH: spec.supergraphPath } : {}),
  },
});
try {
  const startSeconds = (Date.now() - t0) / 1000;
  const forceProcesses = [...stack.services.keys()].filter((n) => n !== "hub" && n !== "gateway").length;
  if (forceProcesses !== orgs.length) throw new Error(`${forceProcesses} force subgraphs running for ${orgs.length} orgs`);
  say("waiting for the seeded records to reach the hub's index…");
  await waitForIndex(stack, spec.seedOrgs);

  const analyst = tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "bench@norfolk" });
  const kentAnalyst = tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "bench@kent" });
  const tokenOf = (op: OperationKey) => (op === "kent" ? kentAnalyst : analyst);
  const ask = async (op: OperationKey) => {
    const r = await gql(stack.gatewayUrl, OPERATIONS[op].query, { token: tokenOf(op), variables: OPERATIONS[op].variables, purpose: "benchmark" });
    if (r.errors) throw new Error(`${OPERATIONS[op].name}: ${JSON.stringify(r.errors)}`);
    return r.data as Record<string, any>;
  };
  const keys = Object.keys(OPERATIONS) as OperationKey[];
  const first = {} as Record<OperationKey, number>;
  for (const op of keys) {
    const t = performance.now();
    await ask(op);
    first[op] = performance.now() - t;
  }
  const exact = await ask("exact");
  const exactHitOrgs = [...new Set((exact.search.hits as { org: { code: string } }[]).map((h) => h.org.code))].sort();
  const warm = {} as Record<OperationKey, Stats>;
  for (const op of keys) {
    say(`${OPERATIONS[op].name}: ${spec.runs} runs after 20 warm-up…`);
    warm[op] = await time(() => ask(op), spec.runs);
  }
  const rss = [...stack.services.values()].map((s) => ({ name: s.name, mib: peakRssMiB(s.process.pid) }));
  const of = (name: string) => rss.find((r) => r.name === name)?.mib ?? 0;
  const forces = rss.filter((r) => r.name !== "hub" && r.name !== "gateway");
  const result: RunResult = {
    orgs: orgs.length,
    forceProcesses,
    startSeconds,
    first,
    warm,
    exactHitOrgs,
    peakRss: { gateway: of("gateway"), hub: of("hub"), forceMax: Math.max(...forces.map((f) => f.mib)), all: rss.reduce((a, r) => a + r.mib, 0) },
  };
  writeFileSync(spec.out, JSON.stringify(result));
} finally {
  say("stopping the federation…");
  await stack.stop();
}
