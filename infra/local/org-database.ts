import { existsSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { resolveDatabaseUrls, startEmbeddedCluster, type DatabaseTarget, type EmbeddedCluster } from "@interforce/db";
import { REPO_ROOT, portOffset } from "@interforce/domain";

// The development cluster's fixed loopback-only superuser, as set by @interforce/db.
const DEV_SUPERUSER = "postgres:postgres";

/**
 * The database of one org (or the hub) for a command-line tool: DATABASE_URL_<KEY> when set, otherwise the local
 * development cluster as infra/local/stack.ts lays it out, started here (and `cluster` set, for the caller to stop) if
 * it is not already running.
 */
export async function openTargetDatabase(target: DatabaseTarget, log: (msg: string) => void): Promise<{ url: string; cluster?: EmbeddedCluster }> {
  const external = resolveDatabaseUrls(target);
  if (external) return { url: external.appUrl };
  const home = process.env.INTERFORCE_HOME ?? join(REPO_ROOT, ".interforce");
  const port = 54329 + portOffset();
  const dataDir = join(home, "pg");
  if (await accepting(port)) {
    return { url: `postgres://${DEV_SUPERUSER}@127.0.0.1:${port}/${encodeURIComponent(target.database)}` };
  }
  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    throw new Error(
      `No local PostgreSQL cluster in ${dataDir} and nothing listening on port ${port}; run \`npm start\` once, or set DATABASE_URL_${target.key}`,
    );
  }
  const cluster = await startEmbeddedCluster({ dataDir, port, log });
  return { url: cluster.superuserUrl(target.database), cluster };
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
