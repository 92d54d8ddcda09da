/**
 * A force's database that stops accepting connections, with real processes and real PostgreSQL: the force answers
 * UNAVAILABLE naming its database within a second (never INTERNAL), the other forces still answer, and once the
 * database is back the force recovers by itself with every acknowledged write kept.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, sql, startTestStack, tokenFor, type TestStack } from "@interforce/testkit";
import { indexed, recordIdentity, type Seeded } from "../security/support.js";

let stack: TestStack;
let kent: Seeded;
let norfolk: Seeded;
const kentAnalyst = () => tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "SECRET", sub: "analyst@kent" });
const norfolkAnalyst = () => tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "SECRET", sub: "analyst@norfolk" });
const LIST = `{ kent { identities(first: 50) { nodes { id handle } } } }`;
const SEARCH = `query($q: String!) { search(query: $q) { hits { org { code } identity { id ... on OnlineIdentity { handle } } } } }`;

/** The embedded cluster's superuser, on the port the stack's databases use. */
const superuser = () => {
  const url = new URL(stack.databases.KENT!.ownerUrl);
  return `postgres://postgres:postgres@${url.host}/postgres`;
};

async function kentDatabase(accepting: boolean) {
  await sql(superuser(), `ALTER DATABASE interforce_kent ALLOW_CONNECTIONS ${accepting}`);
  if (!accepting)
    await sql(superuser(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'interforce_kent' AND pid <> pg_backend_pid()");
}

beforeAll(async () => {
  stack = await startTestStack();
  kent = await recordIdentity(stack, "KENT");
  norfolk = await recordIdentity(stack, "NORFOLK", {}, { handle: kent.handle });
  await indexed(stack, [kent.id, norfolk.id]);
});

afterAll(async () => {
  await kentDatabase(true).catch(() => undefined);
  await stack?.stop();
});

describe("a force's database that is down", () => {
  it("answers UNAVAILABLE naming KENT's database within a second, the other forces' data still served", async () => {
    await kentDatabase(false);
    const started = performance.now();
    const list = await gql(stack.gatewayUrl, LIST, { token: kentAnalyst() });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(list.errors).toEqual([
      { message: "KENT database is unavailable", path: expect.arrayContaining(["kent"]), extensions: { code: "UNAVAILABLE", service: "KENT database" } },
    ]);
    expect(list.raw).not.toMatch(/INTERNAL|interforce_kent|ALLOW_CONNECTIONS|57P|ECONN|terminat/i);

    const search = await gql<{ search: { hits: { org: { code: string }; identity: { id: string; handle: string } | null }[] } }>(stack.gatewayUrl, SEARCH, {
      token: norfolkAnalyst(),
      variables: { q: kent.handle },
    });
    const hits = search.data!.search.hits;
    expect(hits.find((h) => h.org.code === "NORFOLK")!.identity).toEqual({ id: norfolk.id, handle: kent.handle });
    expect(hits.find((h) => h.org.code === "KENT")!.identity).toBeNull();
    expect(search.errors?.map((e) => e.extensions)).toEqual([{ code: "UNAVAILABLE", service: "KENT database" }]);
  });

  it("recovers by itself once the database is back, every acknowledged write kept", async () => {
    await kentDatabase(true);
    const list = await gql<{ kent: { identities: { nodes: { id: string; handle: string }[] } } }>(stack.gatewayUrl, LIST, { token: kentAnalyst() });
    expect(list.errors).toBeUndefined();
    expect(list.data!.kent.identities.nodes).toContainEqual({ id: kent.id, handle: kent.handle });
  });
});
