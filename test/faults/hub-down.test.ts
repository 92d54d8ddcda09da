/**
 * The hub down, with real processes: a force keeps accepting writes to its own records, each
 * event queued in its outbox; every field the hub serves answers UNAVAILABLE naming the hub,
 * at its path; the force stays ready and says the hub is unreachable. When the hub is back
 * the outboxes drain by themselves and everything written meanwhile is found.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, gql, sql, startTestStack, tokenFor, type TestStack } from "@interforce/testkit";
import { indexed, outboxDrained, recordIdentity, type Seeded } from "../security/support.js";

let stack: TestStack;
const kentAnalyst = () => tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "SECRET", sub: "analyst@kent" });
const SEARCH = `query($q: String!) { search(query: $q) { hits { recordId org { code } } } }`;
const KENT_LIST = `{ kent { identities(first: 50) { nodes { id } } } }`;
const HUB_ERROR = (path: string[]) => ({ message: "hub is unavailable: it did not answer", path, extensions: { code: "UNAVAILABLE", service: "hub" } });
const pending = async () =>
  Number((await sql<{ n: string }>(stack.databases.KENT!.ownerUrl, "SELECT count(*)::text AS n FROM outbox WHERE published_at IS NULL"))[0]!.n);
const ready = async (url: string) => {
  const res = await fetch(new URL("/ready", url));
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, unknown> } };
};

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe("the hub down", () => {
  const written: Seeded[] = [];

  it("leaves a force accepting writes, queued in its outbox, and ready", async () => {
    await outboxDrained(stack);
    await stack.kill("hub");
    for (let i = 0; i < 5; i++) written.push(await recordIdentity(stack, "KENT"));
    expect(await pending()).toBeGreaterThanOrEqual(5);
    // Its own records still answer.
    const list = await gql<{ kent: { identities: { nodes: { id: string }[] } } }>(stack.gatewayUrl, KENT_LIST, { token: kentAnalyst() });
    expect(list.errors).toBeUndefined();
    expect(list.data!.kent.identities.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(written.map((w) => w.id)));
    // Ready (its database is), and it says what it cannot reach.
    const kent = await eventually(async () => {
      const r = await ready(stack.forceUrls.KENT!);
      return r.body.checks.hub === false ? r : undefined;
    }, 15_000);
    expect(kent.status).toBe(200);
    expect(kent.body).toEqual({ status: "ready", checks: { database: true, migrations: true, hub: false } });
  });

  it("answers every hub-served field UNAVAILABLE naming the hub, at its path, the rest of the operation still served", async () => {
    const search = await gql(stack.gatewayUrl, SEARCH, { token: kentAnalyst(), variables: { q: written[0]!.handle } });
    expect(search.status).toBe(200);
    expect(search.errors).toEqual([HUB_ERROR(["search"])]);
    expect(search.raw).not.toMatch(/ECONNREFUSED|fetch failed|127\.0\.0\.1|INTERNAL/);

    // Non-null hub fields take the whole answer with them, as the schema says; a nullable one leaves the rest served.
    const orgs = await gql(stack.gatewayUrl, `{ orgs { code } }`, { token: kentAnalyst() });
    expect(orgs.data).toBeNull();
    expect(orgs.errors).toEqual([HUB_ERROR(["orgs"])]);
    const mixed = await gql<{ identity: unknown; kent: { identities: { nodes: { id: string }[] } } }>(
      stack.gatewayUrl,
      `query($id: ID!) { identity(id: $id) { id } ${KENT_LIST.slice(1, -1)} }`,
      { token: kentAnalyst(), variables: { id: written[0]!.id } },
    );
    expect(mixed.errors).toEqual([HUB_ERROR(["identity"])]);
    expect(mixed.data!.identity).toBeNull();
    expect(mixed.data!.kent.identities.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(written.map((w) => w.id)));
  });

  it("drains every outbox once the hub is back, and what was written meanwhile is found", async () => {
    await stack.restart("hub");
    await outboxDrained(stack);
    await indexed(
      stack,
      written.map((w) => w.id),
    );
    for (const w of written) {
      const res = await gql<{ search: { hits: { recordId: string; org: { code: string } }[] } }>(stack.gatewayUrl, SEARCH, {
        token: kentAnalyst(),
        variables: { q: w.handle },
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.search.hits).toEqual([{ recordId: w.id, org: { code: "KENT" } }]);
    }
    const kent = await eventually(async () => {
      const r = await ready(stack.forceUrls.KENT!);
      return r.body.checks.hub === true ? r : undefined;
    }, 15_000);
    expect(kent.status).toBe(200);
  });
});
