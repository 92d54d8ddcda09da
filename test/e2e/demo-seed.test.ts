import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, gql, sql, startTestStack, tokenFor, type TestStack } from "@interforce/testkit";
import { SHARED_HANDLE, SHARED_PHONE } from "../../infra/local/seed.js";

// The demo data `npm start` loads, seeded through each force's own write paths: it must give
// an analyst something to find for every question the API answers.
let stack: TestStack;

const desk = () => tokenFor({ org: "CEOP", roles: ["ANALYST"], clearance: "SECRET", covert: true, sub: "desk@ceop" });
const kentOfficer = () => tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "SECRET", covert: true, sub: "officer@kent" });
const essexAnalyst = () => tokenFor({ org: "ESSEX", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "analyst@essex" });

beforeAll(async () => {
  stack = await startTestStack({ seedScale: 1 });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe("demo data at scale 1", () => {
  it("has the shared handle held by KENT and NORFOLK, found in one search", async () => {
    const hits = await eventually(async () => {
      const r = await gql<{ search: { hits: { org: { code: string } }[] } }>(
        stack.gatewayUrl,
        `{ search(query: "dark angel 99", platform: SNAPCHAT, first: 50) { hits { org { code } } } }`,
        {
          token: essexAnalyst(),
        },
      );
      expect(r.errors).toBeUndefined();
      const orgs = r.data!.search.hits.map((h) => h.org.code);
      return orgs.includes("KENT") && orgs.includes("NORFOLK") ? orgs : undefined;
    }, 30_000);
    expect(hits).toEqual(expect.arrayContaining(["KENT", "NORFOLK"]));
    expect(SHARED_HANDLE.KENT).not.toBe(SHARED_HANDLE.NORFOLK);
  });

  it("has a phone number both of those records carry, written two ways, found from either spelling", async () => {
    for (const spelling of [SHARED_PHONE.KENT, SHARED_PHONE.NORFOLK]) {
      const r = await gql<{ search: { hits: { org: { code: string } }[] } }>(
        stack.gatewayUrl,
        `query($q: String!) { search(query: $q) { hits { org { code } } } }`,
        {
          token: essexAnalyst(),
          variables: { q: spelling },
        },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.search.hits.map((h) => h.org.code).sort()).toEqual(["KENT", "NORFOLK"]);
    }
  });

  it("has forums monitored by two orgs at once, one of them covertly, and high-risk forums nobody watches", async () => {
    type Overview = { monitoringOverview: { overlaps: { nodes: { orgs: string[]; covertInvolved: boolean }[] } } };
    const overlaps = await eventually(async () => {
      const r = await gql<Overview>(stack.gatewayUrl, `{ monitoringOverview { overlaps(first: 100) { nodes { orgs covertInvolved } } } }`, { token: desk() });
      expect(r.errors).toBeUndefined();
      const nodes = r.data!.monitoringOverview.overlaps.nodes;
      return nodes.some((n) => n.covertInvolved) && nodes.some((n) => !n.covertInvolved) ? nodes : undefined;
    }, 30_000);
    for (const o of overlaps) expect(new Set(o.orgs).size).toBeGreaterThanOrEqual(2);

    type Unwatched = { monitoringOverview: { unmonitoredHighRisk: { nodes: { org: { code: string }; recordId: string }[] } } };
    const r = await gql<Unwatched>(stack.gatewayUrl, `{ monitoringOverview { unmonitoredHighRisk(first: 100) { nodes { org { code } recordId } } } }`, {
      token: desk(),
    });
    expect(r.errors).toBeUndefined();
    const owners = new Set(r.data!.monitoringOverview.unmonitoredHighRisk.nodes.map((n) => n.org.code));
    // One high-risk forum of every org is left unwatched.
    expect([...owners].sort()).toEqual(["CEOP", "ESSEX", "KENT", "NORFOLK"]);
  });

  it("has records past their review date, shown as overdue to their owner and withheld from other orgs", async () => {
    // Markings an ESSEX analyst may read but for the review date; the control record differs only in that.
    const readable = `NOT covert AND handling = 'P' AND classification <> 'SECRET'`;
    const rows = await sql<{ id: string }>(stack.databases.KENT!.ownerUrl, `SELECT id FROM online_identity WHERE review_due < now() AND ${readable} LIMIT 1`);
    const control = await sql<{ id: string }>(
      stack.databases.KENT!.ownerUrl,
      `SELECT id FROM online_identity WHERE review_due > now() AND ${readable} LIMIT 1`,
    );
    expect(rows).toHaveLength(1);
    expect(control).toHaveLength(1);
    const id = `KENT:identity:${rows[0]!.id}`;
    const Q = `query($id: ID!) { identity(id: $id) { id ... on OnlineIdentity { handle reviewOverdue } } }`;
    type Res = { identity: { id: string; handle: string; reviewOverdue: boolean } | null };
    const current = await eventually(
      async () =>
        (await gql<Res>(stack.gatewayUrl, Q, { token: essexAnalyst(), variables: { id: `KENT:identity:${control[0]!.id}` } })).data?.identity ?? undefined,
      30_000,
    );
    expect(current.reviewOverdue).toBe(false);
    const own = await eventually(
      async () => (await gql<Res>(stack.gatewayUrl, Q, { token: kentOfficer(), variables: { id } })).data?.identity ?? undefined,
      30_000,
    );
    expect(own.reviewOverdue).toBe(true);
    const other = await gql<Res>(stack.gatewayUrl, Q, { token: essexAnalyst(), variables: { id } });
    expect(other.data?.identity ?? null).toBeNull();
    expect(other.raw).not.toContain(own.handle);
  });

  it("has sightings by other orgs that the owner of the identity is shown", async () => {
    // A sighting NORFOLK recorded of one of KENT's identities, read from NORFOLK's own database.
    const rows = await sql<{ identity_id: string }>(stack.databases.NORFOLK!.ownerUrl, `SELECT identity_id FROM sighting WHERE identity_org = 'KENT' LIMIT 1`);
    expect(rows).toHaveLength(1);
    const id = rows[0]!.identity_id;
    type Res = { identity: { sightings: { nodes: { org: string; note: string | null }[] } } | null };
    const seen = await eventually(async () => {
      const r = await gql<Res>(
        stack.gatewayUrl,
        `query($id: ID!) { identity(id: $id) { id ... on OnlineIdentity { sightings(first: 50) { nodes { org note } } } } }`,
        {
          token: kentOfficer(),
          variables: { id },
        },
      );
      expect(r.errors).toBeUndefined();
      const nodes = r.data!.identity?.sightings.nodes ?? [];
      return nodes.some((n) => n.org === "NORFOLK") ? nodes : undefined;
    }, 30_000);
    expect(seen.find((n) => n.org === "NORFOLK")!.note).toMatch(/routine monitoring/);
  });
});
