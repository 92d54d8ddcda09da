/**
 * Times Apollo's query planner on one operation of a supergraph, in this process alone, as the gateway plans the first
 * request of an operation after it starts: a fresh planner, nothing compiled yet, no plan cached. Then the same
 * operation planned again `--runs` times (the planner keeps no plans; the gateway's cache does). Prints one JSON line.
 *   tsx test/bench/plan.ts --supergraph FILE --operation 'query … { … }' [--runs N]
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "graphql";
import { REPO_ROOT } from "@interforce/domain";
import { stats } from "./measure.js";

const { values } = parseArgs({
  options: { supergraph: { type: "string" }, operation: { type: "string" }, runs: { type: "string", default: "20" }, help: { type: "boolean" } },
});
const runs = Number(values.runs);
if (values.help || !values.supergraph || !values.operation || !Number.isInteger(runs) || runs < 1) {
  console.log(`usage: tsx test/bench/plan.ts --supergraph FILE --operation TEXT [--runs N]
  --supergraph FILE   a composed supergraph (schema/supergraph.graphql, or one composed from another registry)
  --operation TEXT    the operation, as a client sends it
  --runs N            warm plans after the cold one (default 20)`);
  process.exit(values.help ? 0 : 2);
}

interface PlanNode {
  kind: string;
  nodes?: PlanNode[];
  node?: PlanNode;
  main?: PlanNode;
  deferred?: { node?: PlanNode }[];
  condition?: unknown;
  ifClause?: PlanNode;
  elseClause?: PlanNode;
}
interface Planner {
  buildQueryPlan(operation: unknown): { node?: PlanNode };
}
interface PlannerModules {
  QueryPlanner: new (supergraph: unknown) => Planner;
  Supergraph: { build(sdl: string): { apiSchema(): unknown } };
  operationFromDocument: (schema: unknown, document: unknown) => unknown;
}

// The planner the gateway runs: resolved through the gateway's own @apollo/gateway, so it is always its version.
const gatewayRequire = createRequire(createRequire(join(REPO_ROOT, "services/gateway/package.json")).resolve("@apollo/gateway"));
const { QueryPlanner } = gatewayRequire("@apollo/query-planner") as Pick<PlannerModules, "QueryPlanner">;
const { Supergraph, operationFromDocument } = gatewayRequire("@apollo/federation-internals") as Omit<PlannerModules, "QueryPlanner">;

const fetches = (n: PlanNode | undefined): number => {
  if (!n) return 0;
  if (n.kind === "Fetch") return 1;
  return [...(n.nodes ?? []), n.node, n.main, n.ifClause, n.elseClause, ...(n.deferred ?? []).map((d) => d.node)].reduce((a, c) => a + fetches(c), 0);
};

const sdl = readFileSync(values.supergraph, "utf8");
const t0 = performance.now();
const supergraph = Supergraph.build(sdl);
const planner = new QueryPlanner(supergraph);
const buildMs = performance.now() - t0;
const document = parse(values.operation);
const plan = () => planner.buildQueryPlan(operationFromDocument(supergraph.apiSchema(), document));
const t1 = performance.now();
const first = plan();
const coldMs = performance.now() - t1;
const warm: number[] = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  plan();
  warm.push(performance.now() - t);
}
console.log(JSON.stringify({ buildMs, coldMs, warmP50Ms: stats(warm).p50, fetchNodes: fetches(first.node) }));
