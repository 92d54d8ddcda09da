/**
 * A force that does not answer, down or frozen, with real processes: the other forces' data still comes back, and the
 * fields the force owns answer UNAVAILABLE naming it, at their path, within the subgraph timeout; once it is back the
 * federation is whole again without restarting anything else.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, startTestStack, tokenFor, type GqlResult, type TestStack } from "@interforce/testkit";
import { indexed, recordIdentity, type Seeded } from "../security/support.js";

let stack: TestStack;
let kent: Seeded;
let norfolk: Seeded;
const TIMEOUT_MS = 1500;
const analyst = () => tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "SECRET", sub: "analyst@norfolk" });
const SEARCH = `query($q: String!) { search(query: $q) { hits { recordId org { code } identity { id ... on OnlineIdentity { handle } } } } }`;
const KENT_LIST = `{ kent { identities(first: 5) { nodes { id } } } }`;

type Hit = { recordId: string; org: { code: string }; identity: { id: string; handle: string } | null };

beforeAll(async () => {
  stack = await startTestStack();
  kent = await recordIdentity(stack, "KENT");
  const res = await gql(stack.gatewayUrl, `query { orgs { code } }`, { token: analyst() });
  expect(res.status).toBe(200);
  // The same handle at NORFOLK, so one search has hits at both forces.
  norfolk = await recordIdentity(stack, "NORFOLK", {}, { handle: kent.handle });
  await indexed(stack, [kent.id, norfolk.id]);
  // A short subgraph timeout, so a frozen force is given up on quickly.
  await stack.restart("gateway", { SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS) });
});

afterAll(async () => {
  await stack?.stop();
});

async function searchBoth() {
  const started = performance.now();
  const res = await gql<{ search: { hits: Hit[] } }>(stack.gatewayUrl, SEARCH, { token: analyst(), variables: { q: kent.handle } });
  return { res, ms: performance.now() - started };
}

function expectKentUnavailable(res: GqlResult<{ search: { hits: Hit[] } }>) {
  const hits = res.data!.search.hits;
  const byOrg = Object.fromEntries(hits.map((h, i) => [h.org.code, { hit: h, i }]));
  expect(byOrg.NORFOLK!.hit.identity).toEqual({ id: norfolk.id, handle: kent.handle });
  expect(byOrg.KENT!.hit.identity).toBeNull();
  expect(res.errors).toEqual([
    {
      message: "KENT is unavailable: it did not answer",
      path: ["search", "hits", byOrg.KENT!.i, "identity"],
      extensions: { code: "UNAVAILABLE", service: "KENT" },
    },
  ]);
}

describe("a force that is down", () => {
  it("answers the other forces' data, and UNAVAILABLE naming KENT at the path of its fields", async () => {
    const before = await searchBoth();
    expect(before.res.errors).toBeUndefined();
    expect(before.res.data!.search.hits.map((h) => h.identity?.id).sort()).toEqual([kent.id, norfolk.id].sort());

    await stack.kill("kent");
    const { res, ms } = await searchBoth();
    expect(res.status).toBe(200);
    expectKentUnavailable(res);
    expect(ms).toBeLessThan(TIMEOUT_MS);

    // The force's own namespace (non-null in the schema, so the whole answer is null) says why, not INTERNAL.
    const lists = await gql<{ kent: unknown }>(stack.gatewayUrl, KENT_LIST, {
      token: tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "SECRET", sub: "analyst@kent" }),
    });
    expect(lists.data).toBeNull();
    expect(lists.errors).toEqual([{ message: "KENT is unavailable: it did not answer", path: ["kent"], extensions: { code: "UNAVAILABLE", service: "KENT" } }]);
    expect(lists.raw).not.toMatch(/ECONNREFUSED|fetch failed|127\.0\.0\.1|stack|INTERNAL/);
  });

  it("is whole again once the force is back, nothing else restarted", async () => {
    const gateway = stack.services.get("gateway")!.process.pid;
    await stack.restart("kent");
    const { res } = await searchBoth();
    expect(res.errors).toBeUndefined();
    expect(res.data!.search.hits.map((h) => h.identity?.id).sort()).toEqual([kent.id, norfolk.id].sort());
    expect(stack.services.get("gateway")!.process.pid).toBe(gateway);
  });
});

describe("a force that is frozen", () => {
  it("is given up on after the subgraph timeout and answered as UNAVAILABLE, then answers again once it thaws", async () => {
    const pid = stack.services.get("kent")!.process.pid!;
    process.kill(pid, "SIGSTOP");
    try {
      const { res, ms } = await searchBoth();
      expectKentUnavailable(res);
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(ms).toBeLessThan(TIMEOUT_MS + 3000);
    } finally {
      process.kill(pid, "SIGCONT");
    }
    const { res } = await searchBoth();
    expect(res.errors).toBeUndefined();
    expect(res.data!.search.hits.every((h) => h.identity !== null)).toBe(true);
  });
});
