import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import {
  changePilotAgreement,
  errorCodes,
  eventually,
  gql,
  identityInput,
  markings,
  RECORD_IDENTITY,
  sql,
  startTestStack,
  tokenFor,
  type GqlResult,
  type TestStack,
} from "@interforce/testkit";

let stack: TestStack;
const tag = Math.random().toString(36).slice(2, 7);

const officer = (org: string) => tokenFor({ org, roles: ["OFFICER"], clearance: "SECRET", covert: true, sub: `officer@${org.toLowerCase()}` });
const analyst = (org: string, over: { covert?: boolean; clearance?: "OFFICIAL" | "OFFICIAL_SENSITIVE" | "SECRET" } = {}) =>
  tokenFor({ org, roles: ["ANALYST"], clearance: over.clearance ?? "OFFICIAL_SENSITIVE", covert: over.covert ?? false, sub: `analyst@${org.toLowerCase()}` });

/** CEOP's deconfliction desk with the covert claim: it sees other orgs' covert assignments too. */
const desk = () => analyst("CEOP", { covert: true });

const db = (org: string) => stack.databases[org]!.ownerUrl;
const count = async (org: string, table: string) => Number((await sql<{ n: string }>(db(org), `SELECT count(*)::text AS n FROM ${table}`))[0]!.n);

const RECORD_FORUM = (ns: string) => `mutation($input: RecordForumInput!) { ${ns} { recordForum(input: $input) { id riskLevel } } }`;
const ASSIGN = (ns: string) => `mutation($input: AssignMonitoringInput!, $key: String) { ${ns} {
  assignMonitoring(input: $input, idempotencyKey: $key) { id org covert active from to classification leadOfficer { name email phone } forum { forum { id } } } } }`;
const END = (ns: string) => `mutation($id: ID!, $at: DateTimeISO) { ${ns} { endMonitoring(id: $id, at: $at) { id active to } } }`;
const SET_RISK = (ns: string) =>
  `mutation($id: ID!, $level: ForumRiskLevel!) { ${ns} { setForumRiskLevel(id: $id, riskLevel: $level, reason: "test") { id riskLevel } } }`;
const SIGHT = (ns: string) =>
  `mutation($input: RecordSightingInput!) { ${ns} { recordSighting(input: $input) { id org seenAt note identity { identity { id } } forum { forum { id } } } } }`;

const PICTURE = `query($id: ID!, $first: Int, $active: Boolean) { forum(id: $id) { id ... on Forum { name riskLevel
  monitoring(first: $first, activeOnly: $active) { nodes { id ... on MonitoringAssignment { org covert active leadOfficer { name } forum { forum { id } } } } pageInfo { hasNextPage endCursor } } } } }`;
const PICTURE_ONLY = `query($id: ID!) { forum(id: $id) { id ... on Forum { monitoring { nodes { id ... on MonitoringAssignment { org covert } } } } } }`;
// Two operations: both lists with their nested owner fields in one exceed the gateway's cost limit.
const OVERLAPS = `{ monitoringOverview {
  overlaps(first: 100) { nodes { forum { forum { id ... on Forum { name } } } orgs covertInvolved assignments { id ... on MonitoringAssignment { org covert leadOfficer { name phone } } } } pageInfo { hasNextPage } } } }`;
const UNMONITORED = `{ monitoringOverview {
  unmonitoredHighRisk(first: 100) { nodes { recordId forum { forum { id ... on Forum { name riskLevel } } } org { code } access { level contact { name } } lastMonitoredUntil } pageInfo { hasNextPage } } } }`;
const SIGHTINGS = `query($id: ID!) { identity(id: $id) { id ... on OnlineIdentity { handle
  sightings(first: 50) { nodes { id ... on Sighting { org seenAt note classification identity { identity { id } } forum { forum { id } } } } pageInfo { hasNextPage } } } } }`;
const SIGHTINGS_ONLY = `query($id: ID!) { identity(id: $id) { id ... on OnlineIdentity { sightings { nodes { id ... on Sighting { org note } } } } } }`;

// A reference carries no id: the forum, and its id, come from its owner (null when the caller may not read it).
type ForumRef = { forum: { id: string } | null };
type Assignment = {
  id: string;
  org: string;
  covert: boolean;
  active: boolean;
  from: string;
  to: string | null;
  leadOfficer: { name: string };
  forum: ForumRef;
};
type Picture = {
  forum: { id: string; name?: string; monitoring: { nodes: Assignment[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | null } | null;
};
type Overview = {
  monitoringOverview: {
    overlaps?: {
      nodes: {
        forum: { forum: { id: string; name: string } | null };
        orgs: string[];
        covertInvolved: boolean;
        assignments: (Assignment & { leadOfficer: { phone: string } })[];
      }[];
    };
    unmonitoredHighRisk?: {
      nodes: {
        recordId: string;
        forum: { forum: { id: string; name: string; riskLevel: string } | null };
        org: { code: string };
        access: { level: string };
        lastMonitoredUntil: string | null;
      }[];
    };
  };
};
type Sighting = { id: string; org: string; seenAt: string; note: string | null; identity: { identity: { id: string } | null }; forum: ForumRef | null };
type SightingsRes = { identity: { id: string; handle?: string; sightings: { nodes: Sighting[] } | null } | null };

async function forum(org: string, name: string, riskLevel?: string, mark: Record<string, unknown> = {}): Promise<string> {
  const ns = org.toLowerCase();
  const input = { platform: "DISCORD", name: `${name} ${tag}`, kind: "FORUM", markings: markings(mark), ...(riskLevel ? { riskLevel } : {}) };
  const r = await gql<Record<string, { recordForum: { id: string; riskLevel: string } }>>(stack.gatewayUrl, RECORD_FORUM(ns), {
    token: officer(org),
    variables: { input },
  });
  expect(r.errors).toBeUndefined();
  expect(r.data![ns]!.recordForum.riskLevel).toBe(riskLevel ?? "MEDIUM");
  return r.data![ns]!.recordForum.id;
}

const lead = (org: string) => ({ name: `DS ${org} lead ${tag}`, email: `lead.${org.toLowerCase()}@police.example`, phone: "01234 567890" });

async function assign(org: string, forumId: string, extra: Record<string, unknown> = {}): Promise<Assignment> {
  const ns = org.toLowerCase();
  const r = await gql<Record<string, { assignMonitoring: Assignment }>>(stack.gatewayUrl, ASSIGN(ns), {
    token: officer(org),
    variables: { input: { forumId, leadOfficer: lead(org), ...extra } },
  });
  expect(r.errors).toBeUndefined();
  return r.data![ns]!.assignMonitoring;
}

const picture = (token: string, id: string, variables: Record<string, unknown> = {}) =>
  gql<Picture>(stack.gatewayUrl, PICTURE, { token, variables: { id, first: 50, ...variables } });
const orgsIn = (r: GqlResult<Picture>) => r.data!.forum!.monitoring!.nodes.map((n) => n.org).sort();

const inHub = async (table: string, column: string, ids: string[]) =>
  Number((await sql<{ n: string }>(db("HUB"), `SELECT count(*)::text AS n FROM ${table} WHERE ${column} = ANY($1)`, [ids]))[0]!.n) === ids.length;

const ids: Record<string, string> = {};
const assignments: Record<string, Assignment> = {};

beforeAll(async () => {
  stack = await startTestStack();
  ids.watched = await forum("KENT", "watched forum", "HIGH");
  ids.norfolkHigh = await forum("NORFOLK", "unwatched high forum", "HIGH");
  ids.essexLapsed = await forum("ESSEX", "lapsed forum");
  ids.kentCovertHigh = await forum("KENT", "decoy forum", "HIGH", { covert: true });
  ids.kentLow = await forum("KENT", "quiet forum", "LOW");
  assignments.kent = await assign("KENT", ids.watched);
  assignments.norfolkCovert = await assign("NORFOLK", ids.watched, { covert: true });
  assignments.essex = await assign("ESSEX", ids.watched, { classification: "OFFICIAL_SENSITIVE" });
  assignments.essexLapsed = await assign("ESSEX", ids.essexLapsed, {
    from: new Date(Date.now() - 20 * 86400_000).toISOString(),
    to: new Date(Date.now() - 86400_000).toISOString(),
  });
  await eventually(() => inHub("forum_pointer", "record_id", Object.values(ids)), 15000);
  await eventually(
    () =>
      inHub(
        "monitoring_pointer",
        "assignment_id",
        Object.values(assignments).map((a) => a.id),
      ),
    15000,
  );
});
afterAll(async () => {
  await stack?.stop();
});

describe("monitoring assignments", () => {
  it("records an assignment in the assigning org's namespace and returns it to its writer", () => {
    expect(assignments.kent).toMatchObject({
      org: "KENT",
      covert: false,
      active: true,
      to: null,
      forum: { forum: { id: ids.watched } },
      leadOfficer: { name: lead("KENT").name },
    });
    expect(assignments.kent.id).toMatch(/^KENT:monitoring:[0-9a-f-]{36}$/);
    // A NORFOLK officer may not read KENT's forum: the reference gives neither the record nor its id.
    expect(assignments.norfolkCovert).toMatchObject({ org: "NORFOLK", covert: true, forum: { forum: null } });
    expect(assignments.essexLapsed.active).toBe(false);
  });

  it("shows a partner analyst the overt assignments only: another org's covert one is not listed or counted", async () => {
    const res = await picture(analyst("ESSEX"), ids.watched);
    expect(res.errors).toBeUndefined();
    expect(res.data!.forum!.name).toBe(`watched forum ${tag}`);
    expect(orgsIn(res)).toEqual(["ESSEX", "KENT"]);
    expect(res.raw).not.toContain(assignments.norfolkCovert.id);
    expect(res.raw).not.toContain(lead("NORFOLK").name);
    // Two visible assignments fill a page of two exactly: a hidden third would show as a next page.
    const two = await picture(analyst("ESSEX"), ids.watched, { first: 2 });
    expect(two.data!.forum!.monitoring!.pageInfo.hasNextPage).toBe(false);
    const kent = await picture(analyst("KENT"), ids.watched);
    expect(orgsIn(kent)).toEqual(["ESSEX", "KENT"]);
  });

  it("shows CEOP's deconfliction desk every assignment, covert ones included (covert claim needed), with the lead officers", async () => {
    const res = await picture(desk(), ids.watched);
    expect(res.errors).toBeUndefined();
    expect(orgsIn(res)).toEqual(["ESSEX", "KENT", "NORFOLK"]);
    const covert = res.data!.forum!.monitoring!.nodes.find((n) => n.org === "NORFOLK")!;
    expect(covert).toMatchObject({ id: assignments.norfolkCovert.id, covert: true, leadOfficer: { name: lead("NORFOLK").name } });
    // The same desk principal without the covert claim sees the overt assignments only.
    const unclaimed = await picture(analyst("CEOP"), ids.watched);
    expect(unclaimed.errors).toBeUndefined();
    expect(orgsIn(unclaimed)).toEqual(["ESSEX", "KENT"]);
    expect(unclaimed.raw).not.toContain(assignments.norfolkCovert.id);
    expect(unclaimed.raw).not.toContain(lead("NORFOLK").name);
    const two = await picture(desk(), ids.watched, { first: 2 });
    const firstPage = two.data!.forum!.monitoring!;
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const rest = await gql<Picture>(
      stack.gatewayUrl,
      PICTURE.replace("activeOnly: $active", "activeOnly: $active, after: $after").replace("$active: Boolean)", "$active: Boolean, $after: String)"),
      {
        token: desk(),
        variables: { id: ids.watched, first: 2, after: firstPage.pageInfo.endCursor },
      },
    );
    expect(rest.errors).toBeUndefined();
    const paged = [...firstPage.nodes, ...rest.data!.forum!.monitoring!.nodes].map((n) => n.id);
    expect(paged.sort()).toEqual(res.data!.forum!.monitoring!.nodes.map((n) => n.id).sort());
    expect(rest.data!.forum!.monitoring!.pageInfo.hasNextPage).toBe(false);
    const badCursor = await gql(stack.gatewayUrl, PICTURE.replace("activeOnly: $active", 'activeOnly: $active, after: "bm90IGEgY3Vyc29y"'), {
      token: analyst("CEOP"),
      variables: { id: ids.watched },
    });
    expect(errorCodes(badCursor)).toContain("BAD_USER_INPUT");
  });

  it("shows the assigning org its own covert assignment (covert claim needed), and nothing of it to its uncleared analysts", async () => {
    const cleared = await picture(analyst("NORFOLK", { covert: true }), ids.watched);
    expect(orgsIn(cleared)).toEqual(["ESSEX", "KENT", "NORFOLK"]);
    const uncleared = await picture(analyst("NORFOLK"), ids.watched);
    expect(orgsIn(uncleared)).toEqual(["ESSEX", "KENT"]);
    const own = await gql<{ norfolk: { monitoringAssignments: { nodes: Assignment[] } } }>(
      stack.gatewayUrl,
      `{ norfolk { monitoringAssignments(first: 100) { nodes { id covert leadOfficer { name } } } } }`,
      { token: officer("NORFOLK") },
    );
    expect(own.errors).toBeUndefined();
    const mine = new Set(Object.values(assignments).map((a) => a.id));
    const listed = own.data!.norfolk.monitoringAssignments.nodes.filter((n) => mine.has(n.id));
    expect(listed.map((n) => n.id)).toEqual([assignments.norfolkCovert.id]);
    expect(listed[0]!.leadOfficer).not.toBeNull();
    // NORFOLK cannot decide KENT's forum, so its namespace does not filter by it.
    const other = await gql(stack.gatewayUrl, `{ norfolk { monitoringAssignments(forumId: "${ids.watched}") { nodes { id } } } }`, {
      token: officer("NORFOLK"),
    });
    expect(other.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([["BAD_USER_INPUT", "forumId"]]);
    expect(other.raw).not.toContain(assignments.norfolkCovert.id);
  });

  it("keeps the classification: an analyst cleared below it does not learn of the assignment", async () => {
    const res = await picture(analyst("KENT", { clearance: "OFFICIAL" }), ids.watched);
    expect(orgsIn(res)).toEqual(["KENT"]);
    expect(res.raw).not.toContain(assignments.essex.id);
  });

  it("never lists another org's covert assignment in that org's own namespace either", async () => {
    const res = await gql<{ norfolk: { monitoringAssignments: { nodes: Assignment[] } } }>(
      stack.gatewayUrl,
      `{ norfolk { monitoringAssignments { nodes { id } } } }`,
      {
        token: analyst("ESSEX"),
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.norfolk.monitoringAssignments.nodes).toEqual([]);
  });

  it("resolves the picture on forums fetched from their owner's own list (the hub owns the field)", async () => {
    const res = await gql<{ kent: { forums: { nodes: { id: string; monitoring: { nodes: Assignment[] } }[] } } }>(
      stack.gatewayUrl,
      `{ kent { forums(first: 100) { nodes { id monitoring { nodes { id ... on MonitoringAssignment { org } } } } } } }`,
      { token: desk() },
    );
    expect(res.errors).toBeUndefined();
    const watched = res.data!.kent.forums.nodes.find((f) => f.id === ids.watched)!;
    expect(watched.monitoring.nodes.map((n) => n.org).sort()).toEqual(["ESSEX", "KENT", "NORFOLK"]);
  });

  it("keeps lead officers and content off the hub: it holds pointers only", async () => {
    const rows = await sql(db("HUB"), "SELECT row_to_json(m)::text AS j FROM monitoring_pointer m");
    const forums = await sql(db("HUB"), "SELECT row_to_json(f)::text AS j FROM forum_pointer f");
    const text = JSON.stringify([rows, forums]);
    expect(text).toContain(assignments.norfolkCovert.id);
    for (const content of [lead("NORFOLK").name, lead("KENT").email, "01234 567890", `watched forum ${tag}`]) expect(text).not.toContain(content);
  });

  it("audits the assignment with its write and the disclosure of a lead officer to another org", async () => {
    const uuid = assignments.norfolkCovert.id;
    const events = await sql<{ action: string; operation: string; recipient_org: string | null }>(
      db("NORFOLK"),
      "SELECT action, operation, recipient_org FROM audit_event WHERE $1 = ANY(record_ids) ORDER BY seq",
      [uuid],
    );
    expect(events[0]).toMatchObject({ action: "COLLECTION", operation: "assignMonitoring" });
    expect(events).toContainEqual({ action: "DISCLOSURE", operation: "resolve monitoring-assignment", recipient_org: "CEOP" });
  });
});

describe("CEOP monitoring overview", () => {
  it("shows CEOP where monitoring overlaps, covert assignments included (covert claim needed)", async () => {
    const res = await gql<Overview>(stack.gatewayUrl, OVERLAPS, { token: desk() });
    expect(res.errors).toBeUndefined();
    const overlap = res.data!.monitoringOverview.overlaps!.nodes.find((n) => n.forum.forum?.id === ids.watched)!;
    expect(overlap).toMatchObject({
      orgs: ["ESSEX", "KENT", "NORFOLK"],
      covertInvolved: true,
      forum: { forum: { id: ids.watched, name: `watched forum ${tag}` } },
    });
    expect(overlap.assignments.map((a) => a.id).sort()).toEqual([assignments.kent.id, assignments.norfolkCovert.id, assignments.essex.id].sort());
    expect(overlap.assignments.find((a) => a.covert)!.leadOfficer.phone).toBe("01234 567890");
    expect(res.data!.monitoringOverview.overlaps!.nodes.map((n) => n.forum.forum?.id)).not.toContain(ids.essexLapsed);
    expect(res.raw).not.toContain(ids.essexLapsed);

    // Without the covert claim the desk sees the overlap of the overt assignments only.
    const unclaimed = await gql<Overview>(stack.gatewayUrl, OVERLAPS, { token: analyst("CEOP") });
    expect(unclaimed.errors).toBeUndefined();
    const overt = unclaimed.data!.monitoringOverview.overlaps!.nodes.find((n) => n.forum.forum?.id === ids.watched)!;
    expect(overt).toMatchObject({ orgs: ["ESSEX", "KENT"], covertInvolved: false });
    expect(overt.assignments.map((a) => a.id).sort()).toEqual([assignments.kent.id, assignments.essex.id].sort());
    expect(unclaimed.raw).not.toContain(assignments.norfolkCovert.id);
    expect(unclaimed.raw).not.toContain(lead("NORFOLK").name);
  });

  it("shows CEOP high-risk forums nobody monitors, never a covert forum of another org", async () => {
    const setHigh = await gql<{ essex: { setForumRiskLevel: { riskLevel: string } } }>(stack.gatewayUrl, SET_RISK("essex"), {
      token: officer("ESSEX"),
      variables: { id: ids.essexLapsed, level: "HIGH" },
    });
    expect(setHigh.data!.essex.setForumRiskLevel.riskLevel).toBe("HIGH");
    const answer = await eventually(async () => {
      const res = await gql<Overview>(stack.gatewayUrl, UNMONITORED, {
        token: tokenFor({ org: "CEOP", roles: ["FORCE_ADMIN", "ANALYST"], clearance: "SECRET" }),
      });
      expect(res.errors).toBeUndefined();
      const n = res.data!.monitoringOverview.unmonitoredHighRisk!.nodes;
      return n.some((x) => x.recordId === ids.essexLapsed) ? res : null;
    });
    const nodes = answer.data!.monitoringOverview.unmonitoredHighRisk!.nodes;
    const ids_ = nodes.map((n) => n.recordId);
    expect(ids_).toContain(ids.norfolkHigh);
    for (const absent of [ids.watched, ids.kentCovertHigh, ids.kentLow]) {
      expect(ids_).not.toContain(absent);
      expect(answer.raw).not.toContain(absent);
    }
    expect(nodes.find((n) => n.recordId === ids.norfolkHigh)).toMatchObject({
      org: { code: "NORFOLK" },
      access: { level: "FULL" },
      lastMonitoredUntil: null,
      forum: { forum: { id: ids.norfolkHigh, name: `unwatched high forum ${tag}`, riskLevel: "HIGH" } },
    });
    expect(nodes.find((n) => n.recordId === ids.essexLapsed)!.lastMonitoredUntil).toBeTruthy();
  });

  it("refuses the overview (FORBIDDEN) to everyone but CEOP's analysts and force admins", async () => {
    for (const token of [
      analyst("KENT"),
      analyst("NORFOLK", { covert: true }),
      officer("CEOP"),
      tokenFor({ org: "KENT", roles: ["FORCE_ADMIN"], clearance: "SECRET" }),
    ]) {
      for (const query of [OVERLAPS, UNMONITORED]) {
        const res = await gql(stack.gatewayUrl, query, { token });
        expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
        expect(res.data ?? null).toBeNull();
        expect(res.raw).not.toContain(ids.watched);
      }
    }
  });
});

describe("ending monitoring", () => {
  it("ends an assignment: inactive from then, no longer an overlap, and refused a second time", async () => {
    // Just after the assignment's own start, however fast the machine got here.
    const at = new Date(new Date(assignments.kent.from).getTime() + 1).toISOString();
    const res = await gql<{ kent: { endMonitoring: Assignment } }>(stack.gatewayUrl, END("kent"), {
      token: officer("KENT"),
      variables: { id: assignments.kent.id, at },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.kent.endMonitoring).toMatchObject({ active: false, to: at });
    const again = await gql(stack.gatewayUrl, END("kent"), { token: officer("KENT"), variables: { id: assignments.kent.id } });
    expect(errorCodes(again)).toEqual(["BAD_USER_INPUT"]);
    expect(again.errors![0]!.extensions!.field).toBe("at");

    await eventually(async () => {
      const active = await picture(desk(), ids.watched, { active: true });
      return orgsIn(active).join() === "ESSEX,NORFOLK";
    });
    const all = await picture(desk(), ids.watched);
    expect(all.data!.forum!.monitoring!.nodes.find((n) => n.org === "KENT")!.active).toBe(false);
    const overview = await gql<Overview>(stack.gatewayUrl, OVERLAPS, { token: desk() });
    expect(overview.data!.monitoringOverview.overlaps!.nodes.find((n) => n.forum.forum?.id === ids.watched)!.orgs).toEqual(["ESSEX", "NORFOLK"]);
  });

  it("lets no other org end it (FORBIDDEN), and writes nothing", async () => {
    const before = await count("KENT", "audit_event WHERE operation = 'endMonitoring'");
    const res = await gql(stack.gatewayUrl, END("kent"), { token: officer("ESSEX"), variables: { id: assignments.kent.id } });
    expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
    const other = await gql(stack.gatewayUrl, END("essex"), { token: officer("ESSEX"), variables: { id: assignments.kent.id } });
    expect(errorCodes(other)).toEqual(["BAD_USER_INPUT"]);
    expect(other.errors![0]!.extensions!.field).toBe("id");
    expect(await count("KENT", "audit_event WHERE operation = 'endMonitoring'")).toBe(before);
  });
});

describe("sightings", () => {
  const sightings: Record<string, Sighting> = {};
  const notes = { norfolk: `norfolk saw it in the watched forum ${tag}`, essex: `essex saw it on a stream ${tag}` };

  beforeAll(async () => {
    const r = await gql<{ kent: { recordOnlineIdentity: { id: string } } }>(stack.gatewayUrl, RECORD_IDENTITY("kent"), {
      token: officer("KENT"),
      variables: { input: identityInput({ handle: `sighted_${tag}` }) },
    });
    ids.sighted = r.data!.kent.recordOnlineIdentity.id;
    const sight = async (org: string, note: string, forumId: string | null) => {
      const ns = org.toLowerCase();
      const res = await gql<Record<string, { recordSighting: Sighting }>>(stack.gatewayUrl, SIGHT(ns), {
        token: officer(org),
        variables: { input: { identityId: ids.sighted, seenAt: new Date(Date.now() - 3600_000).toISOString(), forumId, note } },
      });
      expect(res.errors).toBeUndefined();
      return res.data![ns]!.recordSighting;
    };
    sightings.norfolk = await sight("NORFOLK", notes.norfolk, ids.watched);
    sightings.essex = await sight("ESSEX", notes.essex, null);
    await eventually(() => inHub("sighting_pointer", "sighting_id", [sightings.norfolk!.id, sightings.essex!.id]), 15000);
  });

  it("shows the identity's owner who saw it, when, where and the note, each read from the sighting org", async () => {
    const res = await gql<SightingsRes>(stack.gatewayUrl, SIGHTINGS, { token: officer("KENT"), variables: { id: ids.sighted } });
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.identity!.sightings!.nodes;
    expect(nodes.map((n) => n.org).sort()).toEqual(["ESSEX", "NORFOLK"]);
    expect(nodes.find((n) => n.org === "NORFOLK")).toMatchObject({
      note: notes.norfolk,
      forum: { forum: { id: ids.watched } },
      identity: { identity: { id: ids.sighted } },
    });
    expect(nodes.find((n) => n.org === "ESSEX")).toMatchObject({ note: notes.essex, forum: null });

    const PAGE = `query($id: ID!, $after: String) { identity(id: $id) { id ... on OnlineIdentity { sightings(first: 1, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } } }`;
    type Page = { identity: { sightings: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } };
    const p1 = await gql<Page>(stack.gatewayUrl, PAGE, { token: officer("KENT"), variables: { id: ids.sighted } });
    const p2 = await gql<Page>(stack.gatewayUrl, PAGE, {
      token: officer("KENT"),
      variables: { id: ids.sighted, after: p1.data!.identity.sightings.pageInfo.endCursor },
    });
    expect(p1.data!.identity.sightings.pageInfo.hasNextPage).toBe(true);
    expect(p2.data!.identity.sightings.pageInfo.hasNextPage).toBe(false);
    expect([...p1.data!.identity.sightings.nodes, ...p2.data!.identity.sightings.nodes].map((n) => n.id).sort()).toEqual(nodes.map((n) => n.id).sort());
  });

  it("shows the sighting org its own sighting in its own list, and nothing on an identity it may not read", async () => {
    // A NORFOLK officer may not read the KENT identity: its sightings are answered as for an id that names nothing.
    const res = await gql<SightingsRes>(stack.gatewayUrl, SIGHTINGS_ONLY, { token: officer("NORFOLK"), variables: { id: ids.sighted } });
    const random = await gql<SightingsRes>(stack.gatewayUrl, SIGHTINGS_ONLY, { token: officer("NORFOLK"), variables: { id: `KENT:identity:${randomUUID()}` } });
    expect(res.errors).toBeUndefined();
    // Plain null, as for an id that names nothing: no record, no sightings, no error.
    expect(JSON.parse(res.raw)).toEqual({ data: { identity: null } });
    expect(JSON.parse(random.raw)).toEqual({ data: { identity: null } });
    expect(res.raw).not.toContain(notes.essex);
    expect(res.raw).not.toContain(notes.norfolk);
    const own = await gql<{ norfolk: { sightings: { nodes: Sighting[] } } }>(
      stack.gatewayUrl,
      `{ norfolk { sightings { nodes { id note identity { identity { id } } } } } }`,
      {
        token: officer("NORFOLK"),
      },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.norfolk.sightings.nodes.map((n) => n.id)).toEqual([sightings.norfolk!.id]);
    // The sighted identity is KENT's, which a NORFOLK officer may not read: no record, and no id.
    expect(own.data!.norfolk.sightings.nodes[0]!.identity).toEqual({ identity: null });
    expect(own.raw).not.toContain(ids.sighted);
  });

  it("shows a third org nothing, not even with access to the identity itself", async () => {
    const res = await gql<SightingsRes>(stack.gatewayUrl, SIGHTINGS, { token: analyst("CEOP", { clearance: "SECRET" }), variables: { id: ids.sighted } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.identity!.handle).toBe(`sighted_${tag}`);
    expect(res.data!.identity!.sightings!.nodes).toEqual([]);
    for (const hidden of [sightings.norfolk!.id, sightings.essex!.id, notes.norfolk, notes.essex]) expect(res.raw).not.toContain(hidden);
    const direct = await gql<{ norfolk: { sightings: { nodes: Sighting[] } } }>(stack.gatewayUrl, `{ norfolk { sightings { nodes { id note } } } }`, {
      token: analyst("CEOP"),
    });
    expect(direct.data!.norfolk.sightings.nodes).toEqual([]);
  });

  it("shows the owner's sightings only to owner principals the owner lets read the identity", async () => {
    const r = await gql<{ kent: { recordOnlineIdentity: { id: string } } }>(stack.gatewayUrl, RECORD_IDENTITY("kent"), {
      token: officer("KENT"),
      variables: { input: identityInput({ handle: `secret_sighted_${tag}`, markings: markings({ classification: "SECRET" }) }) },
    });
    const secretId = r.data!.kent.recordOnlineIdentity.id;
    const seen = await gql<{ essex: { recordSighting: Sighting } }>(stack.gatewayUrl, SIGHT("essex"), {
      token: officer("ESSEX"),
      variables: { input: { identityId: secretId, seenAt: new Date().toISOString(), note: `secret note ${tag}` } },
    });
    await eventually(() => inHub("sighting_pointer", "sighting_id", [seen.data!.essex.recordSighting.id]), 15000);
    const cleared = await gql<SightingsRes>(stack.gatewayUrl, SIGHTINGS_ONLY, { token: officer("KENT"), variables: { id: secretId } });
    expect(cleared.data!.identity!.sightings!.nodes.map((n) => n.org)).toEqual(["ESSEX"]);
    const uncleared = await gql<SightingsRes>(stack.gatewayUrl, SIGHTINGS_ONLY, { token: analyst("KENT"), variables: { id: secretId } });
    // Not cleared for the record: plain null, its sightings with it.
    expect(uncleared.data!.identity).toBeNull();
    expect(uncleared.raw).not.toContain(`secret note ${tag}`);
  });

  it("keeps the note off the hub", async () => {
    const rows = await sql(db("HUB"), "SELECT row_to_json(s)::text AS j FROM sighting_pointer s");
    expect(JSON.stringify(rows)).toContain(sightings.norfolk!.id);
    expect(JSON.stringify(rows)).not.toContain(notes.norfolk);
  });
});

describe("input and namespace checks", () => {
  const cases: { name: string; org: string; query: string; variables: Record<string, unknown>; field: string; table: string }[] = [
    {
      name: "a forum id that is not one",
      org: "KENT",
      query: ASSIGN("kent"),
      variables: { input: { forumId: "not-an-id", leadOfficer: lead("KENT") } },
      field: "input.forumId",
      table: "monitoring_assignment",
    },
    {
      name: "an identity id as the forum",
      org: "KENT",
      query: ASSIGN("kent"),
      variables: { input: { forumId: "KENT:identity:00000000-0000-4000-8000-000000000000", leadOfficer: lead("KENT") } },
      field: "input.forumId",
      table: "monitoring_assignment",
    },
    {
      name: "an own forum that does not exist",
      org: "KENT",
      query: ASSIGN("kent"),
      variables: { input: { forumId: "KENT:forum:00000000-0000-4000-8000-000000000000", leadOfficer: lead("KENT") } },
      field: "input.forumId",
      table: "monitoring_assignment",
    },
    {
      name: "an end before the start",
      org: "KENT",
      query: ASSIGN("kent"),
      variables: {
        input: {
          forumId: "NORFOLK:forum:00000000-0000-4000-8000-000000000000",
          from: "2026-01-02T00:00:00Z",
          to: "2026-01-01T00:00:00Z",
          leadOfficer: lead("KENT"),
        },
      },
      field: "input.to",
      table: "monitoring_assignment",
    },
    {
      name: "a lead officer email that is not one",
      org: "KENT",
      query: ASSIGN("kent"),
      variables: { input: { forumId: "NORFOLK:forum:00000000-0000-4000-8000-000000000000", leadOfficer: { ...lead("KENT"), email: "nobody" } } },
      field: "input.leadOfficer.email",
      table: "monitoring_assignment",
    },
    {
      name: "a sighting in the future",
      org: "ESSEX",
      query: SIGHT("essex"),
      variables: { input: { identityId: "KENT:identity:00000000-0000-4000-8000-000000000000", seenAt: new Date(Date.now() + 86400_000).toISOString() } },
      field: "input.seenAt",
      table: "sighting",
    },
    {
      name: "a forum id as the identity sighted",
      org: "ESSEX",
      query: SIGHT("essex"),
      variables: { input: { identityId: "KENT:forum:00000000-0000-4000-8000-000000000000", seenAt: new Date().toISOString() } },
      field: "input.identityId",
      table: "sighting",
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} (BAD_USER_INPUT naming ${c.field}) and writes nothing`, async () => {
      const before = [await count(c.org, c.table), await count(c.org, "outbox")];
      const res = await gql(stack.gatewayUrl, c.query, { token: officer(c.org), variables: c.variables });
      expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
      expect(res.errors![0]!.extensions!.field).toBe(c.field);
      expect([await count(c.org, c.table), await count(c.org, "outbox")]).toEqual(before);
    });
  }

  it("refuses a page over 100", async () => {
    const res = await gql(stack.gatewayUrl, PICTURE, { token: analyst("CEOP"), variables: { id: ids.watched, first: 101 } });
    expect(errorCodes(res)).toContain("BAD_USER_INPUT");
  });

  it("refuses writes into another org's namespace (FORBIDDEN) and writes nothing there", async () => {
    const before = [await count("KENT", "monitoring_assignment"), await count("KENT", "sighting")];
    const assignAsNorfolk = await gql(stack.gatewayUrl, ASSIGN("kent"), {
      token: officer("NORFOLK"),
      variables: { input: { forumId: ids.watched, leadOfficer: lead("NORFOLK") } },
    });
    expect(errorCodes(assignAsNorfolk)).toEqual(["FORBIDDEN"]);
    const sightAsNorfolk = await gql(stack.gatewayUrl, SIGHT("kent"), {
      token: officer("NORFOLK"),
      variables: { input: { identityId: ids.sighted, seenAt: new Date().toISOString(), note: "x" } },
    });
    expect(errorCodes(sightAsNorfolk)).toEqual(["FORBIDDEN"]);
    const riskAsCeop = await gql(stack.gatewayUrl, SET_RISK("kent"), { token: analyst("CEOP"), variables: { id: ids.kentLow, level: "HIGH" } });
    expect(errorCodes(riskAsCeop)).toEqual(["FORBIDDEN"]);
    expect([await count("KENT", "monitoring_assignment"), await count("KENT", "sighting")]).toEqual(before);
    const [forumRow] = await sql<{ risk_level: string }>(db("KENT"), "SELECT risk_level FROM forum WHERE id = $1", [ids.kentLow.split(":")[2]]);
    expect(forumRow!.risk_level).toBe("LOW");
  });

  it("applies a retried assignment once under the same key", async () => {
    const input = { forumId: ids.kentLow, leadOfficer: lead("KENT") };
    const key = `assign-${tag}`;
    const before = await count("KENT", "monitoring_assignment");
    const [a, b] = await Promise.all(
      [1, 2].map(() =>
        gql<{ kent: { assignMonitoring: Assignment } }>(stack.gatewayUrl, ASSIGN("kent"), { token: officer("KENT"), variables: { input, key } }),
      ),
    );
    expect(a!.data!.kent.assignMonitoring.id).toBe(b!.data!.kent.assignMonitoring.id);
    expect(await count("KENT", "monitoring_assignment")).toBe(before + 1);
  });
});

describe("without an agreement in force", () => {
  const transition = (change: "suspendAgreement" | "reinstateAgreement") => changePilotAgreement(stack.gatewayUrl, change);

  it("shows an analyst no overt assignment of an org it is not a partner of, and its own still", async () => {
    // An ESSEX forum, so that ESSEX reads the forum with or without the agreement.
    const shared = await forum("ESSEX", "shared forum");
    const mine = await assign("ESSEX", shared);
    const theirs = await assign("KENT", shared);
    await eventually(() => inHub("monitoring_pointer", "assignment_id", [mine.id, theirs.id]), 15000);
    const essexView = async () => orgsIn(await gql<Picture>(stack.gatewayUrl, PICTURE_ONLY, { token: analyst("ESSEX"), variables: { id: shared } })).join();
    expect(await essexView()).toBe("ESSEX,KENT");
    await transition("suspendAgreement");
    try {
      await eventually(async () => (await essexView()) === "ESSEX");
      // The desk still brokers the overlap, KENT's side included.
      const overview = await gql<Overview>(stack.gatewayUrl, OVERLAPS, { token: desk() });
      const overlap = overview.data!.monitoringOverview.overlaps!.nodes.find((n) => n.assignments.some((a) => a.id === theirs.id))!;
      expect(overlap.orgs).toEqual(["ESSEX", "KENT"]);
    } finally {
      await transition("reinstateAgreement");
    }
  });
});
