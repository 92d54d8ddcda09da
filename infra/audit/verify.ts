/**
 * Verifies an org's DPA 2018 s.62 audit chain: every row's hash and every link to its
 * predecessor, so an altered, deleted or injected row is found and located.
 */
import { verifyChain } from "@interforce/audit";
import { databaseTargets, resolveDatabaseUrls } from "@interforce/db";
import { parseFlags, runCli, UsageError } from "../local/cli.js";
import { openTargetDatabase } from "../local/org-database.js";

const USAGE = `usage: tsx infra/audit/verify.ts --org <ORG|HUB>

Recomputes the audit_event hash chain of one database and reports the first broken event.

  --org ORG   an org code from infra/orgs.json (e.g. KENT), or HUB
  --help      this text

The database is DATABASE_URL_<ORG> when set; otherwise the local development cluster
(<INTERFORCE_HOME>/pg on port 54329 + INTERFORCE_PORT_OFFSET), which is started and
stopped again if it is not already running.

Exit status: 0 chain intact, 1 chain broken, 2 usage error, 3 could not verify.`;

const PROGRESS_EVERY = 10_000;

async function main(): Promise<number> {
  const values = parseFlags(USAGE, ["org"]);
  if (!values) return 0;
  if (!values.org) throw new UsageError(`--org is required\n\n${USAGE}`);

  // The gateway's database holds shared counters only: no audit log to verify.
  const targets = databaseTargets().filter((t) => t.kind !== "gateway");
  const target = targets.find((t) => t.key === values.org!.toUpperCase());
  if (!target) {
    throw new UsageError(`Unknown org ${JSON.stringify(values.org)}; expected one of ${targets.map((t) => t.key).join(", ")}`);
  }

  try {
    resolveDatabaseUrls(target);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { url, cluster } = await openTargetDatabase(target, (msg) => console.error(`[postgres] ${msg}`));

  const stopCluster = () => cluster?.stop();
  const onSignal = () => {
    void Promise.resolve(stopCluster()).finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    let reported = 0;
    const result = await verifyChain(url, {
      onProgress: (events) => {
        if (events - reported >= PROGRESS_EVERY) {
          reported = events - (events % PROGRESS_EVERY);
          console.log(`${target.key}: ${events} events verified…`);
        }
      },
    }).catch((err: unknown) => {
      if ((err as { code?: string }).code === "42P01") {
        throw new Error(`${target.key}: ${target.database} has no audit_event table (audit migration not applied?)`);
      }
      throw err;
    });
    if (result.ok) {
      if (result.head) console.log(`${target.key}: head is seq ${result.head.seq}, hash ${result.head.hash}`);
      console.log(`${target.key} audit chain intact: ${result.events} events`);
      return 0;
    }
    console.log(`${target.key} audit chain BROKEN at seq ${result.firstBrokenSeq}: ${result.reason} (${result.explanation})`);
    return 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await stopCluster();
  }
}

runCli(main, "audit verification failed");
