/**
 * Need to know inside the owning force: a covert decoy or a record above a principal's
 * clearance reaches no one of the owning force who may not read it, nor anyone of another
 * org — not through a write's answer, not by changing or erasing it, not by linking from
 * it, and not through the ids a link shows of its ends. Every check goes through the
 * gateway (and `_entities` called as the gateway would), against a real stack.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, identityInput, markings, RECORD_IDENTITY, sql, startTestStack, tokenFor, type GqlResult, type TestStack } from "@interforce/testkit";
import { codes, expectNothingWritten, recordIdentity, type Seeded } from "./support.js";

let stack: TestStack;

/** A KENT officer cleared OFFICIAL, without the covert claim. */
const uncleared = () => tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "OFFICIAL", covert: false, sub: "officer.official@kent" });
/** A KENT officer cleared SECRET, with the covert claim. */
const cleared = () => tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "SECRET", covert: true, sub: "officer.covert@kent" });
const kentAnalyst = () => tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", sub: "analyst@kent" });
const ceopAnalyst = () => tokenFor({ org: "CEOP", roles: ["ANALYST"], clearance: "SECRET", sub: "analyst@ceop" });

const kentUrl = () => stack.databases.KENT!.ownerUrl;
const uuidOf = (id: string) => id.split(":")[2]!;
const tag = () => Math.random().toString(36).slice(2, 10);

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

interface SeededForum {
  id: string;
  name: string;
  riskSummary: string;
}

async function recordForum(mark: Record<string, unknown>): Promise<SeededForum> {
  const name = `FORUM-${tag()}`;
  const riskSummary = `RISK-${tag()}`;
  const res = await gql<{ kent: { recordForum: { id: string } } }>(
    stack.gatewayUrl,
    `mutation($input: RecordForumInput!) { kent { recordForum(input: $input) { id } } }`,
    { token: cleared(), variables: { input: { platform: "DISCORD", name, riskSummary, kind: "CHAT_ROOM", markings: markings(mark) } } },
  );
  expect(res.errors, res.raw).toBeUndefined();
  return { id: res.data!.kent.recordForum.id, name, riskSummary };
}

const decoy = () => recordIdentity(stack, "KENT", { covert: true }, { status: "DECOY" });
const secret = () => recordIdentity(stack, "KENT", { classification: "SECRET" });

/** A row of KENT's database as it stands, to show a refused write changed nothing. */
async function rowOf(table: string, id: string) {
  const [row] = await sql(kentUrl(), `SELECT * FROM ${table} WHERE id = $1`, [uuidOf(id)]);
  return row;
}

/** What a client can tell of an error answer: the data, and each error's code, message and field. */
const shape = (r: GqlResult) => ({
  data: r.data ?? null,
  errors: (r.errors ?? []).map((e) => ({ code: e.extensions?.code, message: e.message, field: e.extensions?.field ?? null })),
});

/** KENT's audit events of one request that name a record. */
async function refusalsFor(requestId: string) {
  return sql<{ operation: string; action: string; record_ids: string[]; levels: string[]; reasons: string[] }>(
    kentUrl(),
    "SELECT operation, action, record_ids, levels, reasons FROM audit_event WHERE request_id = $1 AND cardinality(record_ids) > 0 ORDER BY seq",
    [requestId],
  );
}

/**
 * Sends the write for a hidden id and for an id that names nothing: the two answers must
 * be the same, carry nothing of the record, write nothing, and the hidden one is audited.
 */
async function expectRefusedAsUnknown(opts: {
  query: string;
  hiddenId: string;
  unknownId: string;
  table: string;
  operation: string;
  secrets: string[];
  code: string;
  vars?: (id: string) => Record<string, unknown>;
}) {
  const vars = opts.vars ?? ((id: string) => ({ id }));
  const before = await rowOf(opts.table, opts.hiddenId);
  expect(before, "the record exists").toBeDefined();
  const hidden = await expectNothingWritten(stack, () => gql(stack.gatewayUrl, opts.query, { token: uncleared(), variables: vars(opts.hiddenId) }));
  const unknown = await gql(stack.gatewayUrl, opts.query, { token: uncleared(), variables: vars(opts.unknownId) });
  expect(codes(hidden), hidden.raw).toEqual([opts.code]);
  expect(JSON.parse(JSON.stringify(shape(hidden)).replaceAll(opts.hiddenId, "ID"))).toEqual(
    JSON.parse(JSON.stringify(shape(unknown)).replaceAll(opts.unknownId, "ID")),
  );
  for (const s of opts.secrets) expect(hidden.raw, `answer disclosed ${s}`).not.toContain(s);
  expect(await rowOf(opts.table, opts.hiddenId)).toEqual(before);
  const events = await refusalsFor(hidden.requestId);
  expect(events).toEqual([expect.objectContaining({ operation: opts.operation, action: "CONSULTATION", record_ids: [opts.hiddenId], levels: ["NONE"] })]);
  expect(await refusalsFor(unknown.requestId)).toEqual([]);
}

// ---------------------------------------------------------------------------------------
// 1. Writes name only records the writer may read in full
// ---------------------------------------------------------------------------------------

describe("a write names only a record its writer may read in full", () => {
  const RECLASSIFY = `mutation($id: ID!, $c: Classification!) { kent { reclassifyRecord(id: $id, classification: $c, reason: "sanitised") {
    id classification ... on OnlineIdentity { handle notes displayName } } } }`;
  const RETAIN = `mutation($id: ID!, $d: DateTimeISO) { kent { reviewRecord(id: $id, decision: RETAIN, nextReviewDue: $d, reason: "still active") {
    id reviewDue ... on OnlineIdentity { handle notes displayName } } } }`;
  const ERASE = `mutation($id: ID!) { kent { reviewRecord(id: $id, decision: DELETE, reason: "no longer necessary") { id } } }`;
  const RISK = `mutation($id: ID!) { kent { setForumRiskLevel(id: $id, riskLevel: HIGH, reason: "escalated") { id name riskSummary riskLevel } } }`;
  const LINK = `mutation($input: LinkIdentitiesInput!) { kent { linkIdentities(input: $input) { id rationale from { identity { id } } toIdentity { identity { id } } } } }`;
  const nextYear = () => new Date(Date.now() + 365 * 86400_000).toISOString();

  let targets: { name: string; record: Seeded; to: string }[];
  let forums: { name: string; forum: SeededForum }[];
  let visible: Seeded;

  beforeAll(async () => {
    targets = [
      { name: "a covert decoy", record: await decoy(), to: "OFFICIAL_SENSITIVE" },
      { name: "a SECRET record", record: await secret(), to: "OFFICIAL" },
    ];
    forums = [
      { name: "a covert forum", forum: await recordForum({ covert: true }) },
      { name: "a SECRET forum", forum: await recordForum({ classification: "SECRET" }) },
    ];
    visible = await recordIdentity(stack, "KENT");
  });

  it("answers reclassifyRecord, reviewRecord (RETAIN and DELETE) on a hidden record exactly as on an id that names nothing, changes nothing, and audits the refusal", async () => {
    for (const { name, record, to } of targets) {
      const common = {
        hiddenId: record.id,
        unknownId: `KENT:identity:${randomUUID()}`,
        table: "online_identity",
        secrets: [record.handle, record.notes],
        code: "NOT_FOUND",
      };
      await expectRefusedAsUnknown({ ...common, query: RECLASSIFY, operation: "reclassifyRecord", vars: (id) => ({ id, c: to }) });
      await expectRefusedAsUnknown({ ...common, query: RETAIN, operation: "reviewRecord", vars: (id) => ({ id, d: nextYear() }) });
      await expectRefusedAsUnknown({ ...common, query: ERASE, operation: "reviewRecord" });
      expect(await rowOf("online_identity", record.id), name).toBeDefined();
    }
  });

  it("answers setForumRiskLevel on a hidden forum exactly as on an id that names nothing, and changes nothing", async () => {
    for (const { forum } of forums) {
      await expectRefusedAsUnknown({
        query: RISK,
        hiddenId: forum.id,
        unknownId: `KENT:forum:${randomUUID()}`,
        table: "forum",
        operation: "setForumRiskLevel",
        secrets: [forum.name, forum.riskSummary],
        code: "NOT_FOUND",
      });
    }
  });

  it("answers a link from or to a hidden record exactly as one naming an identity that does not exist, and writes nothing", async () => {
    for (const { record } of targets) {
      // Markings the uncleared writer may hold (the write ceiling is checked first, on the input
      // alone); the hidden end is then refused before its own markings set any floor.
      const mark = markings({});
      const common = {
        unknownId: `KENT:identity:${randomUUID()}`,
        table: "online_identity",
        secrets: [record.handle, record.notes],
        code: "BAD_USER_INPUT",
        operation: "linkIdentities",
      };
      await expectRefusedAsUnknown({
        ...common,
        query: LINK,
        hiddenId: record.id,
        vars: (id) => ({ input: { fromId: id, toIdentityId: visible.id, linkType: "SAME_PERSON", rationale: "probe", markings: mark } }),
      });
      await expectRefusedAsUnknown({
        ...common,
        query: LINK,
        hiddenId: record.id,
        vars: (id) => ({ input: { fromId: visible.id, toIdentityId: id, linkType: "SAME_PERSON", rationale: "probe", markings: mark } }),
      });
    }
  });

  it("still lets the same officer change a record it may read", async () => {
    const res = await gql<{ kent: { reclassifyRecord: { classification: string; handle: string } } }>(stack.gatewayUrl, RECLASSIFY, {
      token: uncleared(),
      variables: { id: visible.id, c: "OFFICIAL" },
    });
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!.kent.reclassifyRecord).toMatchObject({ classification: "OFFICIAL", handle: visible.handle });
  });

  it("lets a covert-cleared SECRET officer link, reclassify, retain, set the risk of and erase the same records", async () => {
    for (const { record, to } of targets) {
      const link = await gql<{ kent: { linkIdentities: { id: string } } }>(stack.gatewayUrl, LINK, {
        token: cleared(),
        variables: {
          input: {
            fromId: record.id,
            toIdentityId: visible.id,
            linkType: "SAME_PERSON",
            rationale: "cleared",
            markings: markings({ covert: true, classification: "SECRET" }),
          },
        },
      });
      expect(link.errors, link.raw).toBeUndefined();
      const re = await gql<{ kent: { reclassifyRecord: { classification: string; handle: string } } }>(stack.gatewayUrl, RECLASSIFY, {
        token: cleared(),
        variables: { id: record.id, c: to },
      });
      expect(re.errors, re.raw).toBeUndefined();
      expect(re.data!.kent.reclassifyRecord).toMatchObject({ classification: to, handle: record.handle });
      const retain = await gql<{ kent: { reviewRecord: { handle: string } } }>(stack.gatewayUrl, RETAIN, {
        token: cleared(),
        variables: { id: record.id, d: nextYear() },
      });
      expect(retain.errors, retain.raw).toBeUndefined();
      expect(retain.data!.kent.reviewRecord.handle).toBe(record.handle);
      const erase = await gql<{ kent: { reviewRecord: null } }>(stack.gatewayUrl, ERASE, { token: cleared(), variables: { id: record.id } });
      expect(erase.errors, erase.raw).toBeUndefined();
      expect(erase.data!.kent.reviewRecord).toBeNull();
      expect(await rowOf("online_identity", record.id)).toBeUndefined();
    }
    for (const { forum } of forums) {
      const res = await gql<{ kent: { setForumRiskLevel: { riskLevel: string; name: string } } }>(stack.gatewayUrl, RISK, {
        token: cleared(),
        variables: { id: forum.id },
      });
      expect(res.errors, res.raw).toBeUndefined();
      expect(res.data!.kent.setForumRiskLevel).toMatchObject({ riskLevel: "HIGH", name: forum.name });
      expect((await rowOf("forum", forum.id))!.risk_level).toBe("HIGH");
    }
  });
});

// ---------------------------------------------------------------------------------------
// 2. A decoy is covert
// ---------------------------------------------------------------------------------------

describe("a DECOY is covert", () => {
  it("refuses a DECOY recorded without the covert marking, naming input.markings.covert, and writes nothing", async () => {
    for (const mark of [markings({ covert: false }), (({ covert: _c, ...rest }) => rest)(markings())]) {
      const res = await expectNothingWritten(stack, () =>
        gql(stack.gatewayUrl, RECORD_IDENTITY("kent"), { token: cleared(), variables: { input: identityInput({ status: "DECOY", markings: mark }) } }),
      );
      expect(codes(res), res.raw).toEqual(["BAD_USER_INPUT"]);
      expect(res.errors![0]!.extensions?.field).toBe("input.markings.covert");
    }
  });

  it("records a covert DECOY", async () => {
    const res = await gql(stack.gatewayUrl, RECORD_IDENTITY("kent"), {
      token: cleared(),
      variables: { input: identityInput({ status: "DECOY", markings: markings({ covert: true }) }) },
    });
    expect(res.errors, res.raw).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------
// 3. A link shows its ends' ids: no one who may not read an end of this org sees the link
// ---------------------------------------------------------------------------------------

const LINK_AS = (token: string, input: Record<string, unknown>) =>
  gql<{ kent: { linkIdentities: { id: string } } }>(
    stack.gatewayUrl,
    `mutation($input: LinkIdentitiesInput!) { kent { linkIdentities(input: $input) { id } } }`,
    {
      token,
      variables: { input: { linkType: "SAME_PERSON", rationale: `RATIONALE-${tag()}`, ...input } },
    },
  );

describe("a link is at least as covert and as highly classified as each of its ends of the owning org", () => {
  let visible: Seeded;
  let sensitive: Seeded;
  let hiddenSecret: Seeded;
  let hiddenDecoy: Seeded;
  let secretForum: SeededForum;
  let norfolkSecret: Seeded;

  beforeAll(async () => {
    visible = await recordIdentity(stack, "KENT");
    sensitive = await recordIdentity(stack, "KENT", { classification: "OFFICIAL_SENSITIVE" });
    hiddenSecret = await secret();
    hiddenDecoy = await decoy();
    secretForum = await recordForum({ classification: "SECRET" });
    norfolkSecret = await recordIdentity(stack, "NORFOLK", { classification: "SECRET" });
  });

  it("refuses, naming the marking, an OFFICIAL non-covert link to or from a more highly classified or covert end, and writes nothing", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["to a SECRET identity", { fromId: visible.id, toIdentityId: hiddenSecret.id, markings: markings() }, "input.markings.classification"],
      ["from a SECRET identity", { fromId: hiddenSecret.id, toIdentityId: visible.id, markings: markings() }, "input.markings.classification"],
      ["from an OFFICIAL_SENSITIVE identity", { fromId: sensitive.id, toIdentityId: visible.id, markings: markings() }, "input.markings.classification"],
      ["to a SECRET forum", { fromId: visible.id, toForumId: secretForum.id, linkType: "MEMBER_OF", markings: markings() }, "input.markings.classification"],
      ["to a covert decoy", { fromId: visible.id, toIdentityId: hiddenDecoy.id, markings: markings() }, "input.markings.covert"],
      [
        "to a covert decoy, SECRET but not covert",
        { fromId: visible.id, toIdentityId: hiddenDecoy.id, markings: markings({ classification: "SECRET" }) },
        "input.markings.covert",
      ],
      [
        "to a SECRET identity, covert but OFFICIAL",
        { fromId: visible.id, toIdentityId: hiddenSecret.id, markings: markings({ covert: true }) },
        "input.markings.classification",
      ],
    ];
    for (const [name, input, field] of cases) {
      const res = await expectNothingWritten(stack, () => LINK_AS(cleared(), input));
      expect(codes(res), `${name}: ${res.raw}`).toEqual(["BAD_USER_INPUT"]);
      expect(res.errors![0]!.extensions?.field, name).toBe(field);
    }
  });

  it("records a link marked at least as its ends, and leaves ends of other orgs to their owners", async () => {
    const ok: Record<string, unknown>[] = [
      { fromId: visible.id, toIdentityId: hiddenSecret.id, markings: markings({ classification: "SECRET" }) },
      { fromId: sensitive.id, toIdentityId: visible.id, markings: markings({ classification: "OFFICIAL_SENSITIVE" }) },
      { fromId: visible.id, toIdentityId: hiddenDecoy.id, markings: markings({ covert: true }) },
      { fromId: visible.id, toForumId: secretForum.id, linkType: "MEMBER_OF", markings: markings({ classification: "SECRET" }) },
      { fromId: visible.id, toIdentityId: norfolkSecret.id, markings: markings() },
    ];
    for (const input of ok) {
      const res = await LINK_AS(cleared(), input);
      expect(res.errors, res.raw).toBeUndefined();
    }
  });
});

describe("a link one of whose ends of the owning org the caller may not read is withheld", () => {
  let visible: Seeded;
  let other: Seeded;
  let hiddenSecret: Seeded;
  let hiddenDecoy: Seeded;
  let covertForum: SeededForum;
  let shared: string;
  /** Links recorded before the write rule: OFFICIAL, not covert, with a hidden end. */
  let legacy: { name: string; id: string; rationale: string }[];
  let hiddenTexts: string[];

  const readers = () =>
    [
      ["KENT analyst (OFFICIAL_SENSITIVE)", kentAnalyst()],
      ["CEOP analyst (SECRET)", ceopAnalyst()],
    ] as const;

  async function insertLegacy(name: string, end: { fromId: string; toIdentityId?: string; toForumId?: string }) {
    const uuid = randomUUID();
    const rationale = `LEGACY-${tag()}`;
    await sql(
      kentUrl(),
      `INSERT INTO suspect_link (id, from_id, to_identity_id, to_forum_id, link_type, rationale, classification, source_eval, assessment, handling, covert, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'OFFICIAL', '2', 'B', 'P', false, 'legacy@kent')`,
      [uuid, end.fromId, end.toIdentityId ?? null, end.toForumId ?? null, end.toForumId ? "MEMBER_OF" : "SAME_PERSON", rationale],
    );
    return { name, id: `KENT:link:${uuid}`, rationale };
  }

  beforeAll(async () => {
    visible = await recordIdentity(stack, "KENT");
    other = await recordIdentity(stack, "KENT");
    hiddenSecret = await secret();
    hiddenDecoy = await decoy();
    covertForum = await recordForum({ covert: true });
    const ok = await LINK_AS(cleared(), { fromId: visible.id, toIdentityId: other.id, markings: markings() });
    expect(ok.errors, ok.raw).toBeUndefined();
    shared = ok.data!.kent.linkIdentities.id;
    // The write rule refuses these now; rows written before it are still in the table.
    const refused = await LINK_AS(cleared(), { fromId: visible.id, toIdentityId: hiddenSecret.id, markings: markings() });
    expect(codes(refused)).toEqual(["BAD_USER_INPUT"]);
    legacy = [
      await insertLegacy("from a SECRET identity", { fromId: hiddenSecret.id, toIdentityId: visible.id }),
      await insertLegacy("to a SECRET identity", { fromId: visible.id, toIdentityId: hiddenSecret.id }),
      await insertLegacy("to a covert decoy", { fromId: visible.id, toIdentityId: hiddenDecoy.id }),
      await insertLegacy("to a covert forum", { fromId: visible.id, toForumId: covertForum.id }),
    ];
    hiddenTexts = [
      hiddenSecret.id,
      hiddenDecoy.id,
      covertForum.id,
      uuidOf(hiddenSecret.id),
      uuidOf(hiddenDecoy.id),
      uuidOf(covertForum.id),
      ...legacy.flatMap((l) => [uuidOf(l.id), l.rationale]),
    ];
  });

  const expectHidden = (res: GqlResult, what: string) => {
    expect(res.errors, `${what}: ${res.raw}`).toBeUndefined();
    for (const t of hiddenTexts) expect(res.raw, `${what} disclosed ${t}`).not.toContain(t);
  };

  it("is shown with its ends to the owner's covert-cleared SECRET officer", async () => {
    const res = await gql(
      stack.gatewayUrl,
      `{ kent { links(first: 100) { nodes { id from { identity { id } } toIdentity { identity { id } } toForum { forum { id } } } } } }`,
      { token: cleared() },
    );
    expect(res.errors, res.raw).toBeUndefined();
    for (const l of legacy) expect(res.raw, l.name).toContain(l.id);
    expect(res.raw).toContain(hiddenSecret.id);
    expect(res.raw).toContain(covertForum.id);
  });

  it("is absent from kent { links }, and not counted in hasNextPage", async () => {
    type Links = { kent: { links: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean } } } };
    const LIST = `query($n: Int!) { kent { links(first: $n) { nodes { id from { identity { id } } toIdentity { identity { id } } toForum { forum { id } } rationale } pageInfo { hasNextPage } } } }`;
    for (const [who, token] of readers()) {
      const all = await gql<Links>(stack.gatewayUrl, LIST, { token, variables: { n: 100 } });
      expectHidden(all, who);
      const ids = all.data!.kent.links.nodes.map((n) => n.id);
      expect(ids, who).toContain(shared);
      expect(all.data!.kent.links.pageInfo.hasNextPage, who).toBe(false);
      // The withheld links are the newest rows: a page just large enough for the rest is full and last.
      const exact = await gql<Links>(stack.gatewayUrl, LIST, { token, variables: { n: ids.length } });
      expectHidden(exact, who);
      expect(
        exact.data!.kent.links.nodes.map((n) => n.id),
        who,
      ).toEqual(ids);
      expect(exact.data!.kent.links.pageInfo.hasNextPage, who).toBe(false);
    }
  });

  it("is null from kent { link(id) }", async () => {
    for (const [who, token] of readers()) {
      for (const l of legacy) {
        const res = await gql<{ kent: { link: unknown } }>(
          stack.gatewayUrl,
          `query($id: ID!) { kent { link(id: $id) { id from { identity { id } } toIdentity { identity { id } } toForum { forum { id } } rationale } } }`,
          {
            token,
            variables: { id: l.id },
          },
        );
        expectHidden(res, `${who} ${l.name}`);
        expect(res.data!.kent.link, `${who} ${l.name}`).toBeNull();
      }
      const ok = await gql<{ kent: { link: { id: string } | null } }>(stack.gatewayUrl, `query($id: ID!) { kent { link(id: $id) { id } } }`, {
        token,
        variables: { id: shared },
      });
      expect(ok.data!.kent.link, who).toEqual({ id: shared });
    }
  });

  it("is absent from the links of an identity, through the force's namespace and through the hub", async () => {
    const QUERIES = [
      `query($id: ID!) { kent { identity(id: $id) { id links(first: 100) { nodes { id from { identity { id } } toIdentity { identity { id } } toForum { forum { id } } rationale } } } } }`,
      `query($id: ID!) { identity(id: $id) { id ... on OnlineIdentity { links(first: 100) { nodes { id from { identity { id } } toIdentity { identity { id } } toForum { forum { id } } rationale } } } } }`,
    ];
    for (const [who, token] of readers()) {
      for (const q of QUERIES) {
        const res = await gql(stack.gatewayUrl, q, { token, variables: { id: visible.id } });
        expectHidden(res, who);
        expect(res.raw, who).toContain(shared);
      }
    }
  });

  it("is null from _entities called as the gateway would", async () => {
    const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on KentSuspectLink { id from { id } toIdentity { id } toForum { id } rationale } } }`;
    const reps = [...legacy.map((l) => l.id), shared].map((id) => ({ __typename: "KentSuspectLink", id }));
    for (const [who, token] of readers()) {
      const res = await gql<{ _entities: ({ id: string } | null)[] }>(stack.forceUrls.KENT!, ENTITIES, { token, asGateway: "kent", variables: { r: reps } });
      expectHidden(res, who);
      expect(res.data!._entities.slice(0, legacy.length), who).toEqual(legacy.map(() => null));
      expect(res.data!._entities[legacy.length], who).toMatchObject({ id: shared });
    }
  });

  it("cannot be changed or reviewed by an officer who may read the link's markings but not its end", async () => {
    const l = legacy.find((x) => x.name === "to a SECRET identity")!;
    await expectRefusedAsUnknown({
      query: `mutation($id: ID!) { kent { reclassifyRecord(id: $id, classification: OFFICIAL, reason: "probe") { id ... on SuspectLink { from { identity { id } } toIdentity { identity { id } } rationale } } } }`,
      hiddenId: l.id,
      unknownId: `KENT:link:${randomUUID()}`,
      table: "suspect_link",
      operation: "reclassifyRecord",
      secrets: [hiddenSecret.id, l.rationale],
      code: "NOT_FOUND",
    });
  });
});

describe("monitoring a forum of the owning force", () => {
  const ASSIGN = `mutation($input: AssignMonitoringInput!) { kent { assignMonitoring(input: $input) { id covert forum { forum { id } } } } }`;
  const lead = { name: "DS Lead", email: "lead@kent.police.example", phone: "01632 960001" };
  const assignments = async (forumId: string) =>
    Number((await sql<{ n: string }>(kentUrl(), "SELECT count(*)::text AS n FROM monitoring_assignment WHERE forum_id = $1", [forumId]))[0]!.n);

  it("answers an assignment on a forum the officer may not read exactly as on a forum that does not exist, and writes nothing", async () => {
    const hidden = await recordForum({ classification: "SECRET" });
    const missing = `KENT:forum:${randomUUID()}`;
    const [onHidden, onMissing] = await Promise.all(
      [hidden.id, missing].map((forumId) =>
        gql(stack.gatewayUrl, ASSIGN, { token: uncleared(), variables: { input: { forumId, covert: true, leadOfficer: lead } } }),
      ),
    );
    expect(codes(onHidden)).toEqual(codes(onMissing));
    expect(onHidden.errors![0]!.message).toBe(onMissing.errors![0]!.message.replace(missing, hidden.id));
    expect(onHidden.raw).not.toContain(hidden.name);
    expect(await assignments(hidden.id)).toBe(0);
    // The cleared officer may.
    const ok = await gql(stack.gatewayUrl, ASSIGN, { token: cleared(), variables: { input: { forumId: hidden.id, covert: true, leadOfficer: lead } } });
    expect(ok.errors, ok.raw).toBeUndefined();
    expect(await assignments(hidden.id)).toBe(1);
  });

  it("refuses an overt assignment on a covert forum, naming input.covert, and writes nothing", async () => {
    const covertForum = await recordForum({ covert: true, classification: "SECRET" });
    const overt = await gql(stack.gatewayUrl, ASSIGN, {
      token: cleared(),
      variables: { input: { forumId: covertForum.id, covert: false, leadOfficer: lead } },
    });
    expect(codes(overt)).toEqual(["BAD_USER_INPUT"]);
    expect(overt.errors![0]!.extensions!.field).toBe("input.covert");
    expect(await assignments(covertForum.id)).toBe(0);
    const covert = await gql(stack.gatewayUrl, ASSIGN, {
      token: cleared(),
      variables: { input: { forumId: covertForum.id, covert: true, leadOfficer: lead } },
    });
    expect(covert.errors, covert.raw).toBeUndefined();
  });
});
