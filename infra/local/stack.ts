/**
 * Starts the whole federation on one machine: embedded PostgreSQL (or DATABASE_URL_*),
 * migrations, the pilot agreement, optional demo data, the hub, one subgraph per org of
 * the registry, and the gateway. Used by `pnpm start` and by the tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { deriveGatewaySecret, deriveServiceSecret, ensureDevKeys, ensureSelectorKeys, ensureServiceSecret, parseSelectorKeys } from "@interforce/auth";
import { createSharedStateTables, provisionAll, withClient, type DatabaseUrls, type EmbeddedCluster } from "@interforce/db";
import { REPO_ROOT, gatewayPort, hubPort, loadRegistry, orgPort, serviceBaseUrl, subgraphName } from "@interforce/domain";
import { migrateForce } from "@interforce/force-subgraph";
import { createHubDataSource, ensurePilotAgreement, migrateHub } from "@interforce/hub-subgraph";
import { isProduction } from "@interforce/server-kit";
import { buildAll, compiledEntry, type ServiceName } from "../build/build.js";
import { ensureConsoleBuilt } from "../build/console.js";
import { seedDemo } from "./seed.js";

export interface StackOptions {
  /** Keys, PostgreSQL data and other local state. */
  home: string;
  portOffset?: number;
  pgPort?: number;
  /** Demo data scale; 0 seeds nothing but the pilot agreement. */
  seedScale?: number;
  /** The orgs that get demo data (default: every org of the registry). */
  seedOrgs?: string[];
  log?: (line: string) => void;
  /** Extra environment for every service, e.g. faster agreement refresh in tests. */
  serviceEnv?: Record<string, string>;
  /** Echo every service log line through `log`. */
  echoServiceLogs?: boolean;
  /** Extra node flags for every service (e.g. `--cpu-prof`, which NODE_OPTIONS may not carry). */
  nodeArgs?: string[];
  /**
   * Restart a service that exits without being asked to (default on): at once after a clean
   * exit (`npm run service -- restart <name>`), after a crash with a backoff of 1, 2, 4 … 30 s
   * by the crashes of the last minute. Each restart is logged.
   */
  supervise?: boolean;
  /** Build the web console the gateway serves when its dist is missing or older than its sources (default on). */
  buildConsole?: boolean;
}

export interface RunningService {
  name: string;
  url: string;
  lines: string[];
  process: ChildProcess;
}

export interface Stack {
  home: string;
  gatewayUrl: string;
  hubUrl: string;
  forceUrls: Record<string, string>;
  databases: Record<string, DatabaseUrls>;
  services: Map<string, RunningService>;
  /** Kill a service at once (SIGKILL), as a crash would. */
  kill(name: string): Promise<void>;
  /** Start a stopped service again, optionally with changed environment. */
  restart(name: string, env?: Record<string, string>): Promise<void>;
  /**
   * Starts another replica of a service on another port (same database, same secrets), as a
   * second host would run it; it is named `<name>@<port>` and stopped with the stack.
   */
  replica(name: string, port: number, env?: Record<string, string>): Promise<RunningService>;
  stop(): Promise<void>;
}

interface ServiceSpec {
  name: string;
  entry: string;
  port: number;
  /** Where the launcher (and every other service) reaches it: from the registry. */
  url: string;
  env: Record<string, string>;
}

async function waitHealthy(url: string, child: ChildProcess, lines: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`service exited with code ${child.exitCode}:\n${lines.slice(-20).join("\n")}`);
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`service at ${url} not healthy after ${timeoutMs} ms:\n${lines.slice(-20).join("\n")}`);
}

/** The hub's selector keys: SELECTOR_KEYS when the operator gives them, else the development ring of the Interforce home. */
export function selectorKeysSpec(): string {
  return process.env.SELECTOR_KEYS ?? ensureSelectorKeys();
}

/** Migrations for the hub and every org, then the pilot agreement if it is missing. */
export async function migrateAll(urls: Record<string, DatabaseUrls>, log: (line: string) => void): Promise<void> {
  const orgs = loadRegistry().orgs;
  const applied = await migrateHub(urls.HUB!.ownerUrl, parseSelectorKeys(selectorKeysSpec()));
  if (applied.length) log(`[migrate] hub: ${applied.join(", ")}`);
  for (const org of orgs) {
    const done = await migrateForce(urls[org.code]!.ownerUrl, org.code);
    if (done.length) log(`[migrate] ${org.code}: ${done.join(", ")}`);
  }
  // The gateway's shared-state tables, made by the owner so its own role needs no DDL right.
  await withClient(urls.GATEWAY!.ownerUrl, (c) => createSharedStateTables((sql) => c.query(sql)));
  const hubDb = createHubDataSource(urls.HUB!.appUrl);
  await hubDb.initialize();
  try {
    if (
      await ensurePilotAgreement(
        hubDb,
        orgs.map((o) => o.code),
      )
    )
      log("[seed] agreement: Eastern Region Joint Monitoring");
  } finally {
    await hubDb.destroy();
  }
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? ((l: string) => console.log(l));
  const offset = options.portOffset ?? 0;
  process.env.INTERFORCE_HOME = options.home;
  process.env.INTERFORCE_PORT_OFFSET = String(offset);
  const t0 = Date.now();

  ensureDevKeys(options.home);
  const masterSecret = ensureServiceSecret(options.home);

  const { cluster, urls } = await provisionAll({
    dataDir: join(options.home, "pg"),
    port: options.pgPort ?? 54329 + offset,
    log: (m) => log(`[postgres] ${m}`),
  });
  const services = new Map<string, RunningService>();
  const specs = new Map<string, ServiceSpec>();
  let stopped = false;

  /** Where `npm run service` finds the running stack: the launcher's and each service's pid. */
  const controlFile = join(options.home, "stack.json");
  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    rmSync(controlFile, { force: true });
    await Promise.all(
      [...services.values()].map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.process.exitCode !== null || s.process.signalCode !== null) return resolve();
            s.process.once("exit", () => resolve());
            s.process.kill("SIGTERM");
            setTimeout(() => s.process.kill("SIGKILL"), 5000).unref();
          }),
      ),
    );
    await (cluster as EmbeddedCluster | undefined)?.stop();
  };

  try {
    const orgs = loadRegistry().orgs;
    await migrateAll(urls, log);
    if (options.seedScale && options.seedScale > 0) {
      await seedDemo({ urls, scale: options.seedScale, orgs: options.seedOrgs, log: (m) => log(`[seed] ${m}`) });
    }
    if (options.buildConsole ?? true) await ensureConsoleBuilt((m) => log(`[build] ${m}`));

    const common = {
      INTERFORCE_HOME: options.home,
      INTERFORCE_PORT_OFFSET: String(offset),
      // This launcher signs tokens with the key pair it made in its home; a service in production mode accepts
      // that only when told so, and says so in its log. A deployment never sets it.
      INTERFORCE_ALLOW_DEV_KEYS: "1",
      ...options.serviceEnv,
    };
    // Only this launcher holds the master secret. Each subgraph holds only the gateway's
    // secret for itself; the gateway one per subgraph, so it cannot sign as a force; the hub
    // the forces' service secrets, so it cannot sign as the gateway.
    const subgraphs = ["hub", ...orgs.map((o) => subgraphName(o.code))];
    const gatewaySecret = (subgraph: string) => deriveGatewaySecret(masterSecret, subgraph);
    const all: ServiceSpec[] = [
      {
        name: "hub",
        entry: "services/hub-subgraph/src/main.ts",
        port: hubPort(),
        url: serviceBaseUrl("hub"),
        env: {
          ...common,
          DATABASE_URL: urls.HUB!.appUrl,
          GATEWAY_SECRET: gatewaySecret("hub"),
          // The forces' service secrets, not the master: the hub cannot sign as the gateway.
          SERVICE_SECRETS: orgs.map((o) => `${o.code}=${deriveServiceSecret(masterSecret, o.code)}`).join(","),
          SELECTOR_KEYS: selectorKeysSpec(),
        },
      },
      ...orgs.map((o) => ({
        name: o.code.toLowerCase(),
        entry: "services/force-subgraph/src/main.ts",
        port: orgPort(o.code),
        url: serviceBaseUrl({ org: o.code }),
        env: {
          ...common,
          INTERFORCE_ORG: o.code,
          DATABASE_URL: urls[o.code]!.appUrl,
          SERVICE_SECRET: deriveServiceSecret(masterSecret, o.code),
          GATEWAY_SECRET: gatewaySecret(subgraphName(o.code)),
        },
      })),
      {
        name: "gateway",
        entry: "services/gateway/src/main.ts",
        port: gatewayPort(),
        url: serviceBaseUrl("gateway"),
        env: { ...common, DATABASE_URL: urls.GATEWAY!.appUrl, SUBGRAPH_SECRETS: subgraphs.map((n) => `${n}=${gatewaySecret(n)}`).join(",") },
      },
    ];
    for (const s of all) specs.set(s.name, s);

    // Outside development a service runs compiled (no runtime transpiling, no source maps),
    // built once per launcher from the checkout it runs.
    let built: Promise<void> | undefined;
    const launch = async (spec: ServiceSpec, extraEnv: Record<string, string> = {}): Promise<RunningService> => {
      const env = { ...process.env, ...spec.env, ...extraEnv };
      const service = spec.entry.split("/")[1] as ServiceName;
      let args = ["--import", "tsx", spec.entry];
      if (isProduction(env)) {
        built ??= buildAll(() => {});
        await built;
        args = [compiledEntry(service)];
      }
      args = [...(options.nodeArgs ?? []), ...args];
      const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
      const svc: RunningService = { name: spec.name, url: spec.url, lines: [], process: child };
      const onData = (buf: Buffer) => {
        for (const line of buf.toString("utf8").split("\n")) {
          if (!line) continue;
          svc.lines.push(line);
          if (svc.lines.length > 5000) svc.lines.splice(0, 1000);
          if (options.echoServiceLogs) log(`[${spec.name}] ${line}`);
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      services.set(spec.name, svc);
      return svc;
    };

    const writeControl = () => {
      if (stopped) return;
      const entries = [...services.values()].map((s) => [s.name, { pid: s.process.pid, url: s.url }]);
      writeFileSync(controlFile, JSON.stringify({ launcherPid: process.pid, services: Object.fromEntries(entries) }, null, 2));
    };
    // Processes whose exit the launcher asked for (kill, restart, stop): not restarted.
    const expected = new WeakSet<ChildProcess>();
    const crashes = new Map<string, number[]>();
    const supervise = options.supervise ?? true;
    const recover = (spec: ServiceSpec, env: Record<string, string>, what: string, crashed: boolean) => {
      if (stopped) return;
      const recent = (crashes.get(spec.name) ?? []).filter((t) => Date.now() - t < 60_000);
      if (crashed) recent.push(Date.now());
      crashes.set(spec.name, recent);
      const delay = crashed ? Math.min(30_000, 1000 * 2 ** (recent.length - 1)) : 0;
      log(`[stack] ${spec.name} ${what}; ${crashed ? `restarting in ${delay / 1000} s (crash ${recent.length} in the last minute)` : "starting it again"}`);
      setTimeout(() => {
        if (stopped) return;
        start(spec, env).then(
          () => log(`[stack] ${spec.name} restarted (pid ${services.get(spec.name)?.process.pid})`),
          (err: Error) => recover(spec, env, `did not come back (${err.message.split("\n")[0]})`, true),
        );
      }, delay).unref();
    };
    const watch = (spec: ServiceSpec, svc: RunningService, env: Record<string, string>) => {
      writeControl();
      svc.process.once("exit", (code, signal) => {
        if (!supervise || stopped || expected.has(svc.process) || services.get(spec.name) !== svc) return;
        recover(spec, env, `exited (${signal ?? `code ${code}`})`, code !== 0);
      });
    };

    // Ports above 32767 lie in Linux's ephemeral range, so a port a service is to listen on can
    // be held for a while by some process's outgoing connection: that service tries again.
    const start = async (spec: ServiceSpec, extraEnv: Record<string, string> = {}) => {
      for (let attempt = 1; ; attempt++) {
        const svc = await launch(spec, extraEnv);
        try {
          await waitHealthy(svc.url, svc.process, svc.lines);
          watch(spec, svc, extraEnv);
          return;
        } catch (err) {
          if (attempt >= 5 || !svc.lines.some((l) => l.includes("EADDRINUSE"))) throw err;
          log(`[stack] ${spec.name}: port ${spec.port} is in use, trying again`);
          await new Promise((r) => setTimeout(r, 2000 * attempt));
        }
      }
    };

    // The hub first (forces fetch agreements from it), then the forces, then the gateway.
    // A few services start at a time: dozens of processes compiling at once on a small
    // machine would each take longer than the health check waits.
    const order = [["hub"], orgs.map((o) => o.code.toLowerCase()), ["gateway"]];
    const atOnce = Math.max(4, 2 * availableParallelism());
    for (const group of order) {
      const queue = [...group];
      await Promise.all(
        Array.from({ length: Math.min(atOnce, queue.length) }, async () => {
          for (let name = queue.shift(); name !== undefined; name = queue.shift()) await start(specs.get(name)!);
        }),
      );
      if (group.length > atOnce) log(`[stack] ${group.length} services healthy`);
    }
    log(`[stack] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const kill = async (name: string) => {
      const svc = services.get(name);
      if (!svc || svc.process.exitCode !== null || svc.process.signalCode !== null) return;
      expected.add(svc.process);
      await new Promise<void>((resolve) => {
        svc.process.once("exit", () => resolve());
        svc.process.kill("SIGKILL");
      });
    };
    return {
      home: options.home,
      gatewayUrl: `${serviceBaseUrl("gateway")}/graphql`,
      hubUrl: `${serviceBaseUrl("hub")}/graphql`,
      forceUrls: Object.fromEntries(orgs.map((o) => [o.code, `${serviceBaseUrl({ org: o.code })}/graphql`])),
      databases: urls,
      services,
      kill,
      async restart(name, env = {}) {
        const spec = specs.get(name);
        if (!spec) throw new Error(`no service ${name}`);
        await kill(name);
        await start(spec, env);
      },
      async replica(name, port, env = {}) {
        const spec = specs.get(name);
        if (!spec) throw new Error(`no service ${name}`);
        const url = new URL(spec.url);
        url.port = String(port);
        const replica: ServiceSpec = {
          ...spec,
          name: `${name}@${port}`,
          port,
          url: url.toString().replace(/\/+$/, ""),
          env: { ...spec.env, PORT: String(port) },
        };
        specs.set(replica.name, replica);
        await start(replica, env);
        return services.get(replica.name)!;
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
