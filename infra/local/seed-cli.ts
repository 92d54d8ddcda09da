import { connect } from "node:net";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { databaseTargets, provisionAll, resolveDatabaseUrls, type DatabaseUrls, type EmbeddedCluster } from "@interforce/db";
import { REPO_ROOT, portOffset } from "@interforce/domain";
import { seedDemo } from "./seed.js";
import { migrateAll } from "./stack.js";

const USAGE = `usage: pnpm seed [--scale N]

Writes synthetic demo intelligence into every force's database: generated handles (no real
names), forums of each kind and risk level, cross-force links, covert decoys, C-handled
records, joint monitoring (overlapping, some covert, some ended, some high-risk forums left
unwatched) and sightings of other orgs' identities. Scale 1 is about 90 records; each unit
adds as many. Records go through each force's own write
path, so identities reach the hub's index through the outbox when the subgraphs run.
Uses DATABASE_URL_<ORG> / DATABASE_URL_HUB when set, else the local cluster (started and
stopped again if \`pnpm start\` is not running).

  --scale N   how much to add (default 10, at most 1000)
  --help      this text`;

const { values } = parseArgs({ options: { scale: { type: "string", default: "10" }, help: { type: "boolean" } } });
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const scale = Number(values.scale);
if (!Number.isInteger(scale) || scale < 1 || scale > 1000) {
  console.error("--scale must be a whole number from 1 to 1000");
  process.exit(2);
}

const home = process.env.INTERFORCE_HOME ?? join(REPO_ROOT, ".interforce");
const pgPort = 54329 + portOffset();
const listening = await new Promise<boolean>((resolve) => {
  const s = connect(pgPort, "127.0.0.1", () => (s.end(), resolve(true)));
  s.once("error", () => resolve(false));
});

let cluster: EmbeddedCluster | undefined;
let urls: Record<string, DatabaseUrls>;
const everyTargetExternal = databaseTargets().every((t) => resolveDatabaseUrls(t));
if (listening && !everyTargetExternal) {
  // The running stack's cluster: its loopback-only development superuser writes the seed.
  urls = Object.fromEntries(
    databaseTargets().map((t) => {
      const url = resolveDatabaseUrls(t)?.appUrl ?? `postgres://postgres:postgres@127.0.0.1:${pgPort}/${t.database}`;
      return [t.key, { appUrl: url, ownerUrl: url }];
    }),
  );
} else {
  ({ cluster, urls } = await provisionAll({ dataDir: join(home, "pg"), port: pgPort, log: (m) => console.log(`[postgres] ${m}`) }));
}
try {
  await migrateAll(urls, (l) => console.log(l));
  const t0 = Date.now();
  await seedDemo({ urls, scale, append: true, log: (m) => console.log(`[seed] ${m}`) });
  console.log(`[seed] done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
} finally {
  await cluster?.stop();
}
