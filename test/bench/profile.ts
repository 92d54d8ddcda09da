/**
 * Where the request path spends its time: every service runs with V8's CPU profiler while 8 clients in a second process
 * send one operation for a while; the profiles are summarised by package and function (test/bench/profile-summary.ts).
 *   pnpm bench:profile [--op exact|write|identities] [--seconds N] [--out DIR] [--report FILE.md]
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";
import { REPO_ROOT } from "@interforce/domain";
import { identityInput, tokenFor } from "@interforce/testkit";
import { startStack } from "../../infra/local/stack.js";
import { SHARED_HANDLE } from "../../infra/local/seed.js";

const { values } = parseArgs({
  options: {
    op: { type: "string", default: "exact" },
    seconds: { type: "string", default: "15" },
    out: { type: "string" },
    report: { type: "string" },
    help: { type: "boolean" },
  },
});
const OPS = {
  exact: {
    query: `query($q: String!) { search(query: $q, platform: SNAPCHAT) { hits { recordId org { code } access { level } } } }`,
    variables: { q: SHARED_HANDLE.KENT },
    token: () => tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "profile@norfolk" }),
  },
  write: {
    query: `mutation($input: RecordOnlineIdentityInput!) { kent { recordOnlineIdentity(input: $input) { id } } }`,
    variables: { input: { ...identityInput(), handle: `profile_${Date.now().toString(36)}_{i}` } },
    token: () => tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "OFFICIAL_SENSITIVE", sub: "profile@kent" }),
  },
  identities: {
    query: `{ identities(first: 20) { nodes { id ... on OnlineIdentity { handle owner } } pageInfo { hasNextPage } } }`,
    variables: {},
    token: () => tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "profile@norfolk" }),
  },
} as const;
const op = OPS[values.op as keyof typeof OPS];
const seconds = Number(values.seconds);
if (values.help || !op || !Number.isInteger(seconds) || seconds < 1) {
  console.log(
    `usage: pnpm bench:profile [--op ${Object.keys(OPS).join("|")}] [--seconds N (default 15)] [--out DIR (default: a temporary directory)] [--report FILE.md]`,
  );
  process.exit(values.help ? 0 : 2);
}

let loadLine: string | undefined;
const home = mkdtempSync(join(tmpdir(), "interforce-profile-"));
const out = resolve(values.out ?? join(home, "profiles"));
mkdirSync(out, { recursive: true });
console.log(`starting the federation with every service under the CPU profiler (profiles in ${out})…`);
const stack = await startStack({
  home,
  portOffset: 10000,
  pgPort: 14049,
  seedScale: 1,
  log: () => {},
  nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${out}`],
  // Production mode: the services run compiled, as deployed, so the profile shows the request path and not the transpiler.
  serviceEnv: { RATE_LIMIT_PER_MINUTE: "1000000", INTERFORCE_MODE: "production" },
});
try {
  const spec = join(home, "load.json");
  writeFileSync(spec, JSON.stringify({ url: stack.gatewayUrl, token: op.token(), query: op.query, variables: op.variables, concurrency: 8, seconds }));
  console.log(`${values.op} from 8 clients for ${seconds} s…`);
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "test/bench/load.ts", spec], { cwd: REPO_ROOT });
  loadLine = stdout.trim();
  console.log(loadLine);
} finally {
  const names = new Map([...stack.services.values()].map((svc) => [String(svc.process.pid), svc.name]));
  await stack.stop();
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: named for its service; the main thread is thread 0.
  for (const f of readdirSync(out)) {
    const m = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(f);
    const name = m && names.get(m[1]!);
    if (name) renameSync(join(out, f), join(out, m![2] === "0" ? `${name}.cpuprofile` : `${name}.thread-${m![2]}.cpuprofile`));
  }
}
const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "test/bench/profile-summary.ts", out], {
  cwd: REPO_ROOT,
  maxBuffer: 1 << 24,
});
console.log(stdout);
if (values.report) {
  writeFileSync(
    values.report,
    `# CPU profile: ${values.op} from 8 clients\n\nWritten by \`npm run bench:profile -- --op ${values.op} --seconds ${seconds}\` on ${new Date().toISOString().slice(0, 10)}: production mode (compiled services), demo data, every service and PostgreSQL on one machine. Each service is sampled over its whole life, start-up included (module compilation in a profile is start-up).\n\nLoad (second process): \`${loadLine ?? "none"}\`\n${stdout}`,
  );
  console.log(`written to ${values.report}`);
}
if (!values.out) rmSync(home, { recursive: true, force: true });
