import { parseArgs } from "node:util";
import { join } from "node:path";
import { portOffset, REPO_ROOT } from "@interforce/domain";
import { startStack } from "./stack.js";

const USAGE = `usage: npm start -- [--scale N] [--quiet]

Starts Interforce on this machine: embedded PostgreSQL (unless DATABASE_URL_<ORG> /
DATABASE_URL_HUB are set), migrations, demo data, the hub, one subgraph per org in
infra/orgs.json, and the gateway. Ctrl-C stops everything, PostgreSQL included.

Environment: INTERFORCE_HOME (keys, secrets and PostgreSQL data; default .interforce/),
INTERFORCE_PORT_OFFSET (added to every port, for a second stack beside the first).

  --scale N   demo data scale (default 1: a few dozen records per force; 0: none)
  --quiet     do not echo the services' log lines
  --help      this text`;

const { values } = parseArgs({
  options: { scale: { type: "string", default: "1" }, quiet: { type: "boolean" }, help: { type: "boolean" } },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const scale = Number(values.scale);
if (!Number.isInteger(scale) || scale < 0 || scale > 1000) {
  console.error("--scale must be a whole number from 0 to 1000");
  process.exit(2);
}

const home = process.env.INTERFORCE_HOME ?? join(REPO_ROOT, ".interforce");
// INTERFORCE_PORT_OFFSET shifts every port, PostgreSQL's included, as it does for `seed`, `audit:verify` and the token CLI.
const stack = await startStack({ home, portOffset: portOffset(), seedScale: scale, echoServiceLogs: !values.quiet }).catch((err) => {
  console.error(`start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

console.log(`
Interforce is running.
  Gateway:  ${stack.gatewayUrl}
  Console:  ${new URL("/console/", stack.gatewayUrl).href}  (GraphiQL: ${new URL("/graphiql", stack.gatewayUrl).href}, development only)
  Token:    npm run -s token -- --org KENT --role ANALYST --clearance OFFICIAL_SENSITIVE
  Try:      TOKEN=$(npm run -s token -- --org KENT --role ANALYST --clearance OFFICIAL_SENSITIVE)
            curl -s ${stack.gatewayUrl} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
              -H 'x-purpose: demo' -d '{"query":"{ search(query: \\"dark angel 99\\", platform: SNAPCHAT) { nodes { org { code } identity { handle owner } } } }"}'
Press Ctrl-C to stop.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log("stopping services and PostgreSQL…");
  await stack.stop();
  console.log("stopped");
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
