/**
 * Existence oracles: every field of the API that takes an id, read or write, is asked with
 * the id of a record the caller may not know of and with a random id of the same shape. The
 * two answers must be identical (data, error codes, messages, paths) once the two ids are
 * blanked out. The list of fields is checked against the schema, so a new field that takes
 * an id fails here until it is covered.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, isInputObjectType, isListType, isNonNullType, isObjectType, type GraphQLInputType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, sql, startTestStack, tokenFor, type GqlResult, type TestStack } from "@interforce/testkit";
import { indexed, linkIdentities, outboxDrained, recordIdentity, type Seeded } from "./support.js";

let stack: TestStack;

const plainOfficer = () => tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "OFFICIAL", covert: false, sub: "officer.plain@kent" });
const lowAdmin = () => tokenFor({ org: "KENT", roles: ["FORCE_ADMIN"], clearance: "OFFICIAL", covert: false, sub: "admin.low@kent" });
const kentAnalyst = () => tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "SECRET", covert: false, sub: "analyst.plain@kent" });
const essexAnalyst = () => tokenFor({ org: "ESSEX", roles: ["ANALYST"], clearance: "SECRET", covert: false, sub: "analyst@essex" });
const covertOfficer = () => tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "SECRET", covert: true, sub: "officer.covert@kent" });

const hidden: Record<string, string> = {};
const lead = { name: "DS Hidden Lead", email: "hidden.lead@kent.police.example", phone: "07700 900777" };
const M = { classification: "OFFICIAL", source: "UNTESTED", assessment: "C", handling: "P" };

beforeAll(async () => {
  stack = await startTestStack();
  const secretCovert = { covert: true, classification: "SECRET" };
  const handle = `oracle_${randomUUID().slice(0, 8)}`;
  const identity: Seeded = await recordIdentity(stack, "KENT", secretCovert, { status: "DECOY", handle });
  hidden.identity = identity.id;
  const other = await recordIdentity(stack, "KENT", secretCovert, { status: "DECOY" });
  hidden.link = (await linkIdentities(stack, "KENT", identity.id, other.id, secretCovert)).id;
  const forum = await gql<{ kent: { recordForum: { id: string } } }>(
    stack.gatewayUrl,
    `mutation($i: RecordForumInput!) { kent { recordForum(input: $i) { id } } }`,
    {
      token: covertOfficer(),
      variables: { i: { platform: "DISCORD", name: "hidden forum", kind: "CHAT_ROOM", riskLevel: "HIGH", markings: { ...M, ...secretCovert } } },
    },
  );
  hidden.forum = forum.data!.kent.recordForum.id;
  const assigned = await gql<{ kent: { assignMonitoring: { id: string } } }>(
    stack.gatewayUrl,
    `mutation($i: AssignMonitoringInput!) { kent { assignMonitoring(input: $i) { id } } }`,
    {
      token: covertOfficer(),
      variables: { i: { forumId: hidden.forum, covert: true, classification: "SECRET", leadOfficer: lead } },
    },
  );
  hidden.monitoring = assigned.data!.kent.assignMonitoring.id;
  // An agreement that does not name ESSEX.
  const ag = await gql<{ createAgreement: { id: string } }>(
    stack.gatewayUrl,
    `mutation { createAgreement(input: { name: "KENT and NORFOLK only", members: ["KENT", "NORFOLK"], kinds: [IDENTITY], maxClassification: OFFICIAL, validFrom: "2099-01-01T00:00:00Z" }) { id } }`,
    { token: tokenFor({ org: "CEOP", roles: ["POLICY_ADMIN"] }) },
  );
  hidden.agreement = ag.data!.createAgreement.id;
  // An access request for a KENT record the low-clearance admin may not read (SECRET, shared only with CEOP).
  const asked = await recordIdentity(stack, "KENT", { classification: "SECRET", handling: "C", conditions: "CEOP only", conditionsOrgs: ["CEOP"] });
  await indexed(stack, [asked.id, identity.id]);
  const req = await gql<{ requestAccess: { id: string } }>(
    stack.gatewayUrl,
    `mutation($id: ID!) { requestAccess(recordId: $id, purpose: "Op Oracle") { id } }`,
    {
      token: essexAnalyst(),
      variables: { id: asked.id },
    },
  );
  expect(req.errors, req.raw).toBeUndefined();
  hidden.request = req.data!.requestAccess.id;
  // A deconfliction alert on KENT's covert record, which a KENT analyst without the claim may not see.
  await recordIdentity(stack, "NORFOLK", {}, { handle });
  await outboxDrained(stack);
  const [alert] = await sql<{ id: string }>(stack.databases.HUB!.ownerUrl, "SELECT id FROM deconfliction_alert WHERE holder_record_id = $1", [identity.id]);
  expect(alert, "the alert was raised").toBeDefined();
  hidden.alert = alert!.id;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const uuidOf = (id: string) => id.split(":").at(-1)!;
/** A random id of the same shape as `id`. */
const randomLike = (id: string) => (id.includes(":") ? id.replace(uuidOf(id), randomUUID()) : randomUUID());
const blank = (r: GqlResult, id: string) =>
  JSON.parse(
    JSON.stringify({
      data: r.data ?? null,
      errors: (r.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code, field: e.extensions?.field, path: e.path })),
    })
      .replaceAll(id, "ID")
      .replaceAll(uuidOf(id), "UUID"),
  );

interface Case {
  field: string;
  who: () => string;
  target: string;
  query: string;
  vars: (id: string) => Record<string, unknown>;
  url?: () => string;
  asGateway?: string;
}

const CASES: Case[] = [
  {
    field: "Query.identity",
    who: essexAnalyst,
    target: "identity",
    query: `query($id: ID!) { identity(id: $id) { id ... on OnlineIdentity { handle } } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "Query.forum",
    who: essexAnalyst,
    target: "forum",
    query: `query($id: ID!) { forum(id: $id) { id ... on Forum { name monitoring { nodes { id } } } } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "Query.suspectLink",
    who: essexAnalyst,
    target: "link",
    query: `query($id: ID!) { suspectLink(id: $id) { id ... on SuspectLink { rationale } } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "Query.linkGraph",
    who: essexAnalyst,
    target: "identity",
    query: `query($id: ID!) { linkGraph(rootId: $id) { root { id } nodes { id } edges { id } truncated } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "Query.agreement",
    who: essexAnalyst,
    target: "agreement",
    query: `query($id: ID!) { agreement(id: $id) { id name members } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "OrgQuery.identity",
    who: plainOfficer,
    target: "identity",
    query: `query($id: ID!) { kent { identity(id: $id) { id handle } } }`,
    vars: (id) => ({ id }),
  },
  { field: "OrgQuery.forum", who: plainOfficer, target: "forum", query: `query($id: ID!) { kent { forum(id: $id) { id name } } }`, vars: (id) => ({ id }) },
  { field: "OrgQuery.link", who: plainOfficer, target: "link", query: `query($id: ID!) { kent { link(id: $id) { id rationale } } }`, vars: (id) => ({ id }) },
  {
    field: "OrgQuery.explainAccess",
    who: lowAdmin,
    target: "identity",
    query: `query($id: ID!) { kent { explainAccess(recordId: $id, as: { org: "ESSEX", roles: ["ANALYST"], clearance: SECRET }) { read { level reason } } } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "OrgQuery.auditTrail",
    who: lowAdmin,
    target: "identity",
    query: `query($id: ID!) { kent { auditTrail(recordId: $id) { nodes { operation } pageInfo { hasNextPage } } } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "OrgQuery.monitoringAssignments",
    who: plainOfficer,
    target: "forum",
    query: `query($id: ID!) { kent { monitoringAssignments(forumId: $id) { nodes { id } pageInfo { hasNextPage } } } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "Mutation.requestAccess",
    who: essexAnalyst,
    target: "identity",
    query: `mutation($id: ID!) { requestAccess(recordId: $id, purpose: "probe") { id } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "Mutation.decideAccessRequest",
    who: lowAdmin,
    target: "request",
    query: `mutation($id: ID!) { decideAccessRequest(id: $id, decision: DECLINE) { id recordId } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "Mutation.acknowledgeDeconflictionAlert",
    who: kentAnalyst,
    target: "alert",
    query: `mutation($id: ID!) { acknowledgeDeconflictionAlert(id: $id) { id yourRecordId } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "OrgMutation.reclassifyRecord",
    who: plainOfficer,
    target: "identity",
    query: `mutation($id: ID!) { kent { reclassifyRecord(id: $id, classification: OFFICIAL, reason: "probe") { id } } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "OrgMutation.reviewRecord",
    who: plainOfficer,
    target: "identity",
    query: `mutation($id: ID!) { kent { reviewRecord(id: $id, decision: DELETE, reason: "probe") { id } } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "OrgMutation.setForumRiskLevel",
    who: plainOfficer,
    target: "forum",
    query: `mutation($id: ID!) { kent { setForumRiskLevel(id: $id, riskLevel: LOW) { id } } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "OrgMutation.endMonitoring",
    who: plainOfficer,
    target: "monitoring",
    query: `mutation($id: ID!) { kent { endMonitoring(id: $id, at: "2000-06-01T00:00:00Z") { id } } }`,
    vars: (id) => ({ id }),
  },
  {
    field: "OrgMutation.assignMonitoring",
    who: plainOfficer,
    target: "forum",
    query: `mutation($i: AssignMonitoringInput!) { kent { assignMonitoring(input: $i) { id } } }`,
    vars: (id) => ({ i: { forumId: id, covert: false, leadOfficer: lead } }),
  },
  {
    field: "OrgMutation.linkIdentities",
    who: plainOfficer,
    target: "identity",
    query: `mutation($i: LinkIdentitiesInput!) { kent { linkIdentities(input: $i) { id } } }`,
    vars: (id) => ({ i: { fromId: id, toIdentityId: `NORFOLK:identity:${randomUUID()}`, linkType: "SAME_PERSON", markings: M } }),
  },
  {
    field: "OrgMutation.recordSighting",
    who: plainOfficer,
    target: "identity",
    query: `mutation($i: RecordSightingInput!) { kent { recordSighting(input: $i) { id } } }`,
    vars: (id) => ({ i: { identityId: id, seenAt: "2025-01-01T00:00:00Z" } }),
  },
  {
    field: "_entities",
    who: essexAnalyst,
    target: "identity",
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on KentOnlineIdentity { id handle } } }`,
    vars: (id) => ({ r: [{ __typename: "KentOnlineIdentity", id }] }),
    url: () => stack.forceUrls.KENT!,
    asGateway: "kent",
  },
];

/** Entry fields whose ids name nothing a caller could be hidden from (the caller's own input, or everything visible to their role). */
const NOTHING_HIDDEN = new Set(["Mutation.amendAgreement", "Mutation.suspendAgreement", "Mutation.reinstateAgreement", "Mutation.revokeAgreement"]);

describe("existence oracles", () => {
  it("covers every entry field that takes an id (directly or in its input)", () => {
    const schema = buildSchema(readFileSync(join(import.meta.dirname, "..", "..", "schema", "supergraph.graphql"), "utf8"), { assumeValidSDL: true });
    const named = (t: GraphQLInputType): GraphQLInputType => (isNonNullType(t) || isListType(t) ? named(t.ofType as GraphQLInputType) : t);
    const takesId = (t: GraphQLInputType, depth = 0): boolean => {
      const n = named(t);
      if (String(n) === "ID") return true;
      return depth < 2 && isInputObjectType(n) && Object.values(n.getFields()).some((f) => takesId(f.type, depth + 1));
    };
    const fields: string[] = [];
    for (const [type, key] of [
      ["Query", "Query"],
      ["Mutation", "Mutation"],
      ["KentQuery", "OrgQuery"],
      ["KentMutation", "OrgMutation"],
    ] as const) {
      const t = schema.getType(type);
      if (!isObjectType(t)) continue;
      for (const f of Object.values(t.getFields())) if (f.args.some((a) => takesId(a.type))) fields.push(`${key}.${f.name}`);
    }
    const covered = new Set(CASES.map((c) => c.field));
    expect(fields.filter((f) => !covered.has(f) && !NOTHING_HIDDEN.has(f))).toEqual([]);
  });

  it.each(CASES.map((c) => [c.field, c] as const))("answers %s for a hidden id exactly as for a random one", async (_f, c) => {
    const id = hidden[c.target]!;
    const random = randomLike(id);
    const ask = (x: string) => gql(c.url?.() ?? stack.gatewayUrl, c.query, { token: c.who(), variables: c.vars(x), asGateway: c.asGateway });
    const [a, b] = [await ask(id), await ask(random)];
    expect(blank(a, id), a.raw).toEqual(blank(b, random));
    expect(a.raw).not.toContain(lead.name);
    // The hidden record is untouched by any write that was tried.
  });

  it.each(["Query.identity", "Query.forum", "Query.suspectLink"])(
    "answers %s for a hidden or an unknown id with plain null: no error, no extensions, nothing else",
    async (field) => {
      const c = CASES.find((x) => x.field === field)!;
      const name = field.split(".")[1]!;
      for (const id of [hidden[c.target]!, randomLike(hidden[c.target]!)]) {
        const res = await gql(stack.gatewayUrl, c.query, { token: c.who(), variables: c.vars(id) });
        expect(JSON.parse(res.raw), res.raw).toEqual({ data: { [name]: null } });
      }
    },
  );

  it("left every hidden record as it was", async () => {
    const kent = stack.databases.KENT!.ownerUrl;
    const [id] = await sql<{ classification: string }>(kent, "SELECT classification FROM online_identity WHERE id = $1", [uuidOf(hidden.identity!)]);
    expect(id).toEqual({ classification: "SECRET" });
    const [f] = await sql<{ risk_level: string }>(kent, "SELECT risk_level FROM forum WHERE id = $1", [uuidOf(hidden.forum!)]);
    expect(f).toEqual({ risk_level: "HIGH" });
    const [m] = await sql<{ valid_to: Date | null }>(kent, "SELECT valid_to FROM monitoring_assignment WHERE id = $1", [uuidOf(hidden.monitoring!)]);
    expect(m).toEqual({ valid_to: null });
    const [r] = await sql<{ status: string }>(stack.databases.HUB!.ownerUrl, "SELECT status FROM access_request WHERE id = $1", [hidden.request]);
    expect(r).toEqual({ status: "PENDING" });
    const sightings = await sql(kent, "SELECT 1 FROM sighting WHERE identity_id = $1", [hidden.identity]);
    expect(sightings).toEqual([]);
  });
});
