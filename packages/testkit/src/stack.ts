import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { gatewayPort, hubPort, loadRegistry } from "@interforce/domain";
import { startStack, type Stack, type StackOptions } from "../../../infra/local/stack.js";

const PG_PORT_DELTA = 4049;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** A port offset whose every port (gateway, hub, forces, PostgreSQL) is free right now. */
async function freeOffset(): Promise<number> {
  const base = [
    gatewayPort() - Number(process.env.INTERFORCE_PORT_OFFSET ?? 0),
    hubPort() - Number(process.env.INTERFORCE_PORT_OFFSET ?? 0),
    ...loadRegistry().orgs.map((o) => o.port),
  ];
  // Every port stays below Linux's ephemeral range (32768 and up), where an outgoing connection
  // (a pool's, held for minutes) could take it between this check and the service's listen.
  const slots = Math.floor((32768 - Math.max(...base, PG_PORT_DELTA) - 20000) / 25);
  for (let attempt = 0; attempt < 50; attempt++) {
    const offset = 20000 + Math.floor(Math.random() * slots) * 25;
    const ports = [...base.map((p) => p + offset), offset + PG_PORT_DELTA];
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return offset;
  }
  throw new Error("no free port range for a test stack");
}

export type { Stack };

export interface TestStack extends Stack {
  /** Service log lines (JSON) that carry a given request id. */
  logsFor(service: string, requestId: string): Record<string, unknown>[];
}

/**
 * A private federation for one test file: its own temp home (keys, PostgreSQL data), its
 * own ports, real embedded PostgreSQL and real service processes.
 */
export async function startTestStack(opts: Partial<StackOptions> = {}): Promise<TestStack> {
  const home = mkdtempSync(join(tmpdir(), "interforce-test-"));
  const offset = await freeOffset();
  const stack = await startStack({
    home,
    portOffset: offset,
    pgPort: offset + PG_PORT_DELTA,
    seedScale: 0,
    log: () => {},
    // Fault tests kill services on purpose and expect them to stay down; the supervision test turns it on.
    supervise: false,
    // The console is built by the launcher for `npm start` and by the browser test's stack, which asks for it.
    buildConsole: false,
    ...opts,
    // One test token stands for many users, and test stacks share a small, busy machine:
    // rate limits and time budgets are tested with settings of their own, not these.
    serviceEnv: {
      AGREEMENTS_REFRESH_MS: "200",
      OUTBOX_INTERVAL_MS: "100",
      RATE_LIMIT_PER_MINUTE: "1000000",
      UNAUTHENTICATED_PER_MINUTE: "1000000",
      STATEMENT_TIMEOUT_MS: "30000",
      RESOLVER_BUDGET_MS: "60000",
      SUBGRAPH_TIMEOUT_MS: "60000",
      REQUEST_TIMEOUT_MS: "90000",
      ...opts.serviceEnv,
    },
  });
  const stop = stack.stop;
  return Object.assign(stack, {
    async stop() {
      await stop();
      rmSync(home, { recursive: true, force: true });
    },
    logsFor(service: string, requestId: string) {
      const svc = stack.services.get(service);
      if (!svc) throw new Error(`no service ${service}`);
      const parsed: Record<string, unknown>[] = [];
      for (const l of svc.lines) {
        if (!l.startsWith("{") || !l.includes(requestId)) continue;
        // A very long line can reach us cut in two; skip what is not a whole JSON line.
        try {
          parsed.push(JSON.parse(l) as Record<string, unknown>);
        } catch {
          continue;
        }
      }
      return parsed.filter((l) => l.requestId === requestId);
    },
  });
}
