/**
 * Writes and existence oracles, generated for one principal (a view of the world).
 *
 * Writes: every mutation of every namespace and of the hub that names a record — naming
 * records the writer may not read (and ids that name nothing, malformed ids, records of other
 * orgs), plus creating writes whose answers must carry nothing hidden either. Each case says
 * whether it must be refused (FORBIDDEN for a principal that may not attempt it, otherwise an
 * error and no answer) or answered, and what a successful one creates, so the test can tell
 * later answers about it (an idempotency key is sometimes shared across principals: a replay
 * must not hand one principal another's answer it may not read).
 *
 * Existence oracles: for every read and write that takes an id, the same operation as the
 * same principal with an id it may not know of and with a random id of the same shape (same
 * org and kind prefix); the two answers must be identical once the two ids are blanked.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { canary, CANARY_RE, KINDS, NS, ORGS, PREFIX, SUFFIX, type Kind, type Org, type Rec, type World } from "./world.js";
import { CLEARANCES, cleared, mayAttempt, maysDecide, type Cls, type Gate, type Marks, type Principal } from "./principals.js";
import { assemble, f, gated, nsWrap, pools, RESERVED, type Arg, type Node, type QueryCase, type Root, type Target } from "./gen.js";

/** What a successful write makes, for the checks of later answers. */
export type Creation =
  | { t: "record"; org: Org; kind: Kind; marks: Marks; from?: string; toIdentity?: string; toForum?: string; canaries: string[] }
  | { t: "monitoring"; org: Org; covert: boolean; classification: Cls; forum: string; canaries: string[] }
  | { t: "sighting"; org: Org; classification: Cls; identity: string; canaries: string[] }
  | { t: "request"; requesterOrg: Org; requesterSub: string; recordId: string; canaries: string[] };

export interface WriteCase extends QueryCase {
  /** Where the answer's id is, and what it names, when the write succeeds. */
  creates?: { path: string[]; what: Creation };
  /** A deconfliction alert the write may legitimately change (acknowledged by a side that sees it). */
  touches?: string;
}

const rankOf = (c: Cls) => CLEARANCES.indexOf(c);
const maxCls = (xs: Cls[]) => xs.reduce<Cls>((a, b) => (rankOf(b) > rankOf(a) ? b : a), "OFFICIAL");
const markingsInput = (cls: Cls, covert: boolean) => ({ classification: cls, source: "RELIABLE", assessment: "B", handling: "P", covert });
const ruleMarks = (cls: Cls, covert: boolean): Marks => ({ classification: cls, handling: "P", conditionsOrgs: [], covert, reviewDue: null });
const randomLike = (id: string) => (/^[A-Z]+:\w+:[0-9a-f-]{36}$/i.test(id) ? id.replace(/[0-9a-f-]{36}$/i, randomUUID()) : randomUUID());

/** Idempotency keys shared by every principal of a run. */
const SHARED_KEYS = Array.from({ length: 6 }, (_, i) => `canary-shared-${randomUUID().slice(0, 8)}-${i}`);

const v = (value: unknown, type: string): Arg => ({ v: value, type });
const lit = (x: string): Arg => ({ lit: x });

function ids(w: World) {
  const of = (kind: Kind, org: Org | null, visible: boolean) => w.records.filter((r) => r.kind === kind && (!org || r.org === org) && r.visible === visible);
  return {
    hidden: (kind: Kind, org: Org | null = null) => of(kind, org, false),
    visible: (kind: Kind, org: Org | null = null) => of(kind, org, true),
  };
}

/** Picks from a list that may be empty (then from `fallback`). */
const pick = <T>(xs: T[], fallback: T[]): fc.Arbitrary<T> => fc.constantFrom(...(xs.length ? xs : fallback));

/** A record's markings as a writer reaching for them: mostly within its clearance and claim, sometimes above (refused). */
function reachArb(p: Principal): fc.Arbitrary<{ cls: Cls; covert: boolean; within: boolean }> {
  return fc.tuple(fc.constantFrom(...CLEARANCES), fc.nat(9)).map(([cls, r]) => {
    const covert = p.covert ? r < 3 : r === 0;
    return { cls, covert, within: cleared(p.clearance, cls) && (!covert || p.covert) };
  });
}

const nsOrgArb = (p: Principal) => fc.oneof({ weight: 4, arbitrary: fc.constant(p.org) }, { weight: 1, arbitrary: fc.constantFrom(...ORGS) });

/** The answer's selection for a record: reserved fields, content, and the ends of a link (only the parts its type has). */
const recordAnswerOf = (kinds: Kind[]): Node[] => RECORD_ANSWER.filter((n) => n.t !== "inl" || kinds.some((k) => n.on === SUFFIX[k]));
const RECORD_ANSWER: Node[] = [
  ...RESERVED,
  f("createdBy"),
  f("classification"),
  f("grading", { sub: [f("conditions")] }),
  f("access", { sub: [f("level"), f("reason")] }),
  {
    t: "inl",
    on: "OnlineIdentity",
    sub: [
      f("handle"),
      f("normalisedHandle"),
      f("notes"),
      f("displayName"),
      f("selectors", { sub: [f("kind"), f("value")] }),
      f("links", { sub: [f("nodes", { sub: [...RESERVED, f("rationale")] }), f("pageInfo", { sub: [f("hasNextPage"), f("endCursor")] })] }),
    ],
  },
  { t: "inl", on: "Forum", sub: [f("name"), f("riskSummary"), f("riskLevel")] },
  {
    t: "inl",
    on: "SuspectLink",
    sub: [
      f("rationale"),
      f("from", { sub: [f("identity", { sub: [...RESERVED, f("handle"), f("notes")] })] }),
      f("toIdentity", { sub: [f("identity", { sub: [...RESERVED, f("handle"), f("notes")] })] }),
      f("toForum", { sub: [f("forum", { sub: [...RESERVED, f("name")] })] }),
    ],
  },
];
const assignmentAnswer: Node[] = [
  ...RESERVED,
  f("org"),
  f("covert"),
  f("classification"),
  f("active"),
  f("leadOfficer", { sub: [f("name"), f("email")] }),
  f("forum", { sub: [f("forum", { sub: [...RESERVED, f("name"), f("riskSummary")] })] }),
];
const sightingAnswer: Node[] = [
  ...RESERVED,
  f("org"),
  f("note"),
  f("classification"),
  f("identity", { sub: [f("identity", { sub: [...RESERVED, f("handle"), f("notes")] })] }),
  f("forum", { sub: [f("forum", { sub: [...RESERVED, f("name")] })] }),
];
const requestAnswer: Node[] = [f("id"), f("recordId"), f("owner"), f("requesterOrg"), f("requesterSub"), f("purpose"), f("status"), f("note")];
const alertAnswer: Node[] = [
  f("id"),
  f("trigger"),
  f("selector"),
  f("yourRecordId"),
  f("counterpartOrg"),
  f("advice"),
  f("acknowledgedBy"),
  f("contact", { sub: [f("name")] }),
];

interface Write {
  root: Root;
  creates?: { path: string[]; what: Creation };
  touches?: string;
}

/** A namespaced write: refused FORBIDDEN unless the principal writes into that namespace; then `outcome`. */
function nsWrite(w: World, org: Org, field: string, args: Record<string, Arg>, sub: Node[], outcome: "fail" | "ok" | "any", creates?: Creation): Write {
  const gate: Gate = { t: "write", org };
  const inner: Root = { node: f(field, { args, sub }), expects: [{ t: "write", path: [], outcome }], label: field };
  const root = nsWrap(org, gated(w, gate, inner));
  const ok = mayAttempt(w.principal, gate) && outcome !== "fail";
  return { root, creates: ok && creates ? { path: ["r0", "s0"], what: creates } : undefined };
}

function hubWrite(
  w: World,
  field: string,
  gate: Gate,
  args: Record<string, Arg>,
  sub: Node[],
  outcome: "fail" | "ok" | "any",
  creates?: Creation,
  touches?: string,
): Write {
  const root = gated(w, gate, { node: f(field, { args, sub }), expects: [{ t: "write", path: [], outcome }], label: field });
  const ok = mayAttempt(w.principal, gate) && outcome !== "fail";
  return { root, creates: ok && creates ? { path: ["r0"], what: creates } : undefined, touches: ok ? touches : undefined };
}

export function writeFamily(w: World): fc.Arbitrary<WriteCase> {
  const me = w.principal;
  const p = pools(w);
  const I = ids(w);
  const idem = fc.option(fc.constantFrom(...SHARED_KEYS), { freq: 6 });
  const withKey = (args: Record<string, Arg>, key: string | null) => (key ? { ...args, idempotencyKey: v(key, "String") } : args);
  const plainHidden = w.hiddenHandles.filter((h) => !CANARY_RE.test(h) && !/CANARY-/i.test(h));
  const hiddenEmails = w.records.filter((r) => !r.visible).flatMap((r) => r.emails ?? []);
  const hiddenPhones = w.records.filter((r) => !r.visible).flatMap((r) => r.phones ?? []);

  /** An id naming a record of `kind` in `org` that the write must refuse (hidden, nothing, malformed), or one of another org. */
  const refusedId = (kind: Kind, org: Org) =>
    fc.oneof(
      {
        weight: 5,
        arbitrary: pick(
          I.hidden(kind, org).map((r) => r.id),
          p.unknown[kind].filter((x) => x.startsWith(`${org}:`)),
        ),
      },
      { weight: 1, arbitrary: fc.constant(`${org}:${kind}:${randomUUID()}`) },
      // (Not a well-formed id of another org: the namespace leaves those to their owner.)
      { weight: 1, arbitrary: fc.constantFrom(...p.malformed.filter((x) => !/^[A-Z]+:\w+:[0-9a-f-]{36}$/i.test(x) || x.startsWith(`${org}:`))) },
    );

  const recordIdentity = fc.tuple(nsOrgArb(me), reachArb(me), fc.nat(3), idem).map(([org, reach, h, key]): Write => {
    const notes = `${canary()} probe notes`;
    const displayName = `${canary()} probe persona`;
    const input = {
      platform: "SNAPCHAT",
      // Selectors of hidden records (not with a shared key: a replay answers another's input).
      handle: h === 0 || key || !plainHidden.length ? `probe_${randomUUID().slice(0, 8)}` : plainHidden[h % plainHidden.length]!,
      status: "SUSPECT",
      notes,
      displayName,
      emails: !key && hiddenEmails.length && h % 2 ? [hiddenEmails[h % hiddenEmails.length]!] : [],
      phones: !key && hiddenPhones.length && h > 1 ? [hiddenPhones[h % hiddenPhones.length]!] : [],
      markings: markingsInput(reach.cls, reach.covert),
    };
    return nsWrite(
      w,
      org,
      "recordOnlineIdentity",
      withKey({ input: v(input, "RecordOnlineIdentityInput!") }, key),
      recordAnswerOf(["identity"]),
      reach.within && !key ? "ok" : reach.within ? "any" : "fail",
      {
        t: "record",
        org,
        kind: "identity",
        marks: ruleMarks(reach.cls, reach.covert),
        canaries: [notes, displayName],
      },
    );
  });
  const recordForum = fc.tuple(nsOrgArb(me), reachArb(me), idem).map(([org, reach, key]): Write => {
    const name = `${canary()} probe forum`;
    const input = { platform: "DISCORD", name, kind: "FORUM", riskLevel: "HIGH", markings: markingsInput(reach.cls, reach.covert) };
    return nsWrite(
      w,
      org,
      "recordForum",
      withKey({ input: v(input, "RecordForumInput!") }, key),
      recordAnswerOf(["forum"]),
      reach.within && !key ? "ok" : reach.within ? "any" : "fail",
      {
        t: "record",
        org,
        kind: "forum",
        marks: ruleMarks(reach.cls, reach.covert),
        canaries: [name],
      },
    );
  });

  /** A link end: of the namespace's org (visible: allowed; hidden or naming nothing: refused) or of another org (its owner's to resolve: allowed). */
  type End = { id: string; own: boolean; ok: boolean; rec?: Rec };
  const endArb = (org: Org, kind: "identity" | "forum"): fc.Arbitrary<End> =>
    fc.oneof(
      { weight: 3, arbitrary: refusedId(kind, org).map((id): End => ({ id, own: true, ok: false })) },
      { weight: 2, arbitrary: pick(I.visible(kind, org), []).map((r): End => ({ id: r.id, own: true, ok: true, rec: r })) },
      {
        weight: 2,
        arbitrary: fc
          .constantFrom(...ORGS.filter((o) => o !== org))
          .chain((o) =>
            fc.oneof(
              pick(
                w.records.filter((r) => r.org === o && r.kind === kind).map((r) => r.id),
                [],
              ),
              fc.constant(`${o}:${kind}:${randomUUID()}`),
            ),
          )
          .map((id): End => ({ id, own: false, ok: true, rec: w.byId.get(id) })),
      },
    );
  // Some kinds have no visible record of an org for this principal: constantFrom needs one.
  const safeEnd = (org: Org, kind: "identity" | "forum") => (I.visible(kind, org).length ? endArb(org, kind) : endArbNoVisible(org, kind));
  const endArbNoVisible = (org: Org, kind: "identity" | "forum"): fc.Arbitrary<End> =>
    fc.oneof(
      refusedId(kind, org).map((id): End => ({ id, own: true, ok: false })),
      fc.constantFrom(...ORGS.filter((o) => o !== org)).map((o): End => ({ id: `${o}:${kind}:${randomUUID()}`, own: false, ok: true })),
    );
  const linkIdentities = nsOrgArb(me).chain((org) =>
    fc
      .tuple(
        safeEnd(org, "identity"),
        fc.boolean().chain((toForum) => safeEnd(org, toForum ? "forum" : "identity").map((e) => ({ e, toForum }))),
        idem,
      )
      .map(([from, { e: to, toForum }, key]): Write => {
        const ownEnds = [from, to].filter((x) => x.own && x.rec);
        const cls = maxCls(ownEnds.map((x) => x.rec!.marks.classification));
        const covert = ownEnds.some((x) => x.rec!.marks.covert);
        const rationale = `${canary()} probe rationale`;
        const input = {
          fromId: from.id,
          toIdentityId: toForum ? null : to.id,
          toForumId: toForum ? to.id : null,
          linkType: toForum ? "MEMBER_OF" : "SAME_PERSON",
          rationale,
          markings: markingsInput(cls, covert),
        };
        // Two ends of other orgs, or a link of an end to itself: not what this family decides.
        const outcome = !from.ok || !to.ok ? "fail" : from.own || to.own ? (from.id === to.id || key ? "any" : "ok") : "any";
        return nsWrite(w, org, "linkIdentities", withKey({ input: v(input, "LinkIdentitiesInput!") }, key), recordAnswerOf(["link"]), outcome, {
          t: "record",
          org,
          kind: "link",
          marks: ruleMarks(cls, covert),
          from: from.id,
          toIdentity: toForum ? undefined : to.id,
          toForum: toForum ? to.id : undefined,
          canaries: [rationale],
        });
      }),
  );
  const byIdTarget = (org: Org, kind: Kind) =>
    fc.oneof(
      { weight: 5, arbitrary: refusedId(kind, org) },
      // Another org's record named in this namespace.
      {
        weight: 1,
        arbitrary: pick(
          w.records.filter((r) => r.org !== org && r.kind === kind).map((r) => r.id),
          p.unknown[kind],
        ),
      },
    );
  const reclassify = nsOrgArb(me).chain((org) =>
    fc.oneof(
      fc
        .tuple(fc.constantFrom(...KINDS), fc.constantFrom(...CLEARANCES))
        .chain(([kind, cls]) =>
          byIdTarget(org, kind).map((id) =>
            nsWrite(
              w,
              org,
              "reclassifyRecord",
              { id: v(id, "ID!"), classification: lit(cls), reason: v("probe", "String!") },
              recordAnswerOf([...KINDS]),
              "fail",
            ),
          ),
        ),
      // A record the writer may read, raised above its clearance: a writer records only what it may read.
      ...(me.clearance !== "SECRET" && I.visible("identity", org).length
        ? [
            pick(I.visible("identity", org), []).map((r) =>
              nsWrite(
                w,
                org,
                "reclassifyRecord",
                { id: v(r.id, "ID!"), classification: lit("SECRET"), reason: v("probe above clearance", "String!") },
                recordAnswerOf([...KINDS]),
                "fail",
              ),
            ),
          ]
        : []),
    ),
  );
  const review = fc
    .tuple(nsOrgArb(me), fc.constantFrom(...KINDS), fc.boolean())
    .chain(([org, kind, erase]) =>
      byIdTarget(org, kind).map((id) =>
        nsWrite(
          w,
          org,
          "reviewRecord",
          erase
            ? { id: v(id, "ID!"), decision: lit("DELETE"), reason: v("probe", "String") }
            : { id: v(id, "ID!"), decision: lit("RETAIN"), nextReviewDue: v("2099-01-01T00:00:00Z", "DateTimeISO") },
          recordAnswerOf([...KINDS]),
          "fail",
        ),
      ),
    );
  const risk = nsOrgArb(me).chain((org) =>
    byIdTarget(org, "forum").map((id) =>
      nsWrite(w, org, "setForumRiskLevel", { id: v(id, "ID!"), riskLevel: lit("LOW"), reason: v("probe", "String") }, recordAnswerOf(["forum"]), "fail"),
    ),
  );
  const assign = nsOrgArb(me).chain((org) =>
    fc.tuple(safeEnd(org, "forum"), reachArb(me), idem).map(([forum, reach, key]) => {
      const c = canary();
      const input = {
        forumId: forum.id,
        covert: reach.covert,
        classification: reach.cls,
        leadOfficer: { name: `DC ${c} (probe)`, email: `${c.toLowerCase()}@probe.example`, phone: "01234 567890" },
      };
      return nsWrite(
        w,
        org,
        "assignMonitoring",
        withKey({ input: v(input, "AssignMonitoringInput!") }, key),
        assignmentAnswer,
        // An assignment on a covert forum of its own org must be covert.
        !forum.ok || !reach.within || (forum.own && !!forum.rec?.marks.covert && !reach.covert) ? "fail" : key ? "any" : "ok",
        {
          t: "monitoring",
          org,
          covert: reach.covert,
          classification: reach.cls,
          forum: forum.id,
          canaries: [input.leadOfficer.name],
        },
      );
    }),
  );
  const endMonitoring = nsOrgArb(me).chain((org) =>
    fc
      .oneof(
        pick(
          w.owned.filter((o) => o.kind === "monitoring" && o.org === org && !o.visible).map((o) => o.id),
          [`${org}:monitoring:${randomUUID()}`],
        ),
        fc.constant(`${org}:monitoring:${randomUUID()}`),
        // Another org's assignment, in this namespace.
        fc.constantFrom(...w.owned.filter((o) => o.kind === "monitoring" && o.org !== org).map((o) => o.id)),
      )
      .map((id) => nsWrite(w, org, "endMonitoring", { id: v(id, "ID!"), at: v("2000-06-01T00:00:00Z", "DateTimeISO") }, assignmentAnswer, "fail")),
  );
  const sighting = nsOrgArb(me).chain((org) =>
    fc
      .tuple(safeEnd(org, "identity"), fc.option(safeEnd(org, "forum"), { freq: 2 }), fc.constantFrom(...CLEARANCES), idem)
      .map(([identity, forum, cls, key]) => {
        const note = `${canary()} probe sighting`;
        const input = { identityId: identity.id, forumId: forum?.id ?? null, seenAt: "2025-01-01T00:00:00Z", note, classification: cls };
        const ok = identity.ok && (forum?.ok ?? true) && cleared(me.clearance, cls);
        return nsWrite(w, org, "recordSighting", withKey({ input: v(input, "RecordSightingInput!") }, key), sightingAnswer, !ok ? "fail" : key ? "any" : "ok", {
          t: "sighting",
          org,
          classification: cls,
          identity: identity.id,
          canaries: [note],
        });
      }),
  );
  // The hub's writes.
  const noneIds = w.records.filter((r) => !r.visible && !w.pointerIds.has(r.id)).map((r) => r.id);
  const requestAccess = fc
    .oneof(
      { weight: 4, arbitrary: fc.constantFrom(...noneIds).map((id) => ({ id, outcome: "fail" as const })) },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(...KINDS)
          .chain((k) => fc.constantFrom(...p.unknown[k]))
          .map((id) => ({ id, outcome: "fail" as const })),
      },
      { weight: 1, arbitrary: pick([...w.pointerIds, ...w.visibleIds], noneIds).map((id) => ({ id, outcome: "any" as const })) },
    )
    .map(({ id, outcome }) => {
      const purpose = `${canary()} probe purpose`;
      return hubWrite(w, "requestAccess", { t: "any" }, { recordId: v(id, "ID!"), purpose: v(purpose, "String!") }, requestAnswer, outcome, {
        t: "request",
        requesterOrg: me.org,
        requesterSub: me.sub,
        recordId: id,
        canaries: [purpose],
      });
    });
  const byIdRec = (id: string) => w.seeded.records.find((r) => r.id === id);
  const undecidable = w.requests.filter((r) => !maysDecide(me, r, byIdRec)).map((r) => r.id);
  const decide = fc.tuple(pick(undecidable, [randomUUID()]), fc.boolean(), fc.boolean()).map(([id, random, grant]) =>
    hubWrite(
      w,
      "decideAccessRequest",
      { t: "decide" },
      {
        id: v(random ? randomUUID() : id, "ID!"),
        decision: lit(grant ? "GRANT" : "DECLINE"),
        ...(grant ? { expiresAt: v(new Date(Date.now() + 7 * 86400_000).toISOString(), "DateTimeISO") } : {}),
      },
      requestAnswer,
      "fail",
    ),
  );
  const hiddenAlerts = w.alerts.filter((a) => a.side === null).map((a) => a.id);
  const seenAlerts = w.alerts.filter((a) => a.side !== null).map((a) => a.id);
  const ack = fc
    .oneof(
      { weight: 4, arbitrary: pick(hiddenAlerts, [randomUUID()]).map((id) => ({ id, ok: false })) },
      { weight: 1, arbitrary: fc.constant(null).map(() => ({ id: randomUUID(), ok: false })) },
      ...(seenAlerts.length ? [{ weight: 1, arbitrary: fc.constantFrom(...seenAlerts).map((id) => ({ id, ok: true })) }] : []),
    )
    .map(({ id, ok }) =>
      hubWrite(w, "acknowledgeDeconflictionAlert", { t: "alerts" }, { id: v(id, "ID!") }, alertAnswer, ok ? "ok" : "fail", undefined, ok ? id : undefined),
    );

  const all = fc.oneof(
    { weight: 2, arbitrary: recordIdentity },
    { weight: 1, arbitrary: recordForum },
    { weight: 3, arbitrary: linkIdentities },
    { weight: 2, arbitrary: reclassify },
    { weight: 2, arbitrary: review },
    { weight: 2, arbitrary: risk },
    { weight: 2, arbitrary: assign },
    { weight: 2, arbitrary: endMonitoring },
    { weight: 2, arbitrary: sighting },
    { weight: 2, arbitrary: requestAccess },
    { weight: 1, arbitrary: decide },
    { weight: 2, arbitrary: ack },
  );
  return all.map((wr): WriteCase => {
    const c = assemble(`write-${wr.root.label}`, "gw", [wr.root]);
    return { ...c, query: c.query.replace(/^query/, "mutation"), purpose: true, creates: wr.creates, touches: wr.touches };
  });
}

// ---------------------------------------------------------------------------------------
// Existence oracles

export interface OraclePair {
  family: string;
  target: Target;
  hidden: string;
  random: string;
  a: QueryCase;
  b: QueryCase;
}

interface OracleField {
  field: string;
  /** Ids the principal may not know of, for this field. */
  hidden: string[];
  target?: Target;
  /** The operation, with `$id` the id under test. */
  query: (id: string) => string;
  vars: (id: string) => Record<string, unknown>;
  /** How often to pick it. */
  weight: number;
}

const lead = { name: "DS Oracle Probe", email: "oracle.probe@police.example", phone: "01234 567890" };
const M0 = { classification: "OFFICIAL", source: "RELIABLE", assessment: "B", handling: "P" };

export function oracleFamily(w: World): fc.Arbitrary<OraclePair> {
  const me = w.principal;
  const hiddenOf = (kind: Kind, org?: Org) => w.records.filter((r) => r.kind === kind && !r.visible && (!org || r.org === org)).map((r) => r.id);
  const hiddenOwned = (org: Org) => w.owned.filter((o) => o.kind === "monitoring" && o.org === org && !o.visible).map((o) => o.id);
  const own = me.org;
  const fields: OracleField[] = [];
  const add = (x: Omit<OracleField, "weight"> & { weight?: number }) => {
    if (x.hidden.length) fields.push({ weight: 1, ...x });
  };
  const anyVisible = (kind: "identity" | "forum", org: Org) =>
    w.records.find((r) => r.kind === kind && r.org === org && r.visible)?.id ?? `${org}:${kind}:${randomUUID()}`;
  for (const [field, kind] of [
    ["identity", "identity"],
    ["forum", "forum"],
    ["suspectLink", "link"],
  ] as const) {
    add({
      field: `Query.${field}`,
      hidden: hiddenOf(kind),
      query: () => `query($id: ID!) { ${field}(id: $id) { id __typename ... on IntelligenceRecord { createdBy access { level } } } }`,
      vars: (id) => ({ id }),
    });
  }
  // Only the fields the hub adds itself: the owner is not asked unless the hub asks it.
  add({
    field: "Query.forum (monitoring only)",
    hidden: hiddenOf("forum"),
    query: () => `query($id: ID!) { forum(id: $id) { id __typename monitoring(first: 50) { nodes { id } } } }`,
    vars: (id) => ({ id }),
  });
  add({
    field: "Query.identity (sightings only)",
    hidden: hiddenOf("identity"),
    query: () => `query($id: ID!) { identity(id: $id) { id __typename sightings(first: 50) { nodes { id } } } }`,
    vars: (id) => ({ id }),
  });
  // The same, for a hidden record the caller holds an assignment or sighting of (its own org's): the hub has something to say.
  const knownOn = (kind: "monitoring" | "sighting") => new Set(w.owned.filter((o) => o.kind === kind && o.visible).map((o) => o.about));
  add({
    field: "Query.forum (monitoring only, on a forum the caller's assignment names)",
    hidden: hiddenOf("forum").filter((id) => knownOn("monitoring").has(id)),
    query: () => `query($id: ID!) { forum(id: $id) { id __typename monitoring(first: 50) { nodes { id } } } }`,
    vars: (id) => ({ id }),
  });
  add({
    field: "Query.identity (sightings only, of an identity the caller's sighting names)",
    hidden: hiddenOf("identity").filter((id) => knownOn("sighting").has(id)),
    query: () => `query($id: ID!) { identity(id: $id) { id __typename sightings(first: 50) { nodes { id } } } }`,
    vars: (id) => ({ id }),
  });
  add({
    field: "OrgQuery.monitoringAssignments (forumId the caller's own assignment names)",
    hidden: hiddenOf("forum").filter((id) => w.owned.some((o) => o.kind === "monitoring" && o.visible && o.org === own && o.about === id)),
    query: () => `query($id: ID!) { ${NS[own]} { monitoringAssignments(forumId: $id, first: 50) { nodes { id } pageInfo { hasNextPage } } } }`,
    vars: (id) => ({ id }),
  });
  add({
    field: "Query.linkGraph",
    hidden: hiddenOf("identity"),
    query: () => `query($id: ID!) { linkGraph(rootId: $id) { root { id } nodes { id } edges { id } truncated unavailableOrgs } }`,
    vars: (id) => ({ id }),
  });
  add({
    field: "Query.agreement",
    hidden: w.agreements.filter((a) => !a.visible).map((a) => a.id),
    query: () => `query($id: ID!) { agreement(id: $id) { id name members } }`,
    vars: (id) => ({ id }),
  });
  for (const org of ORGS) {
    for (const kind of KINDS) {
      add({
        field: `OrgQuery.${kind}`,
        hidden: hiddenOf(kind, org),
        query: () => `query($id: ID!) { ${NS[org]} { ${kind}(id: $id) { id createdBy } } }`,
        vars: (id) => ({ id }),
      });
    }
    add({
      field: "OrgQuery.monitoringAssignments",
      hidden: hiddenOf("forum", org),
      query: () =>
        `query($id: ID!) { ${NS[org]} { monitoringAssignments(forumId: $id, first: 50) { nodes { id org covert } pageInfo { hasNextPage endCursor } } } }`,
      vars: (id) => ({ id }),
    });
  }
  // The force administration and the writes: mostly in the principal's own namespace, where it may act.
  const nsOrgs: Org[] = [own, own, own, ...ORGS.filter((o) => o !== own)];
  for (const org of new Set(nsOrgs)) {
    const weight = org === own ? 3 : 1;
    const hiddenRecords = KINDS.flatMap((k) => hiddenOf(k, org));
    add({
      field: "OrgQuery.explainAccess",
      weight,
      hidden: hiddenRecords,
      query: () =>
        `query($id: ID!) { ${NS[org]} { explainAccess(recordId: $id, as: { org: "ESSEX", roles: ["ANALYST"], clearance: SECRET }) { read { level reason } search { level } } } }`,
      vars: (id) => ({ id }),
    });
    add({
      field: "OrgQuery.auditTrail",
      weight,
      hidden: hiddenRecords,
      query: () =>
        `query($id: ID!) { ${NS[org]} { auditTrail(recordId: $id, first: 20) { nodes { operation action records { id level } detail } pageInfo { hasNextPage } } } }`,
      vars: (id) => ({ id }),
    });
    add({
      field: "OrgMutation.reclassifyRecord",
      weight,
      hidden: hiddenRecords,
      query: () => `mutation($id: ID!) { ${NS[org]} { reclassifyRecord(id: $id, classification: OFFICIAL, reason: "oracle") { id } } }`,
      vars: (id) => ({ id }),
    });
    add({
      field: "OrgMutation.reviewRecord",
      weight,
      hidden: hiddenRecords,
      query: () => `mutation($id: ID!) { ${NS[org]} { reviewRecord(id: $id, decision: DELETE, reason: "oracle") { id } } }`,
      vars: (id) => ({ id }),
    });
    add({
      field: "OrgMutation.setForumRiskLevel",
      weight,
      hidden: hiddenOf("forum", org),
      query: () => `mutation($id: ID!) { ${NS[org]} { setForumRiskLevel(id: $id, riskLevel: LOW, reason: "oracle") { id } } }`,
      vars: (id) => ({ id }),
    });
    add({
      field: "OrgMutation.endMonitoring",
      weight,
      hidden: hiddenOwned(org),
      query: () => `mutation($id: ID!) { ${NS[org]} { endMonitoring(id: $id, at: "2000-06-01T00:00:00Z") { id } } }`,
      vars: (id) => ({ id }),
    });
    // Writes naming a record in their input: the hidden record is of the namespace's org (its
    // force decides it), or of another org (its owner's to resolve: both ids pass alike).
    for (const foreign of [false, true]) {
      const idHidden = foreign ? hiddenOf("identity").filter((id) => !id.startsWith(`${org}:`)) : hiddenOf("identity", org);
      const forumHidden = foreign ? hiddenOf("forum").filter((id) => !id.startsWith(`${org}:`)) : hiddenOf("forum", org);
      const tag = foreign ? " (another org's)" : "";
      add({
        field: `OrgMutation.assignMonitoring${tag}`,
        weight,
        hidden: forumHidden,
        query: () => `mutation($i: AssignMonitoringInput!) { ${NS[org]} { assignMonitoring(input: $i) { __typename org covert forum { forum { id } } } } }`,
        vars: (id) => ({ i: { forumId: id, covert: false, leadOfficer: lead } }),
      });
      add({
        field: `OrgMutation.linkIdentities.fromId${tag}`,
        weight,
        hidden: idHidden,
        query: () =>
          `mutation($i: LinkIdentitiesInput!) { ${NS[org]} { linkIdentities(input: $i) { __typename linkType from { identity { id } } toIdentity { identity { id } } } } }`,
        vars: (id) => ({ i: { fromId: id, toIdentityId: anyVisible("identity", org), linkType: "SAME_PERSON", markings: M0 } }),
      });
      add({
        field: `OrgMutation.linkIdentities.toIdentityId${tag}`,
        weight,
        hidden: idHidden,
        query: () =>
          `mutation($i: LinkIdentitiesInput!) { ${NS[org]} { linkIdentities(input: $i) { __typename linkType from { identity { id } } toIdentity { identity { id } } } } }`,
        vars: (id) => ({ i: { fromId: anyVisible("identity", org), toIdentityId: id, linkType: "SAME_PERSON", markings: M0 } }),
      });
      add({
        field: `OrgMutation.linkIdentities.toForumId${tag}`,
        weight,
        hidden: forumHidden,
        query: () => `mutation($i: LinkIdentitiesInput!) { ${NS[org]} { linkIdentities(input: $i) { __typename linkType toForum { forum { id } } } } }`,
        vars: (id) => ({ i: { fromId: anyVisible("identity", org), toForumId: id, linkType: "MEMBER_OF", markings: M0 } }),
      });
      add({
        field: `OrgMutation.recordSighting.identityId${tag}`,
        weight,
        hidden: idHidden,
        query: () =>
          `mutation($i: RecordSightingInput!) { ${NS[org]} { recordSighting(input: $i) { __typename org classification identity { identity { id } } } } }`,
        vars: (id) => ({ i: { identityId: id, seenAt: "2025-01-01T00:00:00Z" } }),
      });
      add({
        field: `OrgMutation.recordSighting.forumId${tag}`,
        weight,
        hidden: forumHidden,
        query: () => `mutation($i: RecordSightingInput!) { ${NS[org]} { recordSighting(input: $i) { __typename org forum { forum { id } } } } }`,
        vars: (id) => ({ i: { identityId: anyVisible("identity", org), forumId: id, seenAt: "2025-01-01T00:00:00Z" } }),
      });
    }
  }
  const noneIds = w.records.filter((r) => !r.visible && !w.pointerIds.has(r.id)).map((r) => r.id);
  add({
    field: "Mutation.requestAccess",
    weight: 2,
    hidden: noneIds,
    query: () => `mutation($id: ID!) { requestAccess(recordId: $id, purpose: "oracle") { id recordId status } }`,
    vars: (id) => ({ id }),
  });
  const byIdRec = (id: string) => w.seeded.records.find((r) => r.id === id);
  add({
    field: "Mutation.decideAccessRequest",
    weight: 2,
    hidden: w.requests.filter((r) => !maysDecide(me, r, byIdRec)).map((r) => r.id),
    query: () => `mutation($id: ID!) { decideAccessRequest(id: $id, decision: DECLINE) { id recordId } }`,
    vars: (id) => ({ id }),
  });
  add({
    field: "Mutation.acknowledgeDeconflictionAlert",
    weight: 2,
    hidden: w.alerts.filter((a) => a.side === null).map((a) => a.id),
    query: () => `mutation($id: ID!) { acknowledgeDeconflictionAlert(id: $id) { id yourRecordId selector } }`,
    vars: (id) => ({ id }),
  });
  for (const org of ORGS) {
    add({
      field: "_entities",
      target: org,
      hidden: hiddenOf("identity", org),
      query: () => `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on ${PREFIX[org]}${SUFFIX.identity} { id handle } } }`,
      vars: (id) => ({ r: [{ __typename: `${PREFIX[org]}${SUFFIX.identity}`, id }] }),
    });
  }
  const one = (x: OracleField, id: string): QueryCase => ({
    family: `oracle ${x.field}`,
    target: x.target ?? "gw",
    query: x.query(id),
    variables: x.vars(id),
    purpose: true,
    valid: false,
    mustFail: false,
    expects: [],
  });
  // Every field as often as every other; within one, the principal's own namespace first.
  const byField = new Map<string, OracleField[]>();
  for (const x of fields) byField.set(x.field, [...(byField.get(x.field) ?? []), x]);
  return fc
    .oneof(
      ...[...byField.values()].map((xs) =>
        fc.oneof(...xs.map((x) => ({ weight: x.weight, arbitrary: fc.constantFrom(...x.hidden).map((id) => ({ x, id })) }))),
      ),
    )
    .map(({ x, id }): OraclePair => {
      const random = randomLike(id);
      return { family: `oracle ${x.field}`, target: x.target ?? "gw", hidden: id, random, a: one(x, id), b: one(x, random) };
    });
}
