/**
 * Publishes every identity of one force to the hub's selector index again, through the force's outbox: after the hub's
 * selector key is rotated (each pointer is then keyed under the new key), or to rebuild a lost index.
 */
import { databaseTargets } from "@interforce/db";
import { createForceDataSource, republishSelectors } from "@interforce/force-subgraph";
import { parseFlags, runCli, UsageError } from "../local/cli.js";
import { openTargetDatabase } from "../local/org-database.js";

const USAGE = `usage: npm run index:republish -- --org <ORG> [--batch N]

Queues every identity of ORG for the hub's selector index again, in its outbox; the force's
relay delivers them while the force runs, and the hub keys each under its current selector key.

  --org ORG    an org code from infra/orgs.json (e.g. KENT)
  --batch N    identities per transaction (default 1000)
  --help       this text

The database is DATABASE_URL_<ORG> when set; otherwise the local development cluster.
Exit status: 0 queued, 2 usage error, 3 could not queue.`;

async function main(): Promise<number> {
  const values = parseFlags(USAGE, ["org", "batch"]);
  if (!values) return 0;
  if (!values.org) throw new UsageError(`--org is required\n\n${USAGE}`);
  const target = databaseTargets().find((t) => t.key === values.org!.toUpperCase() && t.kind === "force");
  if (!target)
    throw new UsageError(
      `Unknown org ${JSON.stringify(values.org)}; expected one of ${databaseTargets()
        .filter((t) => t.kind === "force")
        .map((t) => t.key)
        .join(", ")}`,
    );
  const batch = values.batch === undefined ? 1000 : Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) throw new UsageError("--batch must be an integer from 1 to 10000");

  const { url, cluster } = await openTargetDatabase(target, (msg) => console.error(`[postgres] ${msg}`));
  const db = createForceDataSource(url, "interforce-republish");
  try {
    await db.initialize();
    const t0 = Date.now();
    const total = await republishSelectors(db, target.key, {
      batch,
      onProgress: (done) => process.stdout.write(`\r${target.key}: ${done.toLocaleString("en-GB")} identities queued…`),
    });
    process.stdout.write("\n");
    console.log(
      `${target.key}: ${total} identities queued for the hub's index in ${((Date.now() - t0) / 1000).toFixed(1)} s; the relay delivers them while ${target.key} runs`,
    );
    return 0;
  } finally {
    if (db.isInitialized) await db.destroy();
    await cluster?.stop();
  }
}

runCli(main, "republishing failed");
