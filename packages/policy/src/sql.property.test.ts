/**
 * `toSqlPredicate` must select exactly the rows `decide(..., "read")` gives FULL, because
 * list queries filter with it before LIMIT. This checks that against a real PostgreSQL
 * (embedded cluster) through TypeORM's own parameter expansion, with random principals,
 * agreements, grants and records, and reports any row on which the two disagree.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AGREEMENT_STATUSES,
  CLASSIFICATIONS,
  HANDLING_CODES,
  RECORD_KINDS,
  ROLES,
  formatGlobalId,
  loadRegistry,
  type Classification,
  type HandlingCode,
  type Principal,
  type RecordKind,
} from "@interforce/domain";
import { decide } from "./decide.js";
import { columnsFor, toSqlPredicate } from "./sql.js";
import type { SqlPredicate } from "./visibility-sql.js";
import { usePolicyTestDb } from "./test-db.js";
import type { Agreement, Grant, PolicyInputs, PolicyRecord } from "./types.js";

// ---------------------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------------------
const TABLE = "records";
const cols = columnsFor("r");

// The policy columns of a force table, as in the force subgraph's initial migration.
const db = usePolicyTestDb("sql", [
  `CREATE TABLE ${TABLE} (
    id uuid PRIMARY KEY,
    classification text NOT NULL CHECK (classification IN ('OFFICIAL','OFFICIAL_SENSITIVE','SECRET')),
    handling text NOT NULL CHECK (handling IN ('P','C')),
    handling_orgs text[] NOT NULL DEFAULT '{}',
    covert boolean NOT NULL DEFAULT false,
    review_due timestamptz)`,
]);

interface Row {
  uuid: string;
  classification: Classification;
  handling: HandlingCode;
  handlingOrgs: string[];
  covert: boolean;
  reviewDue: Date | null;
}

async function replaceRows(rows: readonly Row[]): Promise<void> {
  await db().query(`TRUNCATE ${TABLE}`);
  if (rows.length === 0) return;
  const params: unknown[] = [];
  const tuples = rows.map((r) => {
    params.push(r.uuid, r.classification, r.handling, r.handlingOrgs, r.covert, r.reviewDue);
    const n = params.length;
    return `($${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}::text[], $${n - 1}, $${n})`;
  });
  await db().query(`INSERT INTO ${TABLE} (id, classification, handling, handling_orgs, covert, review_due) VALUES ${tuples.join(", ")}`, params);
}

/** Runs the predicate exactly as a list query would: TypeORM expands `:name` and `:...list`. */
async function selectedBy(pred: SqlPredicate): Promise<Set<string>> {
  const rows = await db().createQueryBuilder().select("r.id", "id").from(TABLE, "r").where(pred.sql, pred.params).getRawMany();
  return new Set(rows.map((r) => String(r.id)));
}

const policyRecord = (owner: string, kind: RecordKind, r: Row): PolicyRecord => ({
  id: formatGlobalId(owner, kind, r.uuid),
  owner,
  kind,
  classification: r.classification,
  handling: r.handling,
  handlingOrgs: r.handlingOrgs,
  covert: r.covert,
  reviewDue: r.reviewDue,
});

interface Comparison {
  compared: number;
  full: number;
  /** The uuids the predicate selected, sorted. */
  selected: string[];
  /** How many rows got each decide() reason, to show which rules the runs exercised. */
  reasons: Map<string, number>;
  mismatches: Array<{ uuid: string; decide: string; sql: "selected" | "not selected"; record: PolicyRecord }>;
  pred: SqlPredicate;
  expanded: [string, unknown[]];
}

/** Inserts the rows, runs the real predicate and compares each row with decide(). */
async function compare(principal: Principal, owner: string, kind: RecordKind, inputs: PolicyInputs, rows: readonly Row[]): Promise<Comparison> {
  await replaceRows(rows);
  const pred = toSqlPredicate(principal, owner, kind, inputs, cols);
  const selected = await selectedBy(pred);
  const mismatches: Comparison["mismatches"] = [];
  let fullCount = 0;
  const reasons = new Map<string, number>();
  for (const row of rows) {
    const record = policyRecord(owner, kind, row);
    const d = decide(principal, record, inputs, "read");
    const full = d.level === "FULL";
    if (full) fullCount++;
    reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
    if (full !== selected.has(row.uuid)) {
      mismatches.push({ uuid: row.uuid, decide: `${d.level} (${d.reason})`, sql: selected.has(row.uuid) ? "selected" : "not selected", record });
    }
  }
  const expanded = db().createQueryBuilder().select("r.id", "id").from(TABLE, "r").where(pred.sql, pred.params).getQueryAndParameters();
  return { compared: rows.length, full: fullCount, selected: [...selected].sort(), reasons, mismatches, pred, expanded };
}

function describeMismatch(principal: Principal, owner: string, kind: RecordKind, inputs: PolicyInputs, c: Comparison): string {
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  return [
    `decide() and toSqlPredicate() disagree on ${c.mismatches.length} of ${c.compared} record(s)`,
    `principal: ${json(principal)}`,
    `table: ${owner} ${kind}; now: ${inputs.now.toISOString()}`,
    `agreements: ${json(inputs.agreements)}`,
    `grants: ${json(inputs.grants)}`,
    `disagreements: ${json(c.mismatches)}`,
    `predicate: ${c.pred.sql}`,
    `params: ${json(c.pred.params)}`,
    `as executed: ${c.expanded[0]} -- ${JSON.stringify(c.expanded[1])}`,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------
const ORGS = loadRegistry().orgs.map((o) => o.code);
const DAY = 86_400_000;

const org = fc.constantFrom(...ORGS);
const kindArb = fc.constantFrom(...RECORD_KINDS);
const classification = fc.constantFrom(...CLASSIFICATIONS);
/** Offsets from `now` in ms, biased to the boundaries (exactly now, a millisecond either side). */
const offset = fc.oneof(
  { arbitrary: fc.constantFrom(0, -1, 1, -DAY, DAY), weight: 3 },
  { arbitrary: fc.integer({ min: -400 * DAY, max: 400 * DAY }), weight: 2 },
);
const past = fc.oneof(fc.constantFrom(0, -1, -DAY), fc.integer({ min: -400 * DAY, max: 0 }));
const future = fc.oneof(fc.constantFrom(1, DAY), fc.integer({ min: 1, max: 400 * DAY }));
/** Mostly `likely`, sometimes anything: keeps the rarer cross-force FULL paths well exercised. */
const mostly = <T>(likely: fc.Arbitrary<T>, any: fc.Arbitrary<T>) => fc.oneof({ arbitrary: likely, weight: 3 }, { arbitrary: any, weight: 1 });
const nowArb = fc.date({ min: new Date("2024-01-01T00:00:00Z"), max: new Date("2028-12-31T00:00:00Z"), noInvalidDate: true });

const principalArb = fc.record({
  sub: fc.constant("property-user"),
  org,
  roles: mostly(
    fc.subarray([...ROLES]).map((roles) => [...new Set<(typeof ROLES)[number]>(["ANALYST", ...roles])]),
    fc.subarray([...ROLES], { minLength: 1 }),
  ),
  clearance: classification,
  covert: fc.boolean(),
});

const agreementArb = fc.record({
  id: fc.uuid(),
  /** Add the owner and the reader to the members (most agreements then bind). */
  bindsParties: mostly(fc.constant(true), fc.boolean()),
  members: fc.subarray(ORGS),
  kinds: mostly(fc.subarray([...RECORD_KINDS], { minLength: 2 }), fc.subarray([...RECORD_KINDS])),
  maxClassification: classification,
  status: mostly(fc.constant("ACTIVE" as const), fc.constantFrom(...AGREEMENT_STATUSES)),
  validFrom: mostly(past, offset),
  validTo: mostly(fc.option(future, { nil: null }), fc.option(offset, { nil: null })),
});

const rowArb = fc.record({
  uuid: fc.uuid(),
  classification,
  handling: fc.constantFrom(...HANDLING_CODES),
  handlingOrgs: fc.subarray(ORGS),
  covert: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
  reviewDue: fc.option(offset, { nil: null }),
});

/**
 * A grant names one of the inserted records (maybe under another org or kind, or with the
 * uuid in upper case), a random record, or something that is not a global id at all.
 */
const grantTarget = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant("row" as const),
      pick: fc.nat(),
      org: fc.option(org, { nil: null, freq: 3 }),
      kind: fc.option(kindArb, { nil: null, freq: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("row-upper" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("random" as const), org, kind: kindArb, uuid: fc.uuid() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("junk" as const), text: fc.string({ maxLength: 40 }) }) },
);
const grantArb = fc.record({
  target: grantTarget,
  toReader: mostly(fc.constant(true), fc.boolean()),
  org,
  expiresAt: mostly(future, offset),
});

const scenarioArb = fc.record({
  now: nowArb,
  principal: principalArb,
  ownerIsReader: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
  owner: org,
  kind: kindArb,
  agreements: fc.array(agreementArb, { minLength: 0, maxLength: 3 }),
  rows: fc.uniqueArray(rowArb, { minLength: 1, maxLength: 40, size: "large", selector: (r) => r.uuid }),
  grants: fc.array(grantArb, { minLength: 0, maxLength: 6, size: "medium" }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function materialise(s: Scenario) {
  const at = (ms: number) => new Date(s.now.getTime() + ms);
  const principal: Principal = { ...s.principal, roles: [...s.principal.roles] };
  // Owner-reads-own-force is a branch of its own: forced in a quarter of the runs, and the
  // random owner matches the reader in a quarter of the rest.
  const owner = s.ownerIsReader ? principal.org : s.owner;
  const rows: Row[] = s.rows.map((r) => ({ ...r, reviewDue: r.reviewDue === null ? null : at(r.reviewDue) }));
  const agreements: Agreement[] = s.agreements.map(({ bindsParties, ...a }, i) => ({
    ...a,
    members: bindsParties ? [...new Set([...a.members, owner, principal.org])] : a.members,
    name: `agreement ${i}`,
    validFrom: at(a.validFrom),
    validTo: a.validTo === null ? null : at(a.validTo),
  }));
  const grants: Grant[] = s.grants.map((g) => {
    const t = g.target;
    let recordId: string;
    if (t.type === "row") {
      recordId = formatGlobalId(t.org ?? owner, t.kind ?? s.kind, rows[t.pick % rows.length].uuid);
    } else if (t.type === "row-upper") {
      recordId = formatGlobalId(owner, s.kind, rows[t.pick % rows.length].uuid.toUpperCase());
    } else if (t.type === "random") {
      recordId = formatGlobalId(t.org, t.kind, t.uuid);
    } else {
      recordId = t.text;
    }
    return { recordId, org: g.toReader ? principal.org : g.org, expiresAt: at(g.expiresAt) };
  });
  return { principal, owner, kind: s.kind as RecordKind, rows, inputs: { agreements, grants, now: s.now } satisfies PolicyInputs };
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------
describe("toSqlPredicate against PostgreSQL", { timeout: 120_000 }, () => {
  it("selects exactly the rows decide() gives FULL (property)", async () => {
    const numRuns = 500;
    let runs = 0;
    let records = 0;
    let selectedTotal = 0;
    const reasons = new Map<string, number>();
    const began = performance.now();
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { principal, owner, kind, rows, inputs } = materialise(s);
        const c = await compare(principal, owner, kind, inputs, rows);
        runs++;
        records += c.compared;
        selectedTotal += c.full;
        for (const [reason, n] of c.reasons) reasons.set(reason, (reasons.get(reason) ?? 0) + n);
        if (c.mismatches.length > 0) throw new Error(describeMismatch(principal, owner, kind, inputs, c));
      }),
      { numRuns },
    );
    console.log(`decide and SQL agree on ${records} records over ${runs} runs (${selectedTotal} FULL) in ${((performance.now() - began) / 1000).toFixed(1)} s`);
    console.log(
      `decide() reasons: ${[...reasons]
        .sort((a, b) => b[1] - a[1])
        .map(([r, n]) => `${r}: ${n}`)
        .join("; ")}`,
    );
    expect(runs).toBe(numRuns);
    // Every rule must have been both passed and hit.
    const rules = [
      "owner",
      "joint-monitoring agreement",
      "owner release",
      "clearance below classification",
      "covert record needs the covert claim",
      "covert records never leave the owner",
      "past MoPI review date",
      "handling conditions exclude the org",
      "no agreement in force",
      "classification above agreement ceiling",
    ];
    for (const reason of rules) {
      expect(reasons.get(reason) ?? 0, reason).toBeGreaterThan(0);
    }
    // The generators must reach both outcomes often enough for the agreement to mean something.
    expect(selectedTotal).toBeGreaterThan(records / 20);
    expect(records - selectedTotal).toBeGreaterThan(records / 20);
  });

  const now = new Date("2026-06-01T12:00:00.000Z");
  const analyst: Principal = { sub: "analyst", org: "ESSEX", roles: ["ANALYST"], clearance: "SECRET", covert: false };
  const eastern: Agreement = {
    id: "a1",
    name: "Eastern Region Joint Monitoring",
    members: ["NORFOLK", "KENT", "ESSEX", "CEOP"],
    kinds: ["identity", "forum", "link"],
    maxClassification: "OFFICIAL_SENSITIVE",
    status: "ACTIVE",
    validFrom: new Date("2026-01-01T00:00:00Z"),
    validTo: null,
  };
  const row = (uuid: string, over: Partial<Row> = {}): Row => ({
    uuid,
    classification: "OFFICIAL",
    handling: "P",
    handlingOrgs: [],
    covert: false,
    reviewDue: null,
    ...over,
  });
  const U = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

  async function selectedIds(principal: Principal, owner: string, kind: RecordKind, inputs: PolicyInputs, rows: Row[]) {
    const c = await compare(principal, owner, kind, inputs, rows);
    expect(c.mismatches, describeMismatch(principal, owner, kind, inputs, c)).toEqual([]);
    return c.selected;
  }

  it("excludes another force's record past its review date, at the very millisecond too", async () => {
    const rows = [
      row(U(1)),
      row(U(2), { reviewDue: new Date(now.getTime() - DAY) }),
      row(U(3), { reviewDue: now }),
      row(U(4), { reviewDue: new Date(now.getTime() + 1) }),
      row(U(5), { classification: "SECRET" }),
      row(U(6), { handling: "C", handlingOrgs: ["CEOP"] }),
      row(U(7), { handling: "C", handlingOrgs: ["CEOP", "ESSEX"] }),
      row(U(8), { covert: true }),
    ];
    const ids = await selectedIds(analyst, "KENT", "identity", { agreements: [eastern], grants: [], now }, rows);
    expect(ids).toEqual([U(1), U(4), U(7)]);
  });

  it("includes a granted record past every other rule but clearance and covert, and only for that record", async () => {
    const rows = [
      row(U(1), { classification: "SECRET", handling: "C", handlingOrgs: ["CEOP"], reviewDue: new Date(now.getTime() - DAY) }),
      row(U(2), { classification: "SECRET" }),
      row(U(3), { covert: true }),
      row(U(4)),
    ];
    const later = new Date(now.getTime() + DAY);
    const grants: Grant[] = [
      { recordId: formatGlobalId("KENT", "identity", U(1)), org: "ESSEX", expiresAt: later },
      { recordId: formatGlobalId("KENT", "identity", U(2)), org: "ESSEX", expiresAt: now }, // expired at this instant
      { recordId: formatGlobalId("KENT", "identity", U(3)), org: "ESSEX", expiresAt: later }, // covert never leaves
      { recordId: formatGlobalId("KENT", "forum", U(4)), org: "ESSEX", expiresAt: later }, // another kind
      { recordId: formatGlobalId("NORFOLK", "identity", U(4)), org: "ESSEX", expiresAt: later }, // another owner
      { recordId: formatGlobalId("KENT", "identity", U(4)), org: "CEOP", expiresAt: later }, // another reader
    ];
    const inputs = { agreements: [], grants, now };
    expect(await selectedIds(analyst, "KENT", "identity", inputs, rows)).toEqual([U(1)]);
    expect(await selectedIds({ ...analyst, clearance: "OFFICIAL_SENSITIVE" }, "KENT", "identity", inputs, rows)).toEqual([]);
    expect(await selectedIds({ ...analyst, roles: ["OFFICER"] }, "KENT", "identity", inputs, rows)).toEqual([]);
  });
});
