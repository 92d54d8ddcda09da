/**
 * The SQL twins of the policy's smaller rules (monitoring assignments, sightings, alerts,
 * agreements, access requests, link ends, audit events) must select exactly the rows their
 * rule accepts: services filter with them before LIMIT and confirm row by row after, so a
 * twin that selects less hides rows the rule shows (short pages), and one that selects more
 * is a leak wherever the row check is missing. Each property below inserts random rows into a
 * real PostgreSQL (embedded cluster), runs the twin as the services do — `positional()` `$n`
 * form for raw queries, TypeORM's query builder for `:name` form; both forms for every twin —
 * and compares each row with the rule. Each twin also has deliberately broken variants (a
 * clause dropped or widened) that the same comparison must catch, so every property is shown
 * to fail without the behaviour it checks.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AGREEMENT_STATUSES,
  CLASSIFICATIONS,
  HANDLING_CODES,
  RECORD_KINDS,
  ROLES,
  classificationRank,
  formatGlobalId,
  loadRegistry,
  type Classification,
  type HandlingCode,
  type Principal,
  type RecordKind,
} from "@interforce/domain";
import { accessRequestSqlPredicate, mayKnowAccessRequest } from "./access-requests.js";
import { agreementSqlPredicate, mayKnowAgreement } from "./agreement-visibility.js";
import { alertSide, alertSqlPredicate, type AlertFacts, type AlertSide } from "./alerts.js";
import { auditEventSqlPredicate, mayReadAuditEvent, type AuditedRecord } from "./audit.js";
import { decide } from "./decide.js";
import { decideLink, HIDDEN_END, linkSqlPredicate, ownLinkEnds, type LinkEnds } from "./links.js";
import { assignmentSqlPredicate, mayKnowAssignment, orgLiteral } from "./monitoring.js";
import { isDeconflictionDesk, isForceAuditor } from "./roles.js";
import { mayReadSighting, maySeeSightingOfIdentity, sightingOfIdentitySqlPredicate, sightingSqlPredicate } from "./sightings.js";
import type { Agreement, Grant, PolicyInputs, PolicyRecord } from "./types.js";
import { positional, type SqlPredicate } from "./visibility-sql.js";
import { usePolicyTestDb } from "./test-db.js";

// ---------------------------------------------------------------------------------------
// Database: minimal versions of the hub's and a force's tables, with the columns the twins
// reference (names as in the services' migrations).
// ---------------------------------------------------------------------------------------
const CLASSIFICATION = `classification text NOT NULL CHECK (classification IN ('OFFICIAL','OFFICIAL_SENSITIVE','SECRET'))`;
const MARKINGS = `${CLASSIFICATION},
  handling text NOT NULL CHECK (handling IN ('P','C')),
  handling_orgs text[] NOT NULL DEFAULT '{}',
  covert boolean NOT NULL DEFAULT false,
  review_due timestamptz`;
const SCHEMA = [
  // hub
  `CREATE TABLE monitoring_pointer (id uuid PRIMARY KEY, org text NOT NULL, covert boolean NOT NULL, ${CLASSIFICATION})`,
  `CREATE TABLE sighting_pointer (id uuid PRIMARY KEY, org text NOT NULL, identity_org text NOT NULL, ${CLASSIFICATION})`,
  `CREATE TABLE deconfliction_alert (id uuid PRIMARY KEY, trigger text NOT NULL CHECK (trigger IN ('RECORD','SEARCH')),
     holder_org text NOT NULL, holder_covert boolean NOT NULL, other_org text NOT NULL, other_covert boolean NOT NULL)`,
  `CREATE TABLE agreement (id uuid PRIMARY KEY, members text[] NOT NULL)`,
  `CREATE TABLE access_request (id uuid PRIMARY KEY, record_id text NOT NULL, owner_org text NOT NULL, requester_org text NOT NULL, requester_sub text NOT NULL)`,
  `CREATE TABLE selector_pointer (record_id text NOT NULL, selector text NOT NULL, org text NOT NULL, kind text NOT NULL, ${MARKINGS},
     PRIMARY KEY (record_id, selector))`,
  // force
  `CREATE TABLE online_identity (id uuid PRIMARY KEY, ${MARKINGS})`,
  `CREATE TABLE forum (id uuid PRIMARY KEY, ${MARKINGS})`,
  `CREATE TABLE suspect_link (id uuid PRIMARY KEY, from_id text NOT NULL, to_identity_id text, to_forum_id text, ${MARKINGS},
     CHECK ((to_identity_id IS NULL) <> (to_forum_id IS NULL)))`,
  `CREATE TABLE monitoring_assignment (id uuid PRIMARY KEY, covert boolean NOT NULL DEFAULT false, ${CLASSIFICATION})`,
  `CREATE TABLE sighting (id uuid PRIMARY KEY, identity_org text NOT NULL, ${CLASSIFICATION})`,
  `CREATE TABLE audit_event (id uuid PRIMARY KEY, record_ids text[] NOT NULL, record_kinds text[] NOT NULL,
     CHECK (cardinality(record_kinds) = cardinality(record_ids)))`,
];

const db = usePolicyTestDb("twins", SCHEMA);

/** Replaces the contents of `table` with `rows` (values in `columns` order). */
async function fill(table: string, columns: string[], rows: unknown[][]): Promise<void> {
  await db().query(`TRUNCATE ${table}`);
  if (rows.length === 0) return;
  const params: unknown[] = [];
  const tuples = rows.map((r) => `(${r.map((v) => (params.push(v), `$${params.length}`)).join(", ")})`);
  await db().query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples.join(", ")}`, params);
}

// ---------------------------------------------------------------------------------------
// Running a twin in both forms and comparing it with its rule
// ---------------------------------------------------------------------------------------
type Form = "typeorm" | "positional";
const FORMS: readonly Form[] = ["typeorm", "positional"];

/** Where a twin's rows come from: the table and alias, and any LEFT JOIN (raw and TypeORM forms). */
interface Source {
  table: string;
  alias: string;
  /** The raw form's joins after `FROM table alias`. */
  rawJoins?: string;
  /** The query builder's joins: [table, alias, condition]. */
  qbJoins?: [string, string, string][];
}

/**
 * The ids the predicate selects. The positional form starts at `$3` behind two parameters of
 * the caller's own, as services append a twin to their own clauses.
 */
async function selected(form: Form, src: Source, pred: SqlPredicate): Promise<Set<string>> {
  const id = `${src.alias}.id`;
  if (form === "typeorm") {
    let qb = db().createQueryBuilder().select(id, "id").from(src.table, src.alias);
    for (const [t, a, c] of src.qbJoins ?? []) qb = qb.leftJoin(t, a, c);
    const rows = await qb.where(pred.sql, pred.params).getRawMany();
    return new Set(rows.map((r) => String(r.id)));
  }
  const { text, values } = positional(pred, 3);
  const rows = (await db().query(`SELECT ${id} AS id FROM ${src.table} ${src.alias} ${src.rawJoins ?? ""} WHERE $1::int = $2::int AND ${text}`, [
    7,
    7,
    ...values,
  ])) as Array<{ id: string }>;
  return new Set(rows.map((r) => String(r.id)));
}

/** A deliberately broken variant of a twin: rewrites the predicate the twin returned. */
interface Mutation {
  name: string;
  apply(pred: SqlPredicate): SqlPredicate;
}
const IDENTITY: Mutation = { name: "none", apply: (p) => p };
/** Rewrites the SQL: every occurrence of a string `from`, or the first match of a RegExp. */
const rewrite = (name: string, from: string | RegExp, to: string): Mutation => ({
  name,
  apply: (p) => ({ ...p, sql: typeof from === "string" ? p.sql.split(from).join(to) : p.sql.replace(from, to) }),
});
/** Rewrites every string parameter (the id patterns live there). */
const rewriteParams = (name: string, from: string, to: string): Mutation => ({
  name,
  apply: (p) => ({ ...p, params: Object.fromEntries(Object.entries(p.params).map(([k, v]) => [k, typeof v === "string" ? v.split(from).join(to) : v])) }),
});

/** A disagreement; `mutated` says whether the SQL that disagreed was a mutation's. */
class Mismatch extends Error {
  constructor(
    message: string,
    readonly mutated: boolean,
  ) {
    super(message);
  }
}
const isMutated = (pred: SqlPredicate, twin: SqlPredicate) => JSON.stringify(pred) !== JSON.stringify(twin);

interface RunResult {
  rows: number;
  accepted: number;
  /** Coverage tags of the rows (which branch of the rule decided). */
  tags: string[];
}

interface CaseContext {
  mutation: Mutation;
  /** Counts the runs in which the mutation changed the SQL (a mutation that never applies proves nothing). */
  applied: { n: number };
}

/**
 * Applies the case's mutation to the twin's predicate, runs it in every form and compares the
 * selected ids with `expected`. Throws Mismatch (with everything needed to reproduce) on any
 * difference.
 */
async function check<R extends { id: string }>(
  ctx: CaseContext,
  src: Source,
  twin: SqlPredicate,
  rows: readonly R[],
  expected: (row: R) => boolean,
  context: () => Record<string, unknown>,
  /** Ids in the table that this comparison leaves to another (rows it must not count as stray). */
  elsewhere: ReadonlySet<string> = new Set(),
  forms: readonly Form[] = FORMS,
): Promise<number> {
  const pred = ctx.mutation.apply(twin);
  const mutated = isMutated(pred, twin);
  if (mutated) ctx.applied.n++;
  let accepted = 0;
  const want = new Map(rows.map((r) => [r.id, expected(r)]));
  for (const v of want.values()) if (v) accepted++;
  for (const form of forms) {
    const got = await selected(form, src, pred);
    const wrong = rows.filter((r) => want.get(r.id) !== got.has(r.id));
    const stray = [...got].filter((id) => !want.has(id) && !elsewhere.has(id));
    if (wrong.length > 0 || stray.length > 0) {
      throw new Mismatch(
        [
          `rule and SQL twin disagree on ${wrong.length} of ${rows.length} row(s) (${form} form)`,
          ...Object.entries(context()).map(([k, v]) => `${k}: ${JSON.stringify(v)}`),
          `disagreements: ${JSON.stringify(wrong.slice(0, 6).map((r) => ({ row: r, rule: want.get(r.id), sql: got.has(r.id) })))}`,
          stray.length ? `selected ids that are no row: ${JSON.stringify(stray)}` : "",
          `predicate: ${pred.sql}`,
          `params: ${JSON.stringify(pred.params)}`,
        ].join("\n"),
        mutated,
      );
    }
  }
  return accepted;
}

interface TwinCase<S> {
  name: string;
  arb: fc.Arbitrary<S>;
  numRuns: number;
  run(s: S, ctx: CaseContext): Promise<RunResult>;
  /** Tags every run together must have produced. */
  mustCover: string[];
  mutations: Mutation[];
}

/** Registers the property and one test per mutation that must be caught. */
function twinTests<S>(c: TwinCase<S>): void {
  it(`${c.name}: the twin selects exactly the rows the rule accepts (property)`, async () => {
    const tags = new Map<string, number>();
    let rows = 0;
    let accepted = 0;
    let runs = 0;
    const ctx: CaseContext = { mutation: IDENTITY, applied: { n: 0 } };
    const began = performance.now();
    await fc.assert(
      fc.asyncProperty(c.arb, async (s) => {
        const r = await c.run(s, ctx);
        runs++;
        rows += r.rows;
        accepted += r.accepted;
        for (const t of r.tags) tags.set(t, (tags.get(t) ?? 0) + 1);
      }),
      { numRuns: c.numRuns },
    );
    const secs = ((performance.now() - began) / 1000).toFixed(1);
    console.log(
      `${c.name}: rule and twin agree on ${rows} rows over ${runs} runs × ${FORMS.length} forms (${accepted} accepted) in ${secs} s\n  ` +
        [...tags]
          .sort((a, b) => b[1] - a[1])
          .map(([t, n]) => `${t}: ${n}`)
          .join("; "),
    );
    expect(runs).toBe(c.numRuns);
    for (const t of c.mustCover) expect(tags.get(t) ?? 0, `coverage: ${t}`).toBeGreaterThan(0);
    // Both outcomes, often enough for agreement to mean something.
    expect(accepted, "rows accepted").toBeGreaterThan(rows / 20);
    expect(rows - accepted, "rows refused").toBeGreaterThan(rows / 20);
  });

  for (const m of c.mutations) {
    it(`${c.name}: catches the mutation "${m.name}"`, async () => {
      const ctx: CaseContext = { mutation: m, applied: { n: 0 } };
      const out = await fc.check(
        fc.asyncProperty(c.arb, async (s) => {
          await c.run(s, ctx);
        }),
        // Each stops at its first failure; the margin keeps the rarer ones from slipping through.
        { numRuns: 3 * c.numRuns, endOnFailure: true },
      );
      console.log(`${c.name}: mutation "${m.name}" ${out.failed ? "caught after" : "NOT caught in"} ${out.numRuns} of at most ${3 * c.numRuns} runs`);
      expect(ctx.applied.n, "the mutation changed the SQL").toBeGreaterThan(0);
      expect(out.failed, "the mutated twin passed the property").toBe(true);
      // Caught by the comparison of the mutated SQL, not by broken SQL or another failure.
      expect(out.errorInstance, String(out.errorInstance)).toBeInstanceOf(Mismatch);
      expect((out.errorInstance as Mismatch).mutated, String(out.errorInstance)).toBe(true);
    });
  }
}

// ---------------------------------------------------------------------------------------
// Shared generators
// ---------------------------------------------------------------------------------------
const ORGS = loadRegistry().orgs.map((o) => o.code);
const DAY = 86_400_000;
const orgArb = fc.constantFrom(...ORGS);
const classificationArb = fc.constantFrom(...CLASSIFICATIONS);
const mostly = <T>(likely: fc.Arbitrary<T>, any: fc.Arbitrary<T>) => fc.oneof({ arbitrary: likely, weight: 3 }, { arbitrary: any, weight: 1 });
const rarely = (w = 4) => fc.oneof({ arbitrary: fc.constant(false), weight: w }, { arbitrary: fc.constant(true), weight: 1 });
const SUBS = ["ann", "bob"];
/** An org, null standing for the reader's (resolved once the principal is known): the reader's in 5/8 of cases. */
const readerOrAny = fc.oneof(fc.constant(null), orgArb);
/** The same, the reader's in 13/16 of cases. */
const orgOrReader = mostly(fc.constant(null), orgArb);

/** Any roles (sometimes none), optionally biased towards some. */
const rolesArb = (bias: (typeof ROLES)[number][] = []) =>
  mostly(
    fc.subarray([...ROLES]).map((roles) => [...new Set([...bias, ...roles])]),
    fc.subarray([...ROLES]),
  );
const principalArb = (bias: (typeof ROLES)[number][] = [], org: fc.Arbitrary<string> = orgArb) =>
  fc.record({
    sub: fc.constantFrom(...SUBS),
    org,
    roles: rolesArb(bias),
    clearance: classificationArb,
    covert: fc.boolean(),
  });
/** A principal as the rules take it (fresh arrays, so no run shares state). */
const P = (p: { sub: string; org: string; roles: readonly (typeof ROLES)[number][]; clearance: Classification; covert: boolean }): Principal => ({
  ...p,
  roles: [...p.roles],
});
const cleared = (p: Principal, c: Classification) => classificationRank(p.clearance) >= classificationRank(c);

/** Rows of a table: up to `maxLength`, sizes spread over the whole range (a few hundred rows per run is cheap). */
const uniqueRows = <T extends { uuid: string }>(row: fc.Arbitrary<T>, maxLength: number, minLength = 1) =>
  fc.uniqueArray(row, { minLength, maxLength, size: "max", selector: (r) => r.uuid });

// ---------------------------------------------------------------------------------------
// Monitoring assignments
// ---------------------------------------------------------------------------------------
const assignmentRowArb = fc.record({ uuid: fc.uuid(), org: orgArb, covert: fc.boolean(), classification: classificationArb });
const monitoringArb = fc.record({
  // The CEOP desk is a branch of its own: its principals are about half the runs.
  principal: principalArb(["ANALYST"], fc.oneof(fc.constant("CEOP"), orgArb, orgArb)),
  /** Orgs an agreement in force binds to the principal's org. */
  partners: fc.subarray(ORGS),
  force: orgArb,
  forceIsReader: fc.boolean(),
  rows: uniqueRows(assignmentRowArb, 300),
});
type MonitoringScenario = typeof monitoringArb extends fc.Arbitrary<infer T> ? T : never;

function assignmentTag(p: Principal, a: { org: string; covert: boolean; classification: Classification }, partner: boolean, ok: boolean): string {
  if (!cleared(p, a.classification)) return "not cleared";
  if (p.org === a.org) return `own ${a.covert ? "covert" : "overt"}: ${ok}`;
  if (isDeconflictionDesk(p)) return `desk ${a.covert ? "covert" : "overt"}: ${ok}`;
  if (a.covert) return "other org's covert";
  return `other org's overt, partner ${partner}: ${ok}`;
}

const monitoringMutations = (org: string, covert: string, classification: string): Mutation[] => [
  rewrite("classification not checked", `${classification} = ANY(:maAllowed) AND `, ""),
  rewrite("covert assignments shown to whoever sees overt ones", `${org} = ANY(:maCovertOrgs)`, `${org} = ANY(:maOvertOrgs)`),
  rewrite("overt assignments of every listed org", `(NOT ${covert} AND ${org} = ANY(:maOvertOrgs))`, `(NOT ${covert})`),
];

async function runMonitoring(s: MonitoringScenario, ctx: CaseContext, form: "hub" | "force"): Promise<RunResult> {
  const p = P(s.principal);
  const partner = (org: string) => s.partners.includes(org);
  const force = s.forceIsReader ? p.org : s.force;
  const rows = s.rows.map((r) => ({ id: r.uuid, org: form === "hub" ? r.org : force, covert: r.covert, classification: r.classification }));
  let src: Source;
  let twin: SqlPredicate;
  if (form === "hub") {
    // The hub's monitoring_pointer: every org's assignments, with an org column.
    await fill(
      "monitoring_pointer",
      ["id", "org", "covert", "classification"],
      rows.map((r) => [r.id, r.org, r.covert, r.classification]),
    );
    src = { table: "monitoring_pointer", alias: "m" };
    twin = assignmentSqlPredicate(p, ORGS, partner, { org: "m.org", covert: "m.covert", classification: "m.classification" });
  } else {
    // A force's own monitoring_assignment: one org, no org column.
    await fill(
      "monitoring_assignment",
      ["id", "covert", "classification"],
      rows.map((r) => [r.id, r.covert, r.classification]),
    );
    src = { table: "monitoring_assignment", alias: "r" };
    twin = assignmentSqlPredicate(p, [force], partner, { org: orgLiteral(force), covert: "r.covert", classification: "r.classification" });
  }
  const rule = (r: (typeof rows)[number]) => mayKnowAssignment(p, r, partner(r.org));
  const accepted = await check(ctx, src, twin, rows, rule, () => ({ principal: p, partners: s.partners, form, force }));
  return { rows: rows.length, accepted, tags: rows.map((r) => assignmentTag(p, r, partner(r.org), rule(r))) };
}

describe("monitoring assignments: mayKnowAssignment vs assignmentSqlPredicate", { timeout: 120_000 }, () => {
  twinTests({
    name: "monitoring (hub form, org column)",
    arb: monitoringArb,
    numRuns: 100,
    run: (s, ctx) => runMonitoring(s, ctx, "hub"),
    mustCover: [
      "not cleared",
      "own overt: true",
      "own covert: true",
      "own covert: false",
      "desk covert: true",
      "desk covert: false",
      "desk overt: true",
      "other org's covert",
      "other org's overt, partner true: true",
      "other org's overt, partner true: false",
      "other org's overt, partner false: false",
    ],
    mutations: monitoringMutations("m.org", "m.covert", "m.classification"),
  });
  twinTests({
    name: "monitoring (force form, orgLiteral)",
    arb: monitoringArb,
    numRuns: 100,
    run: (s, ctx) => runMonitoring(s, ctx, "force"),
    mustCover: [
      "not cleared",
      "own overt: true",
      "own covert: true",
      "own covert: false",
      "desk covert: true",
      "other org's covert",
      "other org's overt, partner true: true",
    ],
    mutations: [
      rewrite("classification not checked", "r.classification = ANY(:maAllowed) AND ", ""),
      // In the force form the org column is a literal: the covert and overt org lists carry the rule.
      rewrite("covert assignments shown to whoever sees overt ones", "= ANY(:maCovertOrgs)", "= ANY(:maOvertOrgs)"),
      rewrite("covert flag ignored", "(NOT r.covert AND", "(true AND"),
    ],
  });
});

// ---------------------------------------------------------------------------------------
// Sightings
// ---------------------------------------------------------------------------------------
const sightingRowArb = fc.record({ uuid: fc.uuid(), org: readerOrAny, identityOrg: readerOrAny, classification: classificationArb });
const sightingArb = fc.record({
  principal: principalArb(),
  rows: uniqueRows(sightingRowArb, 300),
  identityReadable: fc.boolean(),
  force: orgArb,
  forceIsReader: fc.boolean(),
});
type SightingScenario = typeof sightingArb extends fc.Arbitrary<infer T> ? T : never;

function sightingTag(p: Principal, s: { org: string; identityOrg: string; classification: Classification }, ok: boolean): string {
  if (!cleared(p, s.classification)) return "not cleared";
  const side =
    p.org === s.org ? (p.org === s.identityOrg ? "own sighting of own identity" : "own sighting") : p.org === s.identityOrg ? "of own identity" : "unrelated";
  return `${side}: ${ok}`;
}

const sightingHubCols = { org: "s.org", identityOrg: "s.identity_org", classification: "s.classification" };

async function runSightings(s: SightingScenario, ctx: CaseContext, which: "read" | "of identity" | "force"): Promise<RunResult> {
  const p = P(s.principal);
  if (which === "force") {
    const force = s.forceIsReader ? p.org : s.force;
    const rows = s.rows.map((r) => ({ id: r.uuid, org: force, identityOrg: r.identityOrg ?? p.org, classification: r.classification }));
    await fill(
      "sighting",
      ["id", "identity_org", "classification"],
      rows.map((r) => [r.id, r.identityOrg, r.classification]),
    );
    const twin = sightingSqlPredicate(p, { org: orgLiteral(force), identityOrg: "r.identity_org", classification: "r.classification" });
    const rule = (r: (typeof rows)[number]) => mayReadSighting(p, r);
    const accepted = await check(ctx, { table: "sighting", alias: "r" }, twin, rows, rule, () => ({ principal: p, force }));
    return { rows: rows.length, accepted, tags: rows.map((r) => sightingTag(p, r, rule(r))) };
  }
  const rows = s.rows.map((r) => ({ id: r.uuid, org: r.org ?? p.org, identityOrg: r.identityOrg ?? p.org, classification: r.classification }));
  await fill(
    "sighting_pointer",
    ["id", "org", "identity_org", "classification"],
    rows.map((r) => [r.id, r.org, r.identityOrg, r.classification]),
  );
  const src = { table: "sighting_pointer", alias: "s" };
  if (which === "read") {
    const rule = (r: (typeof rows)[number]) => mayReadSighting(p, r);
    const accepted = await check(ctx, src, sightingSqlPredicate(p, sightingHubCols), rows, rule, () => ({ principal: p }));
    return { rows: rows.length, accepted, tags: rows.map((r) => sightingTag(p, r, rule(r))) };
  }
  const rule = (r: (typeof rows)[number]) => maySeeSightingOfIdentity(p, r, s.identityReadable);
  const twin = sightingOfIdentitySqlPredicate(p, s.identityReadable, sightingHubCols);
  const accepted = await check(ctx, src, twin, rows, rule, () => ({ principal: p, identityReadable: s.identityReadable }));
  return { rows: rows.length, accepted, tags: rows.map((r) => `identity readable ${s.identityReadable}, ${sightingTag(p, r, rule(r))}`) };
}

describe("sightings: mayReadSighting / maySeeSightingOfIdentity vs their twins", { timeout: 120_000 }, () => {
  twinTests({
    name: "sightings (hub form)",
    arb: sightingArb,
    numRuns: 80,
    run: (s, ctx) => runSightings(s, ctx, "read"),
    mustCover: ["not cleared", "own sighting: true", "of own identity: true", "own sighting of own identity: true", "unrelated: false", "own sighting: false"],
    mutations: [
      rewrite("the identity's owner not told", " OR s.identity_org = :siOrg", ""),
      rewrite("classification not checked", "s.classification = ANY(:siAllowed) AND ", ""),
    ],
  });
  twinTests({
    name: "sightings (force form, orgLiteral)",
    arb: sightingArb,
    numRuns: 60,
    run: (s, ctx) => runSightings(s, ctx, "force"),
    mustCover: ["not cleared", "own sighting: true", "own sighting of own identity: true", "of own identity: true", "unrelated: false"],
    mutations: [rewrite("the identity's owner not told", " OR r.identity_org = :siOrg", "")],
  });
  twinTests({
    name: "sightings of an identity (hub form)",
    arb: sightingArb,
    numRuns: 80,
    run: (s, ctx) => runSightings(s, ctx, "of identity"),
    mustCover: [
      "identity readable true, of own identity: true",
      "identity readable true, own sighting: true",
      "identity readable false, of own identity: false",
      "identity readable false, own sighting: false",
      "identity readable false, own sighting of own identity: false",
    ],
    mutations: [
      rewrite("sightings shown although the identity is not readable", "(1 = 0)", "(s.classification IS NOT NULL)"),
      rewrite("classification not checked", "s.classification = ANY(:siAllowed) AND ", ""),
    ],
  });
});

// ---------------------------------------------------------------------------------------
// Deconfliction alerts
// ---------------------------------------------------------------------------------------
/** What `ownRecord(side)` returns for one side of an alert. */
const ownRecordArb = fc.oneof(
  { weight: 1, arbitrary: fc.record({ type: fc.constant("none" as const) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("erased" as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant("record" as const),
      ownedByReader: mostly(fc.constant(true), fc.boolean()),
      owner: orgArb,
      classification: classificationArb,
      covert: rarely(2),
    }),
  },
);
const alertRowArb = fc.record({
  uuid: fc.uuid(),
  trigger: fc.constantFrom("RECORD" as const, "SEARCH" as const),
  holderOrg: fc.oneof(fc.constant(null), orgArb),
  holderCovert: fc.boolean(),
  otherOrg: orgOrReader,
  otherCovert: fc.boolean(),
  partners: fc.boolean(),
  holderRecord: ownRecordArb,
  otherRecord: ownRecordArb,
});
const alertArb = fc.record({ principal: principalArb(), rows: uniqueRows(alertRowArb, 300) });

/** A record of the principal's own org it reads in full (an owner's decision needs only a reading role). */
const fullyReadable = (p: Principal): PolicyRecord => ({
  id: formatGlobalId(p.org, "identity", "00000000-0000-4000-8000-000000000001"),
  owner: p.org,
  kind: "identity",
  classification: "OFFICIAL",
  handling: "P",
  handlingOrgs: [],
  covert: false,
  reviewDue: null,
});

describe("deconfliction alerts: alertSide vs alertSqlPredicate", { timeout: 120_000 }, () => {
  twinTests({
    name: "alerts",
    arb: alertArb,
    numRuns: 100,
    async run(s, ctx) {
      const p = P(s.principal);
      const rows = s.rows.map((r) => ({ ...r, id: r.uuid, holderOrg: r.holderOrg ?? p.org, otherOrg: r.otherOrg ?? p.org }));
      await fill(
        "deconfliction_alert",
        ["id", "trigger", "holder_org", "holder_covert", "other_org", "other_covert"],
        rows.map((r) => [r.id, r.trigger, r.holderOrg, r.holderCovert, r.otherOrg, r.otherCovert]),
      );
      const facts = (r: (typeof rows)[number], partners = r.partners): AlertFacts => ({
        trigger: r.trigger,
        holderOrg: r.holderOrg,
        holderCovert: r.holderCovert,
        otherOrg: r.otherOrg,
        otherCovert: r.otherCovert,
        partners,
      });
      const ownRecord =
        (r: (typeof rows)[number]) =>
        (side: AlertSide): PolicyRecord | null | "none" => {
          const spec = side === "holder" ? r.holderRecord : r.otherRecord;
          if (spec.type === "none") return "none";
          if (spec.type === "erased") return null;
          const owner = spec.ownedByReader ? p.org : spec.owner;
          return { ...fullyReadable(p), id: formatGlobalId(owner, "identity", r.uuid), owner, classification: spec.classification, covert: spec.covert };
        };
      // Exact: the twin is the rule with partners in force and the principal's records readable.
      const exact = (r: (typeof rows)[number]) => alertSide(p, facts(r, true), (side) => (side === "holder" ? fullyReadable(p) : "none")) !== null;
      const src = { table: "deconfliction_alert", alias: "a" };
      const accepted = await check(ctx, src, alertSqlPredicate(p, "a"), rows, exact, () => ({ principal: p }));
      // Sound as a pre-filter: every alert the full rule shows (any partners, any ownRecord) is selected.
      const shown = rows.filter((r) => alertSide(p, facts(r), ownRecord(r)) !== null);
      const twin = alertSqlPredicate(p, "a");
      const pred = ctx.mutation.apply(twin);
      for (const form of FORMS) {
        const got = await selected(form, src, pred);
        const missed = shown.filter((r) => !got.has(r.id));
        if (missed.length) {
          throw new Mismatch(
            `alertSide shows alerts the twin does not select (${form}): ${JSON.stringify({ principal: p, missed, sql: pred.sql })}`,
            isMutated(pred, twin),
          );
        }
      }
      const tags = rows.map((r) => {
        const side = alertSide(p, facts(r, true), (x) => (x === "holder" ? fullyReadable(p) : "none"));
        const full = alertSide(p, facts(r), ownRecord(r));
        return [`${r.trigger} ${side ?? "no side"}`, ...(side && !full ? [`${r.trigger} ${side}, withheld by partners/record`] : [])];
      });
      return { rows: rows.length, accepted, tags: [...tags.flat(), ...(shown.length ? ["some shown by the full rule"] : [])] };
    },
    mustCover: [
      "RECORD holder",
      "RECORD other",
      "SEARCH holder",
      "SEARCH other",
      "RECORD no side",
      "SEARCH no side",
      "RECORD holder, withheld by partners/record",
      "SEARCH other, withheld by partners/record",
      "some shown by the full rule",
    ],
    mutations: [
      rewrite("a search that matched only a covert record told to the searcher", " AND NOT (a.trigger = 'SEARCH' AND a.holder_covert)", ""),
      rewrite("covert holder told without the covert claim", "(NOT a.holder_covert OR :alCovert)", "true"),
      rewrite("the other side never told", " OR (a.other_org = :alOrg", " OR (false"),
    ],
  });
});

// ---------------------------------------------------------------------------------------
// Agreements
// ---------------------------------------------------------------------------------------
describe("agreements: mayKnowAgreement vs agreementSqlPredicate", { timeout: 120_000 }, () => {
  const arb = fc.record({
    principal: principalArb(),
    rows: uniqueRows(fc.record({ uuid: fc.uuid(), members: fc.subarray([...ORGS, "BTP"]) }), 200),
  });
  twinTests({
    name: "agreements",
    arb,
    numRuns: 60,
    async run(s, ctx) {
      const p = P(s.principal);
      const rows = s.rows.map((r) => ({ id: r.uuid, members: r.members }));
      await fill(
        "agreement",
        ["id", "members"],
        rows.map((r) => [r.id, r.members]),
      );
      const rule = (r: (typeof rows)[number]) => mayKnowAgreement(p, r);
      const accepted = await check(ctx, { table: "agreement", alias: "a" }, agreementSqlPredicate(p, "a.members"), rows, rule, () => ({ principal: p }));
      const admin = p.roles.includes("POLICY_ADMIN");
      return { rows: rows.length, accepted, tags: rows.map((r) => `${admin ? "policy admin" : "other"}, member ${r.members.includes(p.org)}: ${rule(r)}`) };
    },
    mustCover: ["policy admin, member false: true", "other, member true: true", "other, member false: false"],
    mutations: [rewrite("policy admins see only their org's", ":agPolicyAdmin OR ", ""), rewrite("members ignored", ":agOrg = ANY(a.members)", "false")],
  });
});

// ---------------------------------------------------------------------------------------
// Access requests (hub: access_request LEFT JOIN the record's markings)
// ---------------------------------------------------------------------------------------
const markingsArb = fc.record({
  classification: classificationArb,
  handling: fc.constantFrom(...HANDLING_CODES),
  handlingOrgs: fc.subarray(ORGS),
  covert: rarely(2),
  reviewDue: fc.option(fc.integer({ min: -400 * DAY, max: 400 * DAY }), { nil: null }),
  selectors: fc.integer({ min: 1, max: 2 }),
});
const accessArb = fc.record({
  principal: principalArb(["FORCE_ADMIN"]),
  records: uniqueRows(
    fc.record({ uuid: fc.uuid(), owner: orgOrReader, kind: fc.constantFrom(...RECORD_KINDS), markings: mostly(markingsArb, fc.constant(null)) }),
    40,
  ),
  requests: uniqueRows(
    fc.record({ uuid: fc.uuid(), pick: fc.nat(), requesterOrg: readerOrAny, requesterSub: fc.oneof(fc.constant(null), fc.constantFrom(...SUBS, "carol")) }),
    300,
  ),
});

describe("access requests: mayKnowAccessRequest vs accessRequestSqlPredicate", { timeout: 120_000 }, () => {
  const src: Source = {
    table: "access_request",
    alias: "r",
    // As the hub lists them: the record's markings from one of its pointers, nulls when none is left.
    rawJoins: "LEFT JOIN LATERAL (SELECT * FROM selector_pointer p WHERE p.record_id = r.record_id LIMIT 1) m ON true",
    qbJoins: [["selector_pointer", "m", "m.record_id = r.record_id"]],
  };
  twinTests({
    name: "access requests",
    arb: accessArb,
    numRuns: 100,
    async run(s, ctx) {
      const p = P(s.principal);
      const now = new Date("2026-06-01T12:00:00Z");
      const records = s.records.map((r) => {
        const owner = r.owner ?? p.org;
        return { ...r, owner, id: formatGlobalId(owner, r.kind, r.uuid) };
      });
      const pointers = records.flatMap((r) =>
        r.markings === null
          ? []
          : Array.from({ length: r.markings.selectors }, (_, i) => {
              const m = r.markings!;
              return [
                r.id,
                `selector-${i}`,
                r.owner,
                r.kind,
                m.classification,
                m.handling,
                m.handlingOrgs,
                m.covert,
                m.reviewDue === null ? null : new Date(now.getTime() + m.reviewDue),
              ];
            }),
      );
      await fill("selector_pointer", ["record_id", "selector", "org", "kind", "classification", "handling", "handling_orgs", "covert", "review_due"], pointers);
      const rows = s.requests.map((q) => {
        const record = records[q.pick % records.length];
        return {
          id: q.uuid,
          recordId: record.id,
          ownerOrg: record.owner,
          requesterOrg: q.requesterOrg ?? p.org,
          requesterSub: q.requesterSub ?? p.sub,
          record,
        };
      });
      await fill(
        "access_request",
        ["id", "record_id", "owner_org", "requester_org", "requester_sub"],
        rows.map((r) => [r.id, r.recordId, r.ownerOrg, r.requesterOrg, r.requesterSub]),
      );
      // The hub's pointerRecord: the pointer's markings, null when the record is no longer known.
      const policyRecord = (r: (typeof rows)[number]): PolicyRecord | null => {
        const m = r.record.markings;
        if (m === null) return null;
        return {
          id: r.recordId,
          owner: r.ownerOrg,
          kind: r.record.kind,
          classification: m.classification,
          handling: m.handling as HandlingCode,
          handlingOrgs: m.handlingOrgs,
          covert: m.covert,
          reviewDue: m.reviewDue === null ? null : new Date(now.getTime() + m.reviewDue),
        };
      };
      const rule = (r: (typeof rows)[number]) => mayKnowAccessRequest(p, r, policyRecord(r));
      const accepted = await check(ctx, src, accessRequestSqlPredicate(p, "r", "m"), rows, rule, () => ({ principal: p }));
      const tags = rows.map((r) => {
        if (r.requesterOrg === p.org && r.requesterSub === p.sub) return "own request";
        if (r.requesterOrg === p.org) return `same org, other sub: ${rule(r)}`;
        if (r.ownerOrg !== p.org) return `unrelated: ${rule(r)}`;
        if (!p.roles.includes("FORCE_ADMIN")) return `owner, not admin: ${rule(r)}`;
        if (r.record.markings === null) return `owner admin, record unknown: ${rule(r)}`;
        return `owner admin, ${r.record.markings.covert ? "covert" : "overt"} record: ${rule(r)}`;
      });
      return { rows: rows.length, accepted, tags };
    },
    mustCover: [
      "own request",
      "same org, other sub: false",
      "unrelated: false",
      "owner, not admin: false",
      "owner admin, record unknown: false",
      "owner admin, overt record: true",
      "owner admin, overt record: false",
      "owner admin, covert record: true",
      "owner admin, covert record: false",
    ],
    mutations: [
      rewrite("covert records' requests shown to admins without the claim", " AND m.covert = false", ""),
      rewrite("classification not checked", "m.classification = ANY(:policyAllowed)", "true"),
      rewrite("any org's admin sees requests", "(r.owner_org = :arOrg AND ", "(true AND "),
      rewrite("the whole org sees a principal's requests", " AND r.requester_sub = :arSub", ""),
      rewrite("requests for unknown records shown", "m.record_id IS NOT NULL AND (", "(m.record_id IS NULL OR "),
    ],
  });
});

// ---------------------------------------------------------------------------------------
// A force's records: identities, forums, links, monitoring assignments, sightings, audit
// ---------------------------------------------------------------------------------------
const markingsRowArb = fc.record({
  uuid: fc.uuid(),
  classification: classificationArb,
  handling: fc.constantFrom(...HANDLING_CODES),
  handlingOrgs: fc.subarray(ORGS),
  covert: rarely(3),
  reviewDue: fc.option(fc.oneof(fc.constantFrom(0, -1, 1), fc.integer({ min: -400 * DAY, max: 400 * DAY })), { nil: null }),
});
type MarkingsRow = typeof markingsRowArb extends fc.Arbitrary<infer T> ? T : never;

/** An end of a link: one of the force's records (maybe with its uuid upper-cased), a missing one, another org's, the wrong kind, or junk. */
const endArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant("present" as const), pick: fc.nat(), upper: rarely(5) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("missing" as const), uuid: fc.uuid() }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("foreign" as const), pick: fc.nat(), org: orgArb }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("wrong kind" as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("junk" as const),
      text: fc.constantFrom("", "not-an-id", "KENT:identity:x", "identity:00000000-0000-4000-8000-000000000000"),
    }),
  },
);
type EndSpec = typeof endArb extends fc.Arbitrary<infer T> ? T : never;
const linkRowArb = fc.record({
  markings: markingsRowArb,
  from: endArb,
  toForum: rarely(2),
  to: endArb,
});

const agreementArb = fc.record({
  bindsParties: mostly(fc.constant(true), fc.boolean()),
  members: fc.subarray(ORGS),
  kinds: mostly(fc.subarray([...RECORD_KINDS], { minLength: 2 }), fc.subarray([...RECORD_KINDS])),
  maxClassification: classificationArb,
  status: mostly(fc.constant("ACTIVE" as const), fc.constantFrom(...AGREEMENT_STATUSES)),
  validFrom: fc.integer({ min: -400 * DAY, max: 0 }),
  validTo: fc.option(fc.integer({ min: -DAY, max: 400 * DAY }), { nil: null }),
});
const grantArb = fc.record({
  kind: mostly(fc.constant("link" as const), fc.constantFrom(...RECORD_KINDS)),
  pick: fc.nat(),
  toReader: mostly(fc.constant(true), fc.boolean()),
  org: orgArb,
  expiresIn: fc.integer({ min: -DAY, max: 30 * DAY }),
});

const forceArb = fc.record({
  now: fc.date({ min: new Date("2025-01-01T00:00:00Z"), max: new Date("2027-12-31T00:00:00Z"), noInvalidDate: true }),
  force: orgArb,
  principal: principalArb(["ANALYST"]),
  readerIsForce: fc.boolean(),
  identities: uniqueRows(markingsRowArb, 40, 0),
  forums: uniqueRows(markingsRowArb, 25, 0),
  links: fc.array(fc.record({ uuid: fc.uuid(), link: linkRowArb }), { minLength: 1, maxLength: 300, size: "max" }),
  agreements: fc.array(agreementArb, { maxLength: 3 }),
  grants: fc.array(grantArb, { maxLength: 6 }),
});
type ForceScenario = typeof forceArb extends fc.Arbitrary<infer T> ? T : never;

interface ForceData {
  org: string;
  principal: Principal;
  inputs: PolicyInputs;
  identities: Map<string, PolicyRecord>;
  forums: Map<string, PolicyRecord>;
  links: Map<string, { record: PolicyRecord; ends: LinkEnds }>;
}

const toRecord = (org: string, kind: RecordKind, r: MarkingsRow, now: Date): PolicyRecord => ({
  id: formatGlobalId(org, kind, r.uuid),
  owner: org,
  kind,
  classification: r.classification,
  handling: r.handling,
  handlingOrgs: r.handlingOrgs,
  covert: r.covert,
  reviewDue: r.reviewDue === null ? null : new Date(now.getTime() + r.reviewDue),
});
const markingValues = (r: PolicyRecord) => [r.id.split(":")[2], r.classification, r.handling, r.handlingOrgs, r.covert, r.reviewDue];
const MARKING_COLUMNS = ["id", "classification", "handling", "handling_orgs", "covert", "review_due"];

function endId(org: string, kind: "identity" | "forum", spec: EndSpec, pools: Record<"identity" | "forum", MarkingsRow[]>): string {
  const other = kind === "identity" ? "forum" : "identity";
  switch (spec.type) {
    case "present": {
      const pool = pools[kind];
      if (pool.length === 0) return formatGlobalId(org, kind, "00000000-0000-4000-8000-00000000dead");
      const uuid = pool[spec.pick % pool.length].uuid;
      return formatGlobalId(org, kind, spec.upper ? uuid.toUpperCase() : uuid);
    }
    case "missing":
      return formatGlobalId(org, kind, spec.uuid);
    case "foreign": {
      const foreign = spec.org === org ? ORGS.find((o) => o !== org)! : spec.org;
      const pool = pools[kind];
      // Another org's id with a uuid that is also one of ours: only the org tells them apart.
      return formatGlobalId(foreign, kind, pool.length ? pool[spec.pick % pool.length].uuid : "00000000-0000-4000-8000-00000000beef");
    }
    case "wrong kind": {
      const pool = pools[other];
      return formatGlobalId(org, other, pool.length ? pool[spec.pick % pool.length].uuid : "00000000-0000-4000-8000-00000000f00d");
    }
    case "junk":
      return spec.text;
  }
}

/** Inserts the force's identities, forums and links, and returns them as the rules see them. */
async function fillForce(s: ForceScenario): Promise<ForceData> {
  const org = s.force;
  const principal = P(s.principal);
  if (s.readerIsForce) principal.org = org;
  const now = s.now;
  const identities = new Map(s.identities.map((r) => [r.uuid, toRecord(org, "identity", r, now)]));
  const forums = new Map(s.forums.map((r) => [r.uuid, toRecord(org, "forum", r, now)]));
  const pools = { identity: s.identities, forum: s.forums };
  const seen = new Set<string>();
  const links = new Map<string, { record: PolicyRecord; ends: LinkEnds }>();
  for (const { uuid, link } of s.links) {
    if (seen.has(uuid)) continue;
    seen.add(uuid);
    const to = endId(org, link.toForum ? "forum" : "identity", link.to, pools);
    links.set(uuid, {
      record: toRecord(org, "link", { ...link.markings, uuid }, now),
      ends: { fromId: endId(org, "identity", link.from, pools), toIdentityId: link.toForum ? null : to, toForumId: link.toForum ? to : null },
    });
  }
  const agreements: Agreement[] = s.agreements.map((a, i) => ({
    id: `agreement-${i}`,
    name: `agreement ${i}`,
    members: a.bindsParties ? [...new Set([...a.members, org, principal.org])] : a.members,
    kinds: a.kinds,
    maxClassification: a.maxClassification,
    status: a.status,
    validFrom: new Date(now.getTime() + a.validFrom),
    validTo: a.validTo === null ? null : new Date(now.getTime() + a.validTo),
  }));
  const byKind: Record<RecordKind, PolicyRecord[]> = {
    identity: [...identities.values()],
    forum: [...forums.values()],
    link: [...links.values()].map((l) => l.record),
  };
  const grants: Grant[] = s.grants.flatMap((g) => {
    const pool = byKind[g.kind];
    if (pool.length === 0) return [];
    return [{ recordId: pool[g.pick % pool.length].id, org: g.toReader ? principal.org : g.org, expiresAt: new Date(now.getTime() + g.expiresIn) }];
  });
  await fill("online_identity", MARKING_COLUMNS, [...identities.values()].map(markingValues));
  await fill("forum", MARKING_COLUMNS, [...forums.values()].map(markingValues));
  await fill(
    "suspect_link",
    [...MARKING_COLUMNS, "from_id", "to_identity_id", "to_forum_id"],
    [...links.values()].map((l) => [...markingValues(l.record), l.ends.fromId, l.ends.toIdentityId, l.ends.toForumId]),
  );
  return { org, principal, inputs: { agreements, grants, now }, identities, forums, links };
}

/** The link rule: its markings, then its own-org ends as they stand (null for an end naming no record). */
function linkDecision(d: ForceData, p: Principal, link: { record: PolicyRecord; ends: LinkEnds }) {
  const ends = ownLinkEnds(d.org, link.ends).map((e) => (e.kind === "identity" ? d.identities : d.forums).get(e.uuid) ?? null);
  return decideLink(
    decide(p, link.record, d.inputs),
    ends.map((e) => (e ? decide(p, e, d.inputs) : null)),
  );
}

describe("links: decideLink(decide(link), ends) vs linkSqlPredicate", { timeout: 120_000 }, () => {
  twinTests({
    name: "links",
    arb: forceArb,
    numRuns: 100,
    async run(s, ctx) {
      const d = await fillForce(s);
      const p = d.principal;
      const rows = [...d.links].map(([id, l]) => ({ id, ...l }));
      const rule = (r: (typeof rows)[number]) => linkDecision(d, p, r).level === "FULL";
      const twin = linkSqlPredicate(p, d.org, d.inputs, "l");
      const accepted = await check(ctx, { table: "suspect_link", alias: "l" }, twin, rows, rule, () => ({
        principal: p,
        org: d.org,
        inputs: d.inputs,
        identities: [...d.identities.values()],
        forums: [...d.forums.values()],
      }));
      const tags = rows.map((r) => {
        const dec = linkDecision(d, p, r);
        const own = ownLinkEnds(d.org, r.ends);
        const missing = own.some((e) => !(e.kind === "identity" ? d.identities : d.forums).has(e.uuid));
        const upper = own.some((e) => e.id.endsWith(e.uuid.toUpperCase()));
        return [
          `${p.org === d.org ? "own force" : "other force"}: ${dec.reason}`,
          ...(p.org !== d.org && dec.level === "FULL" ? ["other force: FULL"] : []),
          ...(dec.level === "FULL" && missing ? ["FULL with a missing own end"] : []),
          ...(dec.level === "FULL" && upper ? ["FULL with an upper-case own end"] : []),
          ...(dec.reason === HIDDEN_END && upper ? ["hidden by an upper-case own end"] : []),
        ];
      });
      return { rows: rows.length, accepted, tags: tags.flat() };
    },
    mustCover: [
      "own force: owner",
      `own force: ${HIDDEN_END}`,
      "own force: covert record needs the covert claim",
      "other force: FULL",
      `other force: ${HIDDEN_END}`,
      "FULL with a missing own end",
      "FULL with an upper-case own end",
      "hidden by an upper-case own end",
    ],
    mutations: [
      rewrite("ends never hide the link", " AND NOT COALESCE(", " AND false AND NOT COALESCE("),
      rewrite("the forum end is not checked", "FROM forum l_end2 WHERE", "FROM forum l_end2 WHERE false AND"),
      rewriteParams("upper-case ids of own ends not recognised", "[0-9a-fA-F]", "[0-9a-f]"),
    ],
  });
});

// ---------------------------------------------------------------------------------------
// Audit events
// ---------------------------------------------------------------------------------------
type IdKind = "identity" | "forum" | "link" | "monitoring" | "sighting";
const ID_KINDS: readonly IdKind[] = ["identity", "forum", "link", "monitoring", "sighting"];
/** The audit kind a writer records with an id of each kind. */
const AUDIT_KIND: Record<IdKind, string> = { identity: "identity", forum: "forum", link: "link", monitoring: "monitoring-assignment", sighting: "sighting" };
const AUDIT_KINDS = Object.values(AUDIT_KIND);

const refArb = fc.oneof(
  { weight: 8, arbitrary: fc.record({ type: fc.constant("present" as const), kind: fc.constantFrom(...ID_KINDS), pick: fc.nat(), upper: rarely(8) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("erased" as const), kind: fc.constantFrom(...ID_KINDS), uuid: fc.uuid() }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("foreign" as const), kind: fc.constantFrom(...ID_KINDS), org: orgArb, pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("junk" as const),
      text: fc.constantFrom("x", ":identity:", "identity:00000000-0000-4000-8000-000000000000", "widget:00000000-0000-4000-8000-000000000000"),
    }),
  },
);
const auditArb = fc.record({
  records: forceArb,
  auditor: rarely(6),
  /** Most readers are the force's own FORCE_ADMINs. */
  sameForce: fc.oneof({ arbitrary: fc.constant(true), weight: 5 }, { arbitrary: fc.constant(false), weight: 1 }),
  admin: mostly(fc.constant(true), fc.boolean()),
  assignments: uniqueRows(fc.record({ uuid: fc.uuid(), covert: rarely(2), classification: classificationArb }), 20, 0),
  sightings: uniqueRows(fc.record({ uuid: fc.uuid(), identityOrg: orgArb, classification: classificationArb }), 20, 0),
  events: uniqueRows(
    fc.record({
      uuid: fc.uuid(),
      refs: fc.array(fc.record({ ref: refArb, kindMismatch: rarely(30), otherKind: fc.constantFrom(...AUDIT_KINDS) }), { maxLength: 3 }),
    }),
    300,
  ),
});

describe("audit events: mayReadAuditEvent vs auditEventSqlPredicate", { timeout: 120_000 }, () => {
  twinTests({
    name: "audit events",
    arb: auditArb.map((s) => ({
      ...s,
      // Most readers are the force's FORCE_ADMINs; some are its auditor (FORCE_ADMIN, SECRET, covert).
      records: {
        ...s.records,
        readerIsForce: s.sameForce || s.auditor,
        principal: {
          ...s.records.principal,
          roles: s.admin || s.auditor ? [...new Set([...s.records.principal.roles, "FORCE_ADMIN" as const])] : s.records.principal.roles,
          ...(s.auditor ? { clearance: "SECRET" as const, covert: true } : {}),
        },
      },
    })),
    numRuns: 100,
    async run(s, ctx) {
      const d = await fillForce(s.records);
      const p = d.principal;
      const org = d.org;
      const assignments = new Map(s.assignments.map((a) => [a.uuid, a]));
      const sightings = new Map(s.sightings.map((x) => [x.uuid, x]));
      await fill(
        "monitoring_assignment",
        ["id", "covert", "classification"],
        s.assignments.map((a) => [a.uuid, a.covert, a.classification]),
      );
      await fill(
        "sighting",
        ["id", "identity_org", "classification"],
        s.sightings.map((x) => [x.uuid, x.identityOrg, x.classification]),
      );
      const pools: Record<IdKind, string[]> = {
        identity: [...d.identities.keys()],
        forum: [...d.forums.keys()],
        link: [...d.links.keys()],
        monitoring: [...assignments.keys()],
        sighting: [...sightings.keys()],
      };
      const idOf = (ref: (typeof s.events)[number]["refs"][number]["ref"]): { id: string; kind: string } => {
        switch (ref.type) {
          case "present": {
            const pool = pools[ref.kind];
            const uuid = pool.length ? pool[ref.pick % pool.length] : "00000000-0000-4000-8000-00000000dead";
            return { id: `${org}:${ref.kind}:${ref.upper ? uuid.toUpperCase() : uuid}`, kind: AUDIT_KIND[ref.kind] };
          }
          case "erased":
            return { id: `${org}:${ref.kind}:${ref.uuid}`, kind: AUDIT_KIND[ref.kind] };
          case "foreign": {
            const pool = pools[ref.kind];
            const foreign = ref.org === org ? ORGS.find((o) => o !== org)! : ref.org;
            return {
              id: `${foreign}:${ref.kind}:${pool.length ? pool[ref.pick % pool.length] : "00000000-0000-4000-8000-00000000beef"}`,
              kind: AUDIT_KIND[ref.kind],
            };
          }
          case "junk":
            return { id: `${org}:${ref.text}`, kind: AUDIT_KINDS[ref.text.length % AUDIT_KINDS.length] };
        }
      };
      const events = s.events.map((e) => {
        const refs = e.refs.map((r) => {
          const { id, kind } = idOf(r.ref);
          return { id, kind: r.kindMismatch ? r.otherKind : kind, consistent: !r.kindMismatch || r.otherKind === kind };
        });
        return {
          id: e.uuid,
          recordIds: refs.map((r) => r.id),
          recordKinds: refs.map((r) => r.kind),
          consistent: refs.every((r) => r.consistent),
          refs: e.refs,
        };
      });
      await fill(
        "audit_event",
        ["id", "record_ids", "record_kinds"],
        events.map((e) => [e.id, e.recordIds, e.recordKinds]),
      );

      // The lookup the rule is given: the force's record an id names, as it stands (uuids compare as PostgreSQL compares them).
      const ID =
        /^([A-Z][A-Z0-9_]{1,31}):(identity|forum|link|monitoring|sighting):([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
      const lookup = (id: string): AuditedRecord | null => {
        const m = ID.exec(id);
        if (!m || m[1] !== org) return null;
        const uuid = m[3].toLowerCase();
        switch (m[2] as IdKind) {
          case "identity": {
            const r = d.identities.get(uuid);
            return r ? { kind: "identity", record: r } : null;
          }
          case "forum": {
            const r = d.forums.get(uuid);
            return r ? { kind: "forum", record: r } : null;
          }
          case "link": {
            const l = d.links.get(uuid);
            if (!l) return null;
            const ownEnds = ownLinkEnds(org, l.ends).map((e) => (e.kind === "identity" ? d.identities : d.forums).get(e.uuid) ?? null);
            return { kind: "link", record: l.record, ownEnds };
          }
          case "monitoring": {
            const a = assignments.get(uuid);
            return a ? { kind: "monitoring-assignment", markings: { org, covert: a.covert, classification: a.classification } } : null;
          }
          case "sighting": {
            const x = sightings.get(uuid);
            return x ? { kind: "sighting", markings: { org, identityOrg: x.identityOrg, classification: x.classification } } : null;
          }
        }
      };
      const rule = (e: (typeof events)[number]) => mayReadAuditEvent(p, org, e, lookup, d.inputs);
      const twin = auditEventSqlPredicate(p, org, d.inputs, "e");
      const src = { table: "audit_event", alias: "e" };
      const consistent = events.filter((e) => e.consistent);
      const odd = events.filter((e) => !e.consistent);
      const accepted = await check(
        ctx,
        src,
        twin,
        consistent,
        rule,
        () => ({
          principal: p,
          org,
          identities: [...d.identities.values()],
          forums: [...d.forums.values()],
          links: [...d.links.values()],
          assignments: s.assignments,
          sightings: s.sightings,
        }),
        new Set(odd.map((e) => e.id)),
      );
      // An event whose record_kinds do not match its ids (no writer records one) is at most hidden
      // by the twin, never shown against the rule.
      const pred = ctx.mutation.apply(twin);
      for (const form of FORMS) {
        const got = await selected(form, src, pred);
        const leaked = odd.filter((e) => got.has(e.id) && !rule(e));
        if (leaked.length)
          throw new Mismatch(`twin shows events the rule hides (${form}): ${JSON.stringify({ principal: p, org, leaked })}`, isMutated(pred, twin));
      }
      const who = p.org !== org || !p.roles.includes("FORCE_ADMIN") ? "not the force's admin" : isForceAuditor(p, org) ? "auditor" : "admin";
      // Which kinds of the force's records an event shown names, and which hid an event.
      const tags = consistent.map((e) => {
        const own = e.recordIds.filter((id) => id.startsWith(`${org}:`));
        if (who !== "admin") return [`${who}: ${rule(e)}`];
        if (own.length === 0) return [`admin, no own ids${e.recordIds.length ? " (other orgs' only)" : ""}: ${rule(e)}`];
        const kindOf = (id: string) => lookup(id)?.kind ?? (ID.test(id) ? "erased" : "junk");
        if (rule(e)) return [...new Set(own.map((id) => `admin, shown, names ${kindOf(id)}`)), ...(own.length > 1 ? ["admin, shown, names several"] : [])];
        const hiding = own.filter((id) => !mayReadAuditEvent(p, org, { recordIds: [id] }, lookup, d.inputs));
        return [
          ...new Set(hiding.map((id) => `admin, hidden by ${kindOf(id)}`)),
          ...(own.length > hiding.length ? ["admin, hidden despite readable ids"] : []),
        ];
      });
      return { rows: consistent.length, accepted, tags: [...tags.flat(), ...(odd.length ? ["inconsistent kinds"] : [])] };
    },
    mustCover: [
      "auditor: true",
      "not the force's admin: false",
      "admin, no own ids (other orgs' only): true",
      "admin, no own ids: true",
      ...["identity", "forum", "link", "monitoring-assignment", "sighting"].flatMap((k) => [`admin, shown, names ${k}`, `admin, hidden by ${k}`]),
      "admin, shown, names several",
      "admin, hidden by erased",
      "admin, hidden by junk",
      "admin, hidden despite readable ids",
      "inconsistent kinds",
    ],
    mutations: [
      rewrite("other orgs' ids must be readable too", "WHERE left(ar.id, length(:auOrgPrefix)) = :auOrgPrefix AND ", "WHERE "),
      rewrite("covert identities shown without the claim", " AND aui.covert = false", ""),
      rewrite("link ends never hide the event", " AND NOT COALESCE(", " AND false AND NOT COALESCE("),
      rewrite("sightings' classification not checked", "aus.classification = ANY(:au_aus_siAllowed) AND ", ""),
      rewrite("covert assignments shown without the claim", /\(aum\.covert AND '[A-Z0-9_]+' = ANY\(:au_aum_maCovertOrgs\)\)/, "aum.covert"),
      rewriteParams("upper-case ids of own records not recognised", "[0-9a-fA-F]", "[0-9a-f]"),
    ],
  });
});
