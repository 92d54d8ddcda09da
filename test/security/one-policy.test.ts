/**
 * The disclosures an outside review found where a rule was written outside packages/policy,
 * tried again as the principals who found them. Each test asks for what must stay hidden and
 * asserts nothing comes back: no data, no id, no difference from an id that names nothing.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, sql, startTestStack, tokenFor, type GqlResult, type TestStack } from "@interforce/testkit";
import { codes, linkIdentities, recordIdentity, type Seeded } from "./support.js";

let stack: TestStack;

/** A KENT officer without the covert claim. */
const plainOfficer = () => tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "SECRET", covert: false, sub: "officer.plain@kent" });
const covertOfficer = () => tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "SECRET", covert: true, sub: "officer.covert@kent" });
/** A KENT force admin cleared OFFICIAL, without the claim. */
const lowAdmin = () => tokenFor({ org: "KENT", roles: ["FORCE_ADMIN"], clearance: "OFFICIAL", covert: false, sub: "admin.low@kent" });
/** KENT's auditor: FORCE_ADMIN, SECRET, covert claim. */
const auditor = () => tokenFor({ org: "KENT", roles: ["FORCE_ADMIN"], clearance: "SECRET", covert: true, sub: "auditor@kent" });
const essexAnalyst = () => tokenFor({ org: "ESSEX", roles: ["ANALYST"], clearance: "SECRET", covert: false, sub: "analyst@essex" });

const lead = { name: "DS Undercover Lead", email: "uc.lead@kent.police.example", phone: "07700 900999" };
const tag = () => Math.random().toString(36).slice(2, 10);

/** The answer with one id replaced, to compare a hidden id's answer with a random id's. */
const shape = (r: GqlResult, id: string) =>
  JSON.parse(
    JSON.stringify({ data: r.data ?? null, errors: (r.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code, path: e.path })) }).replaceAll(
      id,
      "ID",
    ),
  );

let covertAssignment: { id: string };
let covertIdentity: Seeded;
let secretNorfolk: Seeded;
let crossLink: { id: string; rationale: string };
let kentEnd: Seeded;

beforeAll(async () => {
  stack = await startTestStack();
  const forum = await gql<{ kent: { recordForum: { id: string } } }>(
    stack.gatewayUrl,
    `mutation($input: RecordForumInput!) { kent { recordForum(input: $input) { id } } }`,
    {
      token: covertOfficer(),
      variables: {
        input: {
          platform: "DISCORD",
          name: `forum-${tag()}`,
          kind: "CHAT_ROOM",
          riskLevel: "HIGH",
          markings: { classification: "OFFICIAL", source: "UNTESTED", assessment: "C", handling: "P" },
        },
      },
    },
  );
  expect(forum.errors, forum.raw).toBeUndefined();
  const assigned = await gql<{ kent: { assignMonitoring: { id: string } } }>(
    stack.gatewayUrl,
    `mutation($input: AssignMonitoringInput!) { kent { assignMonitoring(input: $input) { id } } }`,
    {
      token: covertOfficer(),
      variables: { input: { forumId: forum.data!.kent.recordForum.id, covert: true, from: new Date(Date.now() - 86400_000).toISOString(), leadOfficer: lead } },
    },
  );
  expect(assigned.errors, assigned.raw).toBeUndefined();
  covertAssignment = assigned.data!.kent.assignMonitoring;
  covertIdentity = await recordIdentity(stack, "KENT", { covert: true, classification: "SECRET" }, { status: "DECOY" });
  // A NORFOLK record ESSEX may not read (its handling conditions name only CEOP), linked by KENT.
  secretNorfolk = await recordIdentity(stack, "NORFOLK", { handling: "C", conditions: "CEOP only", conditionsOrgs: ["CEOP"] });
  kentEnd = await recordIdentity(stack, "KENT", { classification: "OFFICIAL" });
  crossLink = await linkIdentities(stack, "KENT", kentEnd.id, secretNorfolk.id, { classification: "OFFICIAL" });
});

afterAll(async () => {
  await stack?.stop();
});

describe("ending monitoring reads first", () => {
  const END = `mutation($id: ID!, $at: DateTimeISO) { kent { endMonitoring(id: $id, at: $at) { id to leadOfficer { name email phone } } } }`;

  it("answers a KENT officer without the covert claim exactly as for an id that names nothing, before checking `at`, and ends nothing", async () => {
    const random = `KENT:monitoring:${randomUUID()}`;
    // An `at` before the assignment's start (an oracle once), now, and none.
    for (const at of [null, new Date(Date.now() - 2 * 86400_000).toISOString(), new Date().toISOString()]) {
      const hidden = await gql(stack.gatewayUrl, END, { token: plainOfficer(), variables: { id: covertAssignment.id, at } });
      const unknown = await gql(stack.gatewayUrl, END, { token: plainOfficer(), variables: { id: random, at } });
      expect(codes(hidden), hidden.raw).toEqual(["NOT_FOUND"]);
      expect(shape(hidden, covertAssignment.id)).toEqual(shape(unknown, random));
      for (const secret of [lead.name, lead.email, lead.phone]) expect(hidden.raw).not.toContain(secret);
    }
    const [row] = await sql<{ valid_to: Date | null; ended_by: string | null }>(
      stack.databases.KENT!.ownerUrl,
      "SELECT valid_to, ended_by FROM monitoring_assignment WHERE id = $1",
      [covertAssignment.id.split(":")[2]],
    );
    expect(row).toEqual({ valid_to: null, ended_by: null });
  });

  it("audits the refusal as a read of a hidden record, and nothing for the random id", async () => {
    const res = await gql(stack.gatewayUrl, END, { token: plainOfficer(), variables: { id: covertAssignment.id } });
    const events = await sql<{ operation: string; levels: string[]; record_ids: string[] }>(
      stack.databases.KENT!.ownerUrl,
      "SELECT operation, levels, record_ids FROM audit_event WHERE request_id = $1",
      [res.requestId],
    );
    expect(events).toEqual([{ operation: "endMonitoring", levels: ["NONE"], record_ids: [covertAssignment.id] }]);
  });

  it("lets the covert officer end it, and the answer carries the lead officer only to them", async () => {
    const res = await gql<{ kent: { endMonitoring: { leadOfficer: { name: string } } } }>(stack.gatewayUrl, END, {
      token: covertOfficer(),
      variables: { id: covertAssignment.id },
    });
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!.kent.endMonitoring.leadOfficer.name).toBe(lead.name);
  });
});

describe("need-to-know binds a force admin", () => {
  const TRAIL = `query($r: ID, $s: String) { kent { auditTrail(recordId: $r, sub: $s, first: 100) { nodes { seq operation records { id } detail } pageInfo { hasNextPage } } } }`;
  const EXPLAIN = `query($id: ID!) { kent { explainAccess(recordId: $id, as: { org: "ESSEX", roles: ["ANALYST"], clearance: SECRET, covert: false }) { read { level reason } search { level reason } } } }`;

  it("gives a low-clearance admin the same empty trail for a covert record as for a random id", async () => {
    const random = `KENT:identity:${randomUUID()}`;
    const hidden = await gql(stack.gatewayUrl, TRAIL, { token: lowAdmin(), variables: { r: covertIdentity.id } });
    const unknown = await gql(stack.gatewayUrl, TRAIL, { token: lowAdmin(), variables: { r: random } });
    expect(hidden.errors, hidden.raw).toBeUndefined();
    expect(shape(hidden, covertIdentity.id)).toEqual(shape(unknown, random));
    expect(hidden.raw).not.toContain(covertIdentity.id);
    // The auditor reads them.
    const full = await gql<{ kent: { auditTrail: { nodes: unknown[] } } }>(stack.gatewayUrl, TRAIL, { token: auditor(), variables: { r: covertIdentity.id } });
    expect(full.data!.kent.auditTrail.nodes.length).toBeGreaterThan(0);
  });

  it("leaves out of a principal's trail every event naming a record the admin may not read", async () => {
    const hidden = await gql(stack.gatewayUrl, TRAIL, { token: lowAdmin(), variables: { s: "officer@kent" } });
    expect(hidden.errors, hidden.raw).toBeUndefined();
    for (const secret of [covertIdentity.id, covertIdentity.handle, covertAssignment.id, secretNorfolk.id]) expect(hidden.raw).not.toContain(secret);
    const full = await gql(stack.gatewayUrl, TRAIL, { token: auditor(), variables: { s: "officer@kent" } });
    expect(full.raw).toContain(covertIdentity.id);
  });

  it("shows other orgs' record ids in audit details only to the auditor", async () => {
    const asAdmin = tokenFor({ org: "KENT", roles: ["FORCE_ADMIN"], clearance: "SECRET", covert: false, sub: "admin@kent" });
    const res = await gql(stack.gatewayUrl, TRAIL, { token: asAdmin, variables: { r: crossLink.id } });
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.raw).toContain(crossLink.id);
    expect(res.raw).not.toContain(secretNorfolk.id);
    const full = await gql(stack.gatewayUrl, TRAIL, { token: auditor(), variables: { r: crossLink.id } });
    expect(full.raw).toContain(secretNorfolk.id);
  });

  it("explains nothing of a record the admin may not read: the answer of a random id", async () => {
    const random = `KENT:identity:${randomUUID()}`;
    const hidden = await gql(stack.gatewayUrl, EXPLAIN, { token: lowAdmin(), variables: { id: covertIdentity.id } });
    const unknown = await gql(stack.gatewayUrl, EXPLAIN, { token: lowAdmin(), variables: { id: random } });
    expect(hidden.errors, hidden.raw).toBeUndefined();
    expect(shape(hidden, covertIdentity.id)).toEqual(shape(unknown, random));
    expect((hidden.data as { kent: { explainAccess: unknown } }).kent.explainAccess).toBeNull();
    const full = await gql<{ kent: { explainAccess: { read: { level: string } } } }>(stack.gatewayUrl, EXPLAIN, {
      token: auditor(),
      variables: { id: covertIdentity.id },
    });
    expect(full.data!.kent.explainAccess.read.level).toBe("NONE");
  });
});

describe("a reference shows no id of a record its owner withholds", () => {
  it("does not let a client select a reference's key at all", async () => {
    const res = await gql(stack.gatewayUrl, `query($id: ID!) { kent { link(id: $id) { toIdentity { id } } } }`, {
      token: essexAnalyst(),
      variables: { id: crossLink.id },
    });
    expect(codes(res)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(res.raw).not.toContain(secretNorfolk.id);
  });

  it("shows a partner the link, with the far end NORFOLK withholds as null, on every path", async () => {
    const queries = [
      [`query($id: ID!) { kent { link(id: $id) { id toIdentity { identity { id } } } } }`, { id: crossLink.id }],
      [`query($id: ID!) { suspectLink(id: $id) { id ... on SuspectLink { toIdentity { identity { id } } } } }`, { id: crossLink.id }],
      [`{ kent { links(first: 100) { nodes { id toIdentity { identity { id } } } } } }`, {}],
    ] as const;
    for (const [query, variables] of queries) {
      const res = await gql(stack.gatewayUrl, query, { token: essexAnalyst(), variables });
      expect(res.errors, res.raw).toBeUndefined();
      expect(res.raw).toContain(crossLink.id);
      expect(res.raw).not.toContain(secretNorfolk.id);
      expect(res.raw).toContain(`"toIdentity":{"identity":null}`);
    }
    // NORFOLK's own analyst, whom NORFOLK lets read the end, is shown it.
    const owner = await gql(stack.gatewayUrl, queries[0][0], {
      token: tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "SECRET" }),
      variables: queries[0][1],
    });
    expect(owner.errors, owner.raw).toBeUndefined();
    expect(owner.raw).toContain(secretNorfolk.id);
  });

  it("seals the key of every reference, so a caller of _entities signed as the gateway reads no id either", async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on KentSuspectLink { id from { id } toIdentity { id } } } }`;
    const res = await gql<{ _entities: { from: { id: string }; toIdentity: { id: string } }[] }>(stack.forceUrls.KENT!, query, {
      token: essexAnalyst(),
      variables: { r: [{ __typename: "KentSuspectLink", id: crossLink.id }] },
      asGateway: "kent",
    });
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.raw).not.toContain(secretNorfolk.id);
    expect(res.raw).not.toContain(secretNorfolk.id.split(":")[2]);
    const [link] = res.data!._entities;
    expect(link!.toIdentity.id).toMatch(/^ref\.KENT\./);
    // Two reads seal it differently: references cannot be matched across answers.
    const again = await gql<{ _entities: { toIdentity: { id: string } }[] }>(stack.forceUrls.KENT!, query, {
      token: essexAnalyst(),
      variables: { r: [{ __typename: "KentSuspectLink", id: crossLink.id }] },
      asGateway: "kent",
    });
    expect(again.data!._entities[0]!.toIdentity.id).not.toBe(link!.toIdentity.id);
  });

  it("answers a forged or replayed-from-elsewhere reference with no record", async () => {
    const forged = [`ref.KENT.${"A".repeat(60)}`, secretNorfolk.id, "ref.NORFOLK.x"];
    const res = await gql<{ _entities: ({ identity: unknown } | null)[] }>(
      stack.hubUrl,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on IdentityRef { identity { id } } } }`,
      {
        token: tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "SECRET" }),
        variables: { r: forged.map((id) => ({ __typename: "IdentityRef", id })) },
        asGateway: "hub",
      },
    );
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!._entities.map((e) => e?.identity ?? null)).toEqual([null, null, null]);
  });
});

describe("a writer records only what it may read", () => {
  const RECORD = `mutation($input: RecordOnlineIdentityInput!) { kent { recordOnlineIdentity(input: $input) { id handle } } }`;
  const count = async (handle: string) =>
    Number((await sql<{ n: string }>(stack.databases.KENT!.ownerUrl, "SELECT count(*)::text AS n FROM online_identity WHERE handle = $1", [handle]))[0]!.n);

  it.each([
    [
      "a classification above its clearance",
      { classification: "SECRET" },
      "input.markings.classification",
      () => tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "OFFICIAL", covert: true }),
    ],
    ["a covert record without the covert claim", { covert: true }, "input.markings.covert", plainOfficer],
  ] as const)("refuses %s, naming the field, and writes nothing", async (_name, mark, field, token) => {
    const handle = `ceiling_${tag()}`;
    const res = await gql(stack.gatewayUrl, RECORD, {
      token: token(),
      variables: {
        input: {
          platform: "DISCORD",
          handle,
          status: "SUSPECT",
          markings: { classification: "OFFICIAL", source: "UNTESTED", assessment: "C", handling: "P", ...mark },
        },
      },
    });
    expect(codes(res), res.raw).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0]!.extensions!.field).toBe(field);
    expect(await count(handle)).toBe(0);
  });
});

describe("one read pipeline per force", () => {
  it("decides and audits each record of a link graph once per request, though the hub and the gateway both ask", async () => {
    const res = await gql<{ linkGraph: { nodes: { id: string }[]; edges: { id: string }[] } }>(
      stack.gatewayUrl,
      `query($id: ID!) { linkGraph(rootId: $id, depth: 1) { nodes { id ... on OnlineIdentity { handle } } edges { id ... on SuspectLink { rationale } } } }`,
      { token: tokenFor({ org: "NORFOLK", roles: ["ANALYST"], clearance: "SECRET" }), variables: { id: kentEnd.id } },
    );
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!.linkGraph.nodes.map((n) => n.id).sort()).toEqual([kentEnd.id, secretNorfolk.id].sort());
    expect(res.data!.linkGraph.edges.map((e) => e.id)).toEqual([crossLink.id]);
    for (const [org, ids] of [
      ["KENT", [kentEnd.id, crossLink.id]],
      ["NORFOLK", [secretNorfolk.id]],
    ] as const) {
      const events = await sql<{ record_ids: string[] }>(stack.databases[org]!.ownerUrl, "SELECT record_ids FROM audit_event WHERE request_id = $1", [
        res.requestId,
      ]);
      for (const id of ids)
        expect(
          events.flatMap((e) => e.record_ids).filter((x) => x === id),
          `${id} audited once at ${org}`,
        ).toHaveLength(1);
    }
  });
});
