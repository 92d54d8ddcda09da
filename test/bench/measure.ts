/**
 * What the benchmarks share: the analysts' operations as clients send them, timing with warm-up, the wait for the
 * seeded records to reach the hub's index, and a process's peak memory.
 */
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import type { Stack } from "../../infra/local/stack.js";
import { SHARED_HANDLE } from "../../infra/local/seed.js";

export type Stats = { p50: number; p95: number; p99: number };

export const stats = (times: number[]): Stats => {
  const s = [...times].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(s.length * q))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
};

/** `runs` timed calls of `fn`, one at a time, after `warmup` untimed ones, in milliseconds. */
export async function time(fn: () => Promise<unknown>, runs: number, warmup = 20): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return stats(times);
}

/** Peak resident memory of a live process (VmHWM), MiB; 0 once it has gone. */
export function peakRssMiB(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

/** Resident memory of a live process, MiB: its peak (VmHWM) and now (VmRSS). */
export function memoryMiB(pid: number | undefined): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peak: Math.round(kib("VmHWM") / 1024), now: Math.round(kib("VmRSS") / 1024) };
}

/** The analysts' operations through the gateway, as the benchmarks send them. */
export const OPERATIONS = {
  exact: {
    name: "exact handle search",
    query: `query Exact($q: String!) { search(query: $q, platform: SNAPCHAT) { hits { recordId org { code } access { level } } } }`,
    variables: { q: SHARED_HANDLE.KENT } as Record<string, unknown>,
  },
  fuzzy: {
    name: "fuzzy handle search, first 20",
    query: `query Fuzzy($q: String!) { search(query: $q, fuzzy: true, first: 20) { hits { recordId match score access { level } } pageInfo { hasNextPage } } }`,
    variables: { q: "dark angel 9" } as Record<string, unknown>,
  },
  across: {
    name: "identities across forces (first: 20)",
    query: `query Across { identities(first: 20) { nodes { id ... on OnlineIdentity { handle owner } } pageInfo { hasNextPage } } }`,
    variables: {} as Record<string, unknown>,
  },
  kent: {
    name: "KENT identities(first: 20)",
    query: `query KentIdentities { kent { identities(first: 20) { nodes { id handle } pageInfo { hasNextPage } } } }`,
    variables: {} as Record<string, unknown>,
  },
} as const;

/**
 * Waits until every record written to the given orgs' outboxes has been applied by the hub (the relay marks a row
 * published once the hub has it), so searches find the seeded records. Asks the databases, not the gateway, so the
 * gateway has served nothing before the benchmark's first request.
 */
export async function waitForIndex(stack: Stack, orgs: string[], timeoutMs = 120_000): Promise<void> {
  const clients = orgs.map((org) => new pg.Client({ connectionString: stack.databases[org]!.ownerUrl }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pending = await Promise.all(
        clients.map(async (c) => Number((await c.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)).rows[0].n)),
      );
      if (pending.every((n) => n === 0)) return;
      if (Date.now() > deadline) throw new Error(`the hub's index is still missing ${pending.reduce((a, b) => a + b, 0)} records after ${timeoutMs} ms`);
      await sleep(200);
    }
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}
