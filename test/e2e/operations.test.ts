/**
 * What an operator sees of the running federation, with real processes and real PostgreSQL:
 * - /health and /ready answer on the gateway, the hub and a force; KENT's /ready turns 503 while its
 *   database refuses connections and 200 again once it accepts them, the same process throughout;
 * - /metrics: the gateway's request-duration histogram by operation name and outcome, and a force's
 *   policy-decision counter, pool gauges, outbox gauges and audit-failure counter;
 * - one access-log line per request at the gateway (request id, caller, operation, status, outcome,
 *   duration), a client error's included, and never the searched handle or the variables;
 * - OpenTelemetry traces over OTLP/HTTP JSON: one search is one trace with spans from the gateway, the
 *   hub and KENT, each subgraph's server span a child of a span of that trace, and a client's own
 *   `traceparent` never continued by the gateway.
 */
import { createServer, type Server } from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, gql, sql, startTestStack, tokenFor, type TestStack } from "@interforce/testkit";
import { indexed, recordIdentity, type Seeded } from "../security/support.js";

let stack: TestStack;
let kent: Seeded;
/** The OTLP receiver of the traces test. */
let collector: Server | undefined;
const analyst = () => tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "SECRET", sub: "analyst@norfolk" });
const SEARCH = `query AnalystSearch($q: String!) { search(query: $q) { hits { org { code } identity { id ... on OnlineIdentity { handle } } } } }`;
type SearchData = { search: { hits: { org: { code: string }; identity: { id: string; handle: string } | null }[] } };

const at = (graphqlUrl: string, path: string) => new URL(path, graphqlUrl).toString();

async function getJson(url: string) {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as unknown };
}

/** The embedded cluster's superuser, on the port the stack's databases use. */
const superuser = () => `postgres://postgres:postgres@${new URL(stack.databases.KENT!.ownerUrl).host}/postgres`;

async function kentDatabase(accepting: boolean) {
  await sql(superuser(), `ALTER DATABASE interforce_kent ALLOW_CONNECTIONS ${accepting}`);
  if (!accepting)
    await sql(superuser(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'interforce_kent' AND pid <> pg_backend_pid()");
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text page. */
function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? "").matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

async function metrics(graphqlUrl: string) {
  const res = await fetch(at(graphqlUrl, "/metrics"));
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  return parseMetrics(await res.text());
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
const total = (samples: Sample[], name: string, labels: Record<string, string> = {}) => find(samples, name, labels).reduce((n, s) => n + s.value, 0);

/** The gateway's access-log lines of one request. */
const accessLines = (requestId: string) => stack.logsFor("gateway", requestId).filter((l) => l.msg === "access");

beforeAll(async () => {
  stack = await startTestStack();
  kent = await recordIdentity(stack, "KENT");
  await indexed(stack, [kent.id]);
});

afterAll(async () => {
  await kentDatabase(true).catch(() => undefined);
  await stack?.stop();
  collector?.closeAllConnections();
  await new Promise<void>((resolve) => (collector ? collector.close(() => resolve()) : resolve()));
});

describe("health and readiness", () => {
  it("answers /health and /ready on the gateway, the hub and a force", async () => {
    for (const url of [stack.gatewayUrl, stack.hubUrl, stack.forceUrls.KENT!]) {
      expect(await getJson(at(url, "/health"))).toEqual({ status: 200, body: { status: "ok" } });
    }
    expect(await getJson(at(stack.gatewayUrl, "/ready"))).toEqual({ status: 200, body: { status: "ready", checks: { supergraph: true, database: true } } });
    expect(await getJson(at(stack.hubUrl, "/ready"))).toEqual({ status: 200, body: { status: "ready", checks: { database: true, migrations: true } } });
    expect(await getJson(at(stack.forceUrls.KENT!, "/ready"))).toEqual({
      status: 200,
      body: { status: "ready", checks: { database: true, migrations: true, hub: true } },
    });
  });

  it("takes KENT out of readiness while its database is down and back once it is up, without a restart", async () => {
    const pid = stack.services.get("kent")!.process.pid;
    await kentDatabase(false);
    try {
      const down = await getJson(at(stack.forceUrls.KENT!, "/ready"));
      expect(down).toEqual({ status: 503, body: { status: "unready", checks: { database: false, migrations: false, hub: true } } });
      // Still alive: the process runs, only its dependency is missing.
      expect((await getJson(at(stack.forceUrls.KENT!, "/health"))).status).toBe(200);
    } finally {
      await kentDatabase(true);
    }
    await eventually(async () => (await getJson(at(stack.forceUrls.KENT!, "/ready"))).status === 200);
    expect(stack.services.get("kent")!.process.pid).toBe(pid);
  });
});

describe("metrics", () => {
  it("counts a named operation at the gateway by name and outcome, and a force's policy decisions, pools and outbox", async () => {
    const gatewayBefore = await metrics(stack.gatewayUrl);
    const kentBefore = await metrics(stack.forceUrls.KENT!);
    const ok = { operation: "AnalystSearch", outcome: "ok", service: "gateway" };
    const countBefore = total(gatewayBefore, "interforce_graphql_request_duration_seconds_count", ok);
    const decisionsBefore = total(kentBefore, "interforce_policy_decisions_total", { org: "NORFOLK" });

    const res = await gql<SearchData>(stack.gatewayUrl, SEARCH, { token: analyst(), variables: { q: kent.handle } });
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!.search.hits.map((h) => h.identity?.id)).toEqual([kent.id]);

    // Observed when the answer has been sent, so a moment after the client has read it.
    const gateway = await eventually(async () => {
      const page = await metrics(stack.gatewayUrl);
      return total(page, "interforce_graphql_request_duration_seconds_count", ok) === countBefore + 1 && page;
    });
    expect(find(gateway, "interforce_graphql_request_duration_seconds_bucket", { ...ok, le: "+Inf" })).toEqual([
      { name: "interforce_graphql_request_duration_seconds_bucket", labels: { ...ok, le: "+Inf" }, value: countBefore + 1 },
    ]);
    expect(total(gateway, "interforce_graphql_request_duration_seconds_sum", ok)).toBeGreaterThan(0);
    expect(find(gateway, "interforce_db_pool_connections", { database: "gateway" })).toHaveLength(1);

    const page = await metrics(stack.forceUrls.KENT!);
    const decisions = find(page, "interforce_policy_decisions_total", { org: "NORFOLK", service: "force-kent" });
    expect(decisions.length).toBeGreaterThan(0);
    for (const d of decisions) expect(["FULL", "POINTER", "NONE"]).toContain(d.labels.level);
    expect(total(page, "interforce_policy_decisions_total", { org: "NORFOLK" })).toBeGreaterThan(decisionsBefore);

    const [connections] = find(page, "interforce_db_pool_connections", { database: "KENT" });
    const [idle] = find(page, "interforce_db_pool_idle_connections", { database: "KENT" });
    const [waiting] = find(page, "interforce_db_pool_waiting_clients", { database: "KENT" });
    expect(connections!.value).toBeGreaterThanOrEqual(1);
    expect(idle!.value).toBeGreaterThanOrEqual(0);
    expect(idle!.value).toBeLessThanOrEqual(connections!.value);
    expect(waiting!.value).toBeGreaterThanOrEqual(0);

    // Read from the outbox table when scraped: KENT's write has been relayed, so nothing is waiting.
    const [unrelayed] = find(page, "interforce_outbox_unrelayed_events");
    const [oldest] = find(page, "interforce_outbox_oldest_unrelayed_age_seconds");
    const [pending] = await sql<{ n: number }>(stack.databases.KENT!.ownerUrl, "SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL");
    expect(unrelayed).toEqual({ name: "interforce_outbox_unrelayed_events", labels: { service: "force-kent" }, value: pending!.n });
    expect(Number.isFinite(oldest!.value)).toBe(true);
    expect(find(page, "interforce_audit_write_failures_total")).toEqual([
      { name: "interforce_audit_write_failures_total", labels: { service: "force-kent" }, value: 0 },
    ]);
  });
});

describe("the access log", () => {
  it("writes one line per request at the gateway, a client error's too, with no handle or variables in any line", async () => {
    const marker = `VARS-${randomUUID()}`;
    const res = await gql<SearchData>(stack.gatewayUrl, SEARCH, { token: analyst(), variables: { q: kent.handle, unused: marker } });
    expect(res.status).toBe(200);
    expect(res.data!.search.hits.map((h) => h.identity?.id)).toEqual([kent.id]);
    const lines = await eventually(async () => accessLines(res.requestId).length > 0 && accessLines(res.requestId));
    expect(lines).toEqual([
      {
        level: 30,
        time: expect.any(String),
        service: "gateway",
        requestId: res.requestId,
        sub: "analyst@norfolk",
        org: "NORFOLK",
        operation: "AnalystSearch",
        method: "POST",
        path: "/graphql",
        status: 200,
        outcome: "ok",
        durationMs: expect.any(Number),
        msg: "access",
      },
    ]);
    expect(lines[0]!.durationMs).toBeGreaterThan(0);

    // Malformed GraphQL, carrying the handle in its text and in its variables.
    const broken = await gql(stack.gatewayUrl, `query Broken { search(query: "${kent.handle}") { hits { org { code } }`, {
      token: analyst(),
      variables: { q: kent.handle, unused: marker },
    });
    expect(broken.status).toBe(400);
    expect(broken.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    const brokenLines = await eventually(async () => accessLines(broken.requestId).length > 0 && accessLines(broken.requestId));
    expect(brokenLines).toEqual([
      expect.objectContaining({
        requestId: broken.requestId,
        sub: "analyst@norfolk",
        org: "NORFOLK",
        operation: "unresolved",
        status: 400,
        outcome: "GRAPHQL_PARSE_FAILED",
        durationMs: expect.any(Number),
      }),
    ]);

    // No purpose: refused by the owner, and logged as such.
    const noPurpose = await gql<SearchData>(stack.gatewayUrl, SEARCH, { token: analyst(), purpose: null, variables: { q: kent.handle } });
    expect(noPurpose.errors?.map((e) => e.extensions?.code)).toContain("PURPOSE_REQUIRED");
    const noPurposeLines = await eventually(async () => accessLines(noPurpose.requestId).length > 0 && accessLines(noPurpose.requestId));
    expect(noPurposeLines).toEqual([
      expect.objectContaining({ requestId: noPurpose.requestId, operation: "AnalystSearch", status: noPurpose.status, outcome: "PURPOSE_REQUIRED" }),
    ]);

    // Every service's log, every line: the handle (searched, and recorded at KENT) and the variables never appear.
    for (const [name, svc] of stack.services) {
      expect(
        svc.lines.filter((l) => l.includes(kent.handle) || l.includes(marker)),
        name,
      ).toEqual([]);
    }
  });
});

interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  kind: number;
  name: string;
}

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;

/** A minimal OTLP/HTTP receiver: every POST body, with its path and content type. */
async function startCollector() {
  const posts: { path: string | undefined; contentType: string | undefined; body: string }[] = [];
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "POST") posts.push({ path: req.url, contentType: req.headers["content-type"], body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => collector!.listen(0, "127.0.0.1", resolve));
  const { port } = collector.address() as { port: number };
  return { endpoint: `http://127.0.0.1:${port}`, posts };
}

type AnyValue = { stringValue?: string };
type OtlpBody = {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: AnyValue }[] };
    scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; kind: number; name: string }[] }[];
  }[];
};

function spansOf(posts: { body: string }[]): CollectedSpan[] {
  return posts.flatMap((p) =>
    ((JSON.parse(p.body) as OtlpBody).resourceSpans ?? []).flatMap((rs) => {
      const service = rs.resource?.attributes?.find((a) => a.key === "service.name")?.value.stringValue ?? "";
      return (rs.scopeSpans ?? []).flatMap((ss) =>
        (ss.spans ?? []).map((s) => ({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, kind: s.kind, name: s.name })),
      );
    }),
  );
}

describe("traces", () => {
  it("makes one search one trace across the gateway, the hub and KENT, and never continues a client's trace", async () => {
    const { endpoint, posts } = await startCollector();
    const otel = { OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: "200" };
    await Promise.all(["hub", "kent", "gateway"].map((name) => stack.restart(name, otel)));

    const clientTrace = randomBytes(16).toString("hex");
    const res = await gql<SearchData>(stack.gatewayUrl, SEARCH, {
      token: analyst(),
      variables: { q: kent.handle },
      headers: { traceparent: `00-${clientTrace}-${randomBytes(8).toString("hex")}-01` },
    });
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!.search.hits.map((h) => h.identity?.id)).toEqual([kent.id]);

    const services = (spans: CollectedSpan[]) => new Set(spans.map((s) => s.service));
    // Each service exports its spans in batches as they end, the gateway's root last: wait until
    // the root is in, and every hub and KENT server span of its trace with the call that reached it.
    const spans = await eventually(async () => {
      const all = spansOf(posts);
      const root = all.find((s) => s.service === "gateway" && s.kind === SPAN_KIND_SERVER && !s.parentSpanId);
      const ids = new Set(all.map((s) => s.spanId));
      const servers = all.filter((s) => s.traceId === root?.traceId && s.kind === SPAN_KIND_SERVER && s.service !== "gateway");
      const whole = ["hub", "force-kent"].every((service) => servers.some((s) => s.service === service)) && servers.every((s) => ids.has(s.parentSpanId ?? ""));
      return root !== undefined && whole && all;
    }, 15_000);

    expect(posts.every((p) => p.path === "/v1/traces" && p.contentType?.startsWith("application/json"))).toBe(true);
    // Only the search was traced since the restart: one gateway root, so one trace.
    const roots = spans.filter((s) => s.service === "gateway" && s.kind === SPAN_KIND_SERVER && !s.parentSpanId);
    expect(roots).toHaveLength(1);
    const traceId = roots[0]!.traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe(clientTrace);
    expect(spans.filter((s) => s.traceId === clientTrace)).toEqual([]);

    const trace = spans.filter((s) => s.traceId === traceId);
    expect(services(trace)).toEqual(new Set(["gateway", "hub", "force-kent"]));
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    for (const service of ["hub", "force-kent"]) {
      const servers = trace.filter((s) => s.service === service && s.kind === SPAN_KIND_SERVER);
      expect(servers.length, service).toBeGreaterThan(0);
      for (const server of servers) {
        // Its parent is the call that reached it: a client span of the same trace, made by another service.
        const parent = byId.get(server.parentSpanId ?? "");
        expect(parent, `${service} server span's parent`).toBeDefined();
        expect(parent!.kind).toBe(SPAN_KIND_CLIENT);
        expect(parent!.service).not.toBe(service);
      }
    }
  });
});
