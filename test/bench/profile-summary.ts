/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): where each process spent its samples, by package and by function.
 *   tsx test/bench/profile-summary.ts <dir with .cpuprofile files> [--top N]
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const { values, positionals } = parseArgs({ options: { top: { type: "string", default: "12" }, help: { type: "boolean" } }, allowPositionals: true });
if (values.help || positionals.length !== 1) {
  console.log("usage: tsx test/bench/profile-summary.ts <dir with .cpuprofile files> [--top N]");
  process.exit(values.help ? 0 : 2);
}
const top = Number(values.top);
const dir = positionals[0]!;

/** The package a script belongs to: a node_modules package, a workspace folder, or node's own. */
function where(url: string): string {
  if (!url) return "(native / idle / gc)";
  if (url.startsWith("node:")) return "node core";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const ws = /\/(services|packages)\/([^/]+)\//.exec(url);
  return ws ? `${ws[1]}/${ws[2]}` : url.replace(/^file:\/\//, "");
}

for (const file of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
  const p = JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || "(anonymous)";
    const special = ["(idle)", "(program)", "(garbage collector)"].includes(name);
    const pkg = special ? name : where(n.callFrame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const fn = special ? name : `${name} (${pkg})`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const busy = total - (byPackage.get("(idle)") ?? 0);
  const pct = (us: number) => `${((us / Math.max(busy, 1)) * 100).toFixed(1)} %`;
  console.log(`\n### ${file}: ${(busy / 1e6).toFixed(1)} s busy of ${(total / 1e6).toFixed(1)} s sampled\n`);
  console.log("| package | share of busy time |\n|---|---:|");
  for (const [k, v] of [...byPackage]
    .filter(([k]) => k !== "(idle)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, top))
    console.log(`| ${k} | ${pct(v)} |`);
  console.log("\n| function (self time) | share |\n|---|---:|");
  for (const [k, v] of [...byFunction]
    .filter(([k]) => k !== "(idle)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, top))
    console.log(`| ${k} | ${pct(v)} |`);
}
