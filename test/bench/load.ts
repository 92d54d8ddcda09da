/**
 * A load generator for bench:scale, run as its own process so that the clients do not share an event loop with the
 * process that measures: `concurrency` clients each send one GraphQL operation after another for `seconds`, and the
 * totals are printed as one JSON line. Each client may send its own variables (`{i}` in a string variable is replaced
 * by a number unique to the request, for writes).
 *   node --import tsx test/bench/load.ts <spec.json>
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { deriveGatewaySecret, ensureServiceSecret, GATEWAY_SIGNATURE_HEADER, signGatewayRequest } from "@interforce/auth";

/** `asGateway`: call that subgraph directly, each request signed as the gateway signs it (INTERFORCE_HOME = the stack's). */
type Spec = { url: string; token: string; query: string; variables: Record<string, unknown>; concurrency: number; seconds: number; asGateway?: string };
const spec = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Spec;

let n = 0;
let errors = 0;
let firstError: string | null = null;
const times: number[] = [];
const fill = (v: unknown, i: number): unknown =>
  typeof v === "string"
    ? v.replaceAll("{i}", String(i))
    : Array.isArray(v)
      ? v.map((x) => fill(x, i))
      : v && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, i)]))
        : v;

// Derived once, as the gateway does: deriving it per request would load this process, not the subgraph.
const secret = spec.asGateway ? deriveGatewaySecret(ensureServiceSecret(), spec.asGateway) : "";
const path = new URL(spec.url).pathname;

const deadline = performance.now() + spec.seconds * 1000;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: spec.concurrency }, async () => {
    while (performance.now() < deadline) {
      const i = n++;
      const t = performance.now();
      const headers: Record<string, string> = { "content-type": "application/json", authorization: `Bearer ${spec.token}`, "x-purpose": "benchmark load" };
      const body = JSON.stringify({ query: spec.query, variables: fill(spec.variables, i) });
      if (spec.asGateway) {
        headers["x-request-id"] = randomUUID();
        headers[GATEWAY_SIGNATURE_HEADER] = signGatewayRequest({ secret, subgraph: spec.asGateway, request: { method: "POST", path, headers, body } });
      }
      const res = await fetch(spec.url, { method: "POST", headers, body });
      const answer = (await res.json()) as { errors?: unknown[] };
      times.push(performance.now() - t);
      if (res.status !== 200 || answer.errors) {
        errors++;
        firstError ??= JSON.stringify(answer.errors ?? res.status).slice(0, 300);
      }
    }
  }),
);
const elapsed = (performance.now() - t0) / 1000;
times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    requests: times.length,
    errors,
    firstError,
    perSecond: times.length / elapsed,
    p50: times[Math.floor(times.length / 2)] ?? 0,
    p95: times[Math.floor(times.length * 0.95)] ?? 0,
  }),
);
