/**
 * Query limits at the gateway (depth, cost, aliases, directives, tokens, batching, body
 * size, `first`, per-principal rate), time budgets, and what production mode hides. Every
 * refused operation must reach no subgraph, write nothing and disclose nothing.
 */
import { randomUUID } from "node:crypto";
import type { GraphQLEnumType } from "graphql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, gql, identityInput, markings, RECORD_IDENTITY, sql, startTestStack, tokenFor, type GqlResult, type TestStack } from "@interforce/testkit";
import { apiSchema, defaultsFor, operationFor, pagedSlots, type StringSlot } from "./schema-walk.js";
import { auditFor, codes, expectNoDisclosure, expectNothingWritten, indexed, linkIdentities, recordIdentity, type Seeded } from "./support.js";

let stack: TestStack;
let a: Seeded;
let b: Seeded;
let c: Seeded;
let hidden: Seeded;
let forumId: string;
let linkId: string;
let agreementId: string;
const kentWriter = () => tokenFor({ org: "KENT", roles: ["OFFICER", "FORCE_ADMIN"], clearance: "SECRET", covert: true, sub: "writer@kent" });
const kentAnalyst = () => tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "SECRET", sub: "analyst@kent" });
const kentOfficer = () => tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "SECRET", sub: "officer@kent" });

beforeAll(async () => {
  stack = await startTestStack();
  a = await recordIdentity(stack, "KENT");
  b = await recordIdentity(stack, "NORFOLK");
  c = await recordIdentity(stack, "ESSEX");
  hidden = await recordIdentity(stack, "KENT", { covert: true, classification: "SECRET" });
  linkId = (await linkIdentities(stack, "KENT", a.id, b.id)).id;
  await linkIdentities(stack, "NORFOLK", b.id, c.id);
  const forum = await gql<{ kent: { recordForum: { id: string } } }>(
    stack.gatewayUrl,
    `mutation($input: RecordForumInput!) { kent { recordForum(input: $input) { id } } }`,
    {
      token: kentWriter(),
      variables: { input: { platform: "DISCORD", name: "limits forum", kind: "FORUM", markings: markings() } },
    },
  );
  expect(forum.errors, forum.raw).toBeUndefined();
  forumId = forum.data!.kent.recordForum.id;
  const agreements = await gql<{ agreements: { nodes: { id: string }[] } }>(stack.gatewayUrl, `{ agreements { nodes { id } } }`, {
    token: tokenFor({ org: "CEOP", roles: ["POLICY_ADMIN"] }),
  });
  agreementId = agreements.data!.agreements.nodes[0]!.id;
  await indexed(stack, [a.id, b.id, c.id, hidden.id]);
});

afterAll(async () => {
  await stack?.stop();
});

/** The subgraphs saw nothing of this request: no log line and no audit event carries its id. */
async function expectNoSubgraphCalled(res: GqlResult): Promise<void> {
  await new Promise((r) => setTimeout(r, 200));
  for (const svc of ["hub", "kent", "norfolk", "essex", "ceop"]) expect(stack.logsFor(svc, res.requestId), svc).toEqual([]);
  for (const db of ["KENT", "NORFOLK", "ESSEX", "CEOP", "HUB"]) expect(await auditFor(stack.databases[db]!.ownerUrl, res.requestId)).toEqual([]);
}

function expectRefused(res: GqlResult, message: RegExp): void {
  expect(res.status).toBe(400);
  expect(res.data ?? null).toBeNull();
  expect(
    codes(res).every((code) => ["GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT", "GRAPHQL_PARSE_FAILED", "BAD_REQUEST"].includes(code)),
    res.raw,
  ).toBe(true);
  expect(res.errors?.map((e) => e.message).join("\n")).toMatch(message);
  expectNoDisclosure(res, [a.handle, b.handle, c.handle, hidden.handle]);
}

/** Identity → links → far end → identity, `hops` times: the federation's cycle. */
const hopsFrom = (hops: number, leaf = "id handle"): string =>
  hops === 0 ? leaf : `id handle links(first: 5) { nodes { toIdentity { identity { ... on OnlineIdentity { ${hopsFrom(hops - 1, leaf)} } } } } }`;

/** Identities × their links × the far ends' links, each list `n` long: 100 of each is far over the cost budget. */
const linksOfLinks = (n: string) =>
  `kent { identities(first: ${n}) { nodes { links(first: ${n}) { nodes { toIdentity { identity { ... on OnlineIdentity { links(first: ${n}) { nodes { id } } } } } } } } } }`;

describe("limits on the operation itself", () => {
  it("answers a two-hop link graph around a search hit, the deepest shape analysts need", async () => {
    const res = await gql<{ search: { hits: unknown[] } }>(
      stack.gatewayUrl,
      `query($s: String!) { search(query: $s, platform: SNAPCHAT) { hits { identity { ... on OnlineIdentity { ${hopsFrom(2)} } } } } }`,
      { token: kentAnalyst(), variables: { s: a.handle } },
    );
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.raw).toContain(c.handle);
  });

  it("refuses a deep cyclic query before planning it, and calls no subgraph", async () => {
    const res = await gql(stack.gatewayUrl, `query($id: ID!) { identity(id: $id) { ... on OnlineIdentity { ${hopsFrom(12)} } } }`, {
      token: kentAnalyst(),
      variables: { id: a.id },
    });
    expectRefused(res, /depth limit of 12 exceeded/);
    await expectNoSubgraphCalled(res);
  });

  it("refuses the same cycle spelt with named fragments", async () => {
    const frags = Array.from({ length: 10 }, (_, i) =>
      i === 9
        ? `fragment F9 on OnlineIdentity { id handle }`
        : `fragment F${i} on OnlineIdentity { id links(first: 5) { nodes { toIdentity { identity { ...F${i + 1} } } } } }`,
    ).join("\n");
    const res = await gql(stack.gatewayUrl, `query($id: ID!) { identity(id: $id) { ...F0 } }\n${frags}`, { token: kentAnalyst(), variables: { id: a.id } });
    expectRefused(res, /depth limit/);
    await expectNoSubgraphCalled(res);
  });

  it("refuses a query over the cost budget (100 identities × 100 links each)", async () => {
    const res = await gql(
      stack.gatewayUrl,
      `{ kent { identities(first: 100) { nodes { id links(first: 100) { nodes { id rationale from { identity { id } } toIdentity { identity { id } } } } } } } }`,
      {
        token: kentAnalyst(),
      },
    );
    expectRefused(res, /Cost limit of 20000 exceeded/);
    await expectNoSubgraphCalled(res);
  });

  it("refuses the same cost with the list sizes given by a variable", async () => {
    const query = `query($n: Int!) { ${linksOfLinks("$n")} }`;
    const res = await gql(stack.gatewayUrl, query, { token: kentAnalyst(), variables: { n: 100 } });
    expectRefused(res, /Cost limit of 20000 exceeded/);
    await expectNoSubgraphCalled(res);
    // The same operation with small lists is answered.
    const small = await gql(stack.gatewayUrl, query, { token: kentAnalyst(), variables: { n: 3 } });
    expect(small.errors, small.raw).toBeUndefined();
  });

  it("refuses the same cost with the list sizes left to the schema's defaults", async () => {
    // Every list takes its default of 20: 20 identities × 20 links × 20 links of the far end.
    const res = await gql(
      stack.gatewayUrl,
      `{ kent { identities { nodes { id handle links { nodes { id toIdentity { identity { ... on OnlineIdentity { id handle links { nodes { id toIdentity { identity { ... on OnlineIdentity { id } } } } } } } } } } } } } }`,
      { token: kentAnalyst() },
    );
    expectRefused(res, /Cost limit of 20000 exceeded/);
    await expectNoSubgraphCalled(res);
  });

  it("refuses 500 aliased copies of a field", async () => {
    for (const field of ["__typename", "orgs { code }", `kent { identity(id: "${hidden.id}") { handle } }`]) {
      const query = `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: ${field}`).join(" ")} }`;
      const res = await gql(stack.gatewayUrl, query, { token: kentAnalyst() });
      expectRefused(res, /Aliases limit of 150 exceeded|Token limit|Cost limit/);
      await expectNoSubgraphCalled(res);
    }
  });

  it("refuses an operation carrying 50 directives", async () => {
    const res = await gql(stack.gatewayUrl, `{ orgs { ${"code @include(if: true) ".repeat(50)} } }`, { token: kentAnalyst() });
    expectRefused(res, /Directives limit of 20 exceeded/);
    await expectNoSubgraphCalled(res);
  });

  it("refuses a document of more than 10 000 tokens before validating it", async () => {
    const res = await gql(stack.gatewayUrl, `{ orgs { ${"code ".repeat(10_001)} } }`, { token: kentAnalyst() });
    // graphql-js's message reads "more that 10000 tokens".
    expectRefused(res, /Document contains more th[ae]t? ?n? ?10000 tokens|Document contains more/);
    await expectNoSubgraphCalled(res);
  });

  it("refuses a JSON array batch of 100 operations (and of 2), executing none of them", async () => {
    for (const n of [100, 2]) {
      const handles = Array.from({ length: n }, (_, i) => `batched_${i}_${Math.random().toString(36).slice(2, 8)}`);
      const body = JSON.stringify(handles.map((handle) => ({ query: RECORD_IDENTITY("kent"), variables: { input: identityInput({ handle }) } })));
      const res = await expectNothingWritten(stack, () => gql(stack.gatewayUrl, "", { token: kentOfficer(), rawBody: body }), { audit: true });
      expect(res.status).toBe(400);
      expect(res.raw).toMatch(/batching/i);
      expect(await sql(stack.databases.KENT!.ownerUrl, "SELECT 1 FROM online_identity WHERE handle = ANY($1)", [handles])).toEqual([]);
    }
  });

  it("refuses a request body over 256 KiB with 413, unread and unexecuted", async () => {
    const handle = `big_${Math.random().toString(36).slice(2, 8)}`;
    const res = await expectNothingWritten(
      stack,
      () =>
        gql(stack.gatewayUrl, RECORD_IDENTITY("kent"), {
          token: kentOfficer(),
          variables: { input: identityInput({ handle, notes: "x".repeat(300 * 1024) }) },
        }),
      { audit: true },
    );
    expect(res.status).toBe(413);
    expect(codes(res)).toEqual(["BAD_REQUEST"]);
  });
});

describe("first is capped on every list", () => {
  const schema = apiSchema();
  // Forces share one template: KENT's namespace and types stand for all of them.
  const slots = pagedSlots(schema).filter(
    (s) => !/^(Norfolk|Essex|Ceop)/.test(s.key) && !s.reach.path.some((p) => /^(norfolk|essex|ceop)$/.test(p.field.name)),
  );
  const tokenOf = (slot: StringSlot) => {
    const top = slot.reach.path[0]!.field.name;
    if (/^agreements?$/.test(top)) return tokenFor({ org: "CEOP", roles: ["POLICY_ADMIN"], clearance: "SECRET" });
    if (top === "monitoringOverview") return tokenFor({ org: "CEOP", roles: ["ANALYST", "FORCE_ADMIN"], clearance: "SECRET" });
    // The desk's own list: authorised first, so only the desk (with the covert claim) reaches the cap.
    if (top === "deconflictionDeskAlerts") return tokenFor({ org: "CEOP", roles: ["ANALYST", "FORCE_ADMIN"], clearance: "SECRET", covert: true });
    return kentWriter();
  };
  const operationOf = (slot: StringSlot) =>
    operationFor(slot, defaultsFor({ identity: a.id, otherIdentity: b.id, forum: forumId, link: linkId, agreement: agreementId }, randomUUID)).query;

  it("finds the lists to check", () => {
    const keys = slots.map((s) => s.key);
    for (const k of ["KentQuery.identities", "KentOnlineIdentity.links", "Query.search", "Agreement.history", "KentQuery.auditTrail"])
      expect(keys).toContain(k);
  });

  it.each(slots.map((s) => [s.key, s] as const))("refuses first: 99999999 (and 101, 0, -1) on %s, reading and disclosing nothing", async (_key, slot) => {
    const query = operationOf(slot);
    for (const n of [99999999, 101, 0, -1]) {
      // As a variable the resolver's own cap must answer (the cost limit counts a first past 100 as 100).
      const res = await gql(stack.gatewayUrl, query, { token: tokenOf(slot), variables: { v: n } });
      expect(codes(res), `${query} with ${n}: ${res.raw.slice(0, 300)}`).toContain("BAD_USER_INPUT");
      expect(res.raw).toMatch(/first/);
      expectNoDisclosure(res, [hidden.handle, hidden.notes]);
      // A list asked for directly reads (and audits) nothing; a nested one may follow a legitimate outer read.
      if (slot.reach.path.length <= 2) {
        for (const db of ["KENT", "HUB"]) expect(await auditFor(stack.databases[db]!.ownerUrl, res.requestId), db).toEqual([]);
      }
    }
    const literal = await gql(stack.gatewayUrl, query.replace(/^query\(\$v: Int!?\) /, "query ").replace("first: $v", "first: 99999999"), {
      token: tokenOf(slot),
    });
    expect(literal.status === 400 || codes(literal).includes("BAD_USER_INPUT"), literal.raw.slice(0, 300)).toBe(true);
    expectNoDisclosure(literal, [hidden.handle]);
    const overflow = await gql(stack.gatewayUrl, query, { token: tokenOf(slot), variables: { v: 2 ** 31 } });
    expect(codes(overflow)).toEqual(["BAD_USER_INPUT"]);
  });

  it("accepts first: 100", async () => {
    const res = await gql(stack.gatewayUrl, `{ kent { identities(first: 100) { nodes { id } } } }`, { token: kentAnalyst() });
    expect(res.errors).toBeUndefined();
  });
});

describe("time budgets", () => {
  /** Holds an exclusive lock on an org's identities until released, so any read of them waits. */
  async function lockIdentities(org: string): Promise<() => Promise<void>> {
    const client = new pg.Client({ connectionString: stack.databases[org]!.ownerUrl });
    await client.connect();
    await client.query("BEGIN");
    await client.query("LOCK TABLE online_identity IN ACCESS EXCLUSIVE MODE");
    return async () => {
      await client.query("ROLLBACK");
      await client.end();
    };
  }

  it("ends a read the database cannot answer in time with INTERNAL, no SQL, nothing disclosed", { timeout: 120_000 }, async () => {
    await stack.restart("kent", { STATEMENT_TIMEOUT_MS: "800" });
    const release = await lockIdentities("KENT");
    try {
      const started = Date.now();
      const res = await gql(stack.gatewayUrl, `{ kent { identities(first: 5) { nodes { id handle notes } } } }`, { token: kentAnalyst() });
      // Without the 800 ms statement timeout the read would wait on the lock for the stack's 30 s one.
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(codes(res)).toContain("INTERNAL");
      expect(res.errors!.map((e) => e.message)).toContain("Internal error");
      expectNoDisclosure(res, [a.handle, a.notes, "statement timeout", "canceling statement", "online_identity"]);
      // The cause stays in the subgraph's log, under the request id (read from its stdout, which may arrive after the answer).
      const logged = await eventually(async () => {
        const lines = stack
          .logsFor("kent", res.requestId)
          .map((l) => JSON.stringify(l))
          .join("\n");
        return /statement timeout/.test(lines) ? lines : undefined;
      }, 10_000).catch(() =>
        stack
          .logsFor("kent", res.requestId)
          .map((l) => JSON.stringify(l))
          .join("\n"),
      );
      expect(logged).toMatch(/statement timeout/);
    } finally {
      await release();
    }
  });

  it("refuses the fields an operation has not started once its resolver budget is spent", { timeout: 120_000 }, async () => {
    await stack.restart("kent", { RESOLVER_BUDGET_MS: "500" });
    const release = await lockIdentities("KENT");
    // The list waits on the lock past the budget; once it returns, nothing below it may run.
    setTimeout(() => void release(), 1500);
    const res = await gql(stack.gatewayUrl, `{ kent { identities(first: 5) { nodes { id handle notes links { nodes { id } } } } } }`, { token: kentAnalyst() });
    expect(codes(res)).toContain("INTERNAL");
    expectNoDisclosure(res, [a.handle, a.notes, hidden.handle]);
    const logged = stack.logsFor("kent", res.requestId).map((l) => String(l.msg));
    expect(logged).toContain("resolver time budget spent; remaining fields refused");
    await stack.restart("kent");
  });

  it("answers 503 TIMEOUT when a request outlives the gateway's budget", { timeout: 120_000 }, async () => {
    // NORFOLK keeps the test stacks' long statement timeout, well beyond the gateway's budget here.
    await stack.restart("gateway", { REQUEST_TIMEOUT_MS: "1500" });
    const release = await lockIdentities("NORFOLK");
    try {
      const started = Date.now();
      const res = await gql(stack.gatewayUrl, `{ norfolk { identities(first: 5) { nodes { id handle } } } }`, { token: kentAnalyst() });
      // Without the 1.5 s budget the answer would wait for NORFOLK's 30 s statement timeout.
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(res.status).toBe(503);
      expect(codes(res)).toEqual(["TIMEOUT"]);
      expectNoDisclosure(res, [b.handle]);
    } finally {
      await release();
    }
  });
});

describe("production mode", () => {
  beforeAll(async () => {
    // Introspection is on in development, so the refusals below are production's doing.
    const dev = await gql(stack.gatewayUrl, `{ __schema { queryType { name } } }`, { token: kentAnalyst() });
    expect(dev.errors).toBeUndefined();
    const devSuggestion = await gql(stack.gatewayUrl, `{ kent { identities { nodes { handel } } } }`, { token: kentAnalyst() });
    expect(devSuggestion.raw).toMatch(/Did you mean/);
    await stack.restart("gateway", { INTERFORCE_MODE: "production" });
  });

  it("refuses __schema and __type introspection", async () => {
    for (const query of [`{ __schema { types { name fields { name } } } }`, `{ __type(name: "KentOnlineIdentity") { name fields { name } } }`]) {
      const res = await gql(stack.gatewayUrl, query, { token: kentAnalyst() });
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
      expect(res.raw).toMatch(/introspection/i);
      expect(res.raw).not.toMatch(/KentOnlineIdentity"|"covert"|"handle"|reviewDue|IntelligenceRecord/);
    }
  });

  it("suggests no field, argument or enum value for a misspelling", async () => {
    for (const query of [
      `{ kent { identities { nodes { handel } } } }`,
      `{ kent { identities(frist: 5) { nodes { id } } } }`,
      `{ search(query: "x", platform: SNAPCHT) { hits { recordId } } }`,
      `{ kennt { identities { nodes { id } } } }`,
    ]) {
      const res = await gql(stack.gatewayUrl, query, { token: kentAnalyst() });
      expect(res.status).toBe(400);
      expect(res.data ?? null).toBeNull();
      expect(res.raw).not.toMatch(/Did you mean|"handle"|"first"|SNAPCHAT|"kent"/);
    }
  });

  it("suggests no enum value for a misspelt value in a variable or an invalid literal", async () => {
    const platforms = (apiSchema().getType("Platform") as GraphQLEnumType).getValues().map((v) => v.name);
    expect(platforms).toContain("SNAPCHAT");
    const cases: { query: string; variables?: Record<string, unknown>; token?: string; code: string; says: RegExp }[] = [
      {
        query: `query($p: Platform) { search(query: "x", platform: $p) { hits { recordId } } }`,
        variables: { p: "SNAPCHT" },
        code: "BAD_USER_INPUT",
        says: /"SNAPCHT" does not exist in "Platform" enum/,
      },
      {
        query: `query($p: Platform) { search(query: "x", platform: $p) { hits { recordId } } }`,
        variables: { p: "snapchat" },
        code: "BAD_USER_INPUT",
        says: /"snapchat" does not exist in "Platform" enum/,
      },
      {
        query: `mutation($input: RecordForumInput!) { kent { recordForum(input: $input) { id } } }`,
        variables: { input: { platform: "DISCRD", name: "no forum", kind: "FORUM", markings: markings() } },
        token: kentWriter(),
        code: "BAD_USER_INPUT",
        says: /"DISCRD" does not exist in "Platform" enum/,
      },
      {
        query: `{ search(query: "x", platform: snapchat) { hits { recordId } } }`,
        code: "GRAPHQL_VALIDATION_FAILED",
        says: /"snapchat" does not exist in "Platform" enum/,
      },
      {
        query: `query($p: Platform = SNAPCHT) { search(query: "x", platform: $p) { hits { recordId } } }`,
        code: "GRAPHQL_VALIDATION_FAILED",
        says: /"SNAPCHT" does not exist in "Platform" enum/,
      },
    ];
    for (const { query, variables, token, code, says } of cases) {
      const res = await gql(stack.gatewayUrl, query, { token: token ?? kentAnalyst(), variables });
      expect(res.status, res.raw).toBe(400);
      expect(res.data ?? null).toBeNull();
      expect(codes(res), res.raw).toEqual([code]);
      expect(res.errors!.map((e) => e.message).join("\n")).toMatch(says);
      expect(res.raw).not.toMatch(/Did you mean/);
      for (const name of platforms) expect(res.raw, name).not.toMatch(new RegExp(`\\b${name}\\b`));
    }
  });

  it("refuses an operation over the cost budget, its list sizes in variables", async () => {
    const res = await gql(stack.gatewayUrl, `query($n: Int!) { ${linksOfLinks("$n")} }`, { token: kentAnalyst(), variables: { n: 100 } });
    expectRefused(res, /Cost limit of 20000 exceeded/);
    await expectNoSubgraphCalled(res);
  });

  it("serves no landing page, and puts security headers on every answer", async () => {
    // A browser at / is sent to the console; at /graphql it gets no IDE in production.
    const root = await fetch(stack.gatewayUrl.replace("/graphql", "/"), { headers: { accept: "text/html" }, redirect: "manual" });
    expect([root.status, root.headers.get("location")]).toEqual([302, "/console/"]);
    const page = await fetch(stack.gatewayUrl, { headers: { accept: "text/html" }, redirect: "manual" });
    const html = await page.text();
    expect(html).not.toMatch(/<html|<script/i);
    const ok = await fetch(stack.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${kentAnalyst()}`, "x-purpose": "op" },
      body: JSON.stringify({ query: "{ orgs { code } }" }),
    });
    const refused = await fetch(stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const tooBig = await fetch(stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json" }, body: "x".repeat(300 * 1024) });
    expect([ok.status, refused.status, tooBig.status]).toEqual([200, 401, 413]);
    for (const res of [root, page, ok, refused, tooBig]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    }
  });

  it("blocks cross-site requests (CSRF prevention): a simple POST or GET executes nothing", async () => {
    const handle = `csrf_${Math.random().toString(36).slice(2, 8)}`;
    await expectNothingWritten(stack, async () => {
      const form = await fetch(stack.gatewayUrl, {
        method: "POST",
        headers: { "content-type": "text/plain", authorization: `Bearer ${kentOfficer()}`, "x-purpose": "op" },
        body: JSON.stringify({ query: RECORD_IDENTITY("kent"), variables: { input: identityInput({ handle }) } }),
      });
      expect(form.status).toBe(400);
      const get = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent(`{ kent { identities { nodes { handle } } } }`)}`, {
        headers: { authorization: `Bearer ${kentAnalyst()}`, "x-purpose": "op" },
      });
      expect(get.status).toBe(400);
      expect(await get.text()).not.toContain(a.handle);
    });
  });
});

describe("per-principal rate limit", () => {
  beforeAll(async () => {
    await stack.restart("gateway", { RATE_LIMIT_PER_MINUTE: "5", UNAUTHENTICATED_PER_MINUTE: "3" });
    // The counters are shared by every gateway replica and outlive a restart: the calls of the tests above count
    // against the new limits too. These tests start from none.
    await sql(stack.databases.GATEWAY!.ownerUrl, "DELETE FROM shared_rate_limit");
  });

  it("answers 429 RATE_LIMITED past the limit, executes nothing, and leaves other principals alone", async () => {
    const token = tokenFor({ org: "KENT", roles: ["OFFICER"], sub: "busy@kent" });
    for (let i = 0; i < 5; i++) expect((await gql(stack.gatewayUrl, `{ orgs { code } }`, { token })).status).toBe(200);
    const handle = `limited_${Math.random().toString(36).slice(2, 8)}`;
    const res = await expectNothingWritten(
      stack,
      () => gql(stack.gatewayUrl, RECORD_IDENTITY("kent"), { token, variables: { input: identityInput({ handle }) } }),
      { audit: true },
    );
    expect(res.status).toBe(429);
    expect(codes(res)).toEqual(["RATE_LIMITED"]);
    const again = await fetch(stack.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ orgs { code } }" }),
    });
    expect(Number(again.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another user of the same force is unaffected.
    expect((await gql(stack.gatewayUrl, `{ orgs { code } }`, { token: tokenFor({ org: "KENT", roles: ["OFFICER"], sub: "calm@kent" }) })).status).toBe(200);
  });

  it("limits calls without a valid token per client address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await gql(stack.gatewayUrl, `{ orgs { code } }`, { token: "not.a.jwt" })).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });
});
