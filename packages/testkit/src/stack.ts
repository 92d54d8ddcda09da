import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack, type Stack, type StackOptions } from "../../../infra/local/stack.js";

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
  const offset = 20000 + Math.floor(Math.random() * 200) * 50;
  const stack = await startStack({
    home,
    portOffset: offset,
    pgPort: offset + 4049,
    seedScale: 0,
    log: () => {},
    ...opts,
    serviceEnv: { AGREEMENTS_REFRESH_MS: "200", OUTBOX_INTERVAL_MS: "100", ...opts.serviceEnv },
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
      return svc.lines
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.requestId === requestId);
    },
  });
}
