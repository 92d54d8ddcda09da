import type { DataSource } from "typeorm";
import { loadRegistry, type Classification, type Principal } from "@interforce/domain";
import { assignmentSqlPredicate, decide, mayKnowAssignment, partnersOf, positional, type Decision, type PolicyRecord } from "@interforce/policy";
import { loadAgreements } from "./agreements.js";
import { loadPolicyInputs } from "./policy-inputs.js";

/** A monitoring pointer as the hub holds it: no lead officer, no content. */
export interface AssignmentPointer {
  assignment_id: string;
  org: string;
  forum_id: string;
  valid_from: Date;
  valid_to: Date | null;
  covert: boolean;
  classification: Classification;
}

/**
 * The assignment rule of @interforce/policy for one principal, as a row check and as its SQL
 * twin (`$n` parameters from `from` on); rows are still confirmed one by one.
 */
export async function assignmentVisibility(db: DataSource, p: Principal) {
  const agreements = await loadAgreements(db);
  const now = new Date();
  const orgs = loadRegistry().orgs.map((o) => o.code);
  const partner = partnersOf(agreements, p.org, now);
  const sees = (a: { org: string; covert: boolean; classification: Classification }) => mayKnowAssignment(p, a, partner(a.org));
  return {
    sees,
    /** A clause over `alias` of monitoring_pointer, with `$n` parameters from `from`. */
    sql: (alias: string, from: number) => {
      const { text, values } = positional(
        assignmentSqlPredicate(p, orgs, partner, { org: `${alias}.org`, covert: `${alias}.covert`, classification: `${alias}.classification` }),
        from,
      );
      return { text, params: values };
    },
  };
}

/** A forum's assignments the principal may know of, newest start first. */
export async function forumAssignments(
  db: DataSource,
  p: Principal,
  forumId: string,
  opts: { first: number; after: { t: string; id: string } | null; activeOnly: boolean },
): Promise<{ rows: AssignmentPointer[]; hasNextPage: boolean }> {
  const v = await assignmentVisibility(db, p);
  const clause = v.sql("m", 2);
  const params: unknown[] = [forumId, ...clause.params];
  let where = `m.forum_id = $1 AND ${clause.text}`;
  if (opts.activeOnly) where += ` AND m.valid_from <= now() AND (m.valid_to IS NULL OR m.valid_to > now())`;
  if (opts.after) {
    params.push(opts.after.t, opts.after.id);
    where += ` AND (m.valid_from, m.assignment_id) < ($${params.length - 1}::timestamptz, $${params.length})`;
  }
  params.push(opts.first + 1);
  const rows: AssignmentPointer[] = await db.query(
    `SELECT assignment_id, org, forum_id, valid_from, valid_to, covert, classification FROM monitoring_pointer m
      WHERE ${where} ORDER BY m.valid_from DESC, m.assignment_id DESC LIMIT $${params.length}`,
    params,
  );
  const confirmed = rows.filter(v.sees);
  return { rows: confirmed.slice(0, opts.first), hasNextPage: rows.length > opts.first };
}

export interface Overlap {
  forum_id: string;
  orgs: string[];
  assignments: AssignmentPointer[];
}

/**
 * Forums that orgs monitor at overlapping times, now or later (ended assignments are past
 * history). Only assignments the principal may know of are compared or counted.
 */
export async function overlaps(
  db: DataSource,
  p: Principal,
  first: number,
  after: string | null,
): Promise<{ nodes: Overlap[]; hasNextPage: boolean; endCursor: string | null }> {
  const v = await assignmentVisibility(db, p);
  const clause = v.sql("x", 1);
  const rows: { forum_id: string; assignments: (Omit<AssignmentPointer, "valid_from" | "valid_to"> & { valid_from: string; valid_to: string | null })[] }[] =
    await db.query(
      `WITH live AS (
       SELECT * FROM monitoring_pointer x WHERE (x.valid_to IS NULL OR x.valid_to > now()) AND ${clause.text}
     )
     SELECT a.forum_id, json_agg(json_build_object(
         'assignment_id', a.assignment_id, 'org', a.org, 'forum_id', a.forum_id, 'valid_from', a.valid_from,
         'valid_to', a.valid_to, 'covert', a.covert, 'classification', a.classification) ORDER BY a.org, a.valid_from) AS assignments
       FROM live a
      WHERE a.forum_id > $${clause.params.length + 1}
        AND EXISTS (SELECT 1 FROM live b WHERE b.forum_id = a.forum_id AND b.org <> a.org
                     AND a.valid_from < coalesce(b.valid_to, 'infinity') AND b.valid_from < coalesce(a.valid_to, 'infinity'))
      GROUP BY a.forum_id ORDER BY a.forum_id LIMIT $${clause.params.length + 2}`,
      [...clause.params, after ?? "", first + 1],
    );
  const page = rows.slice(0, first);
  const nodes = page.map((r) => {
    const assignments = r.assignments
      .map((a) => ({ ...a, valid_from: new Date(a.valid_from), valid_to: a.valid_to ? new Date(a.valid_to) : null }))
      .filter(v.sees);
    return { forum_id: r.forum_id, orgs: [...new Set(assignments.map((a) => a.org))].sort(), assignments };
  });
  return { nodes: nodes.filter((n) => n.orgs.length > 1), hasNextPage: rows.length > first, endCursor: page.at(-1)?.forum_id ?? null };
}

export interface UnmonitoredForum {
  record_id: string;
  org: string;
  last_until: Date | null;
  decision: Decision;
}

interface ForumPointerRow {
  record_id: string;
  org: string;
  classification: PolicyRecord["classification"];
  handling: PolicyRecord["handling"];
  handling_orgs: string[];
  covert: boolean;
  review_due: Date | null;
  last_until: Date | null;
}

const SCAN = 200;

/**
 * HIGH-risk forums with no current assignment the principal may know of. Each forum is
 * screened by the owner's policy as a search hit would be (FULL or POINTER; a forum the
 * principal may not know of is not listed). Screening happens while scanning, so pages stay
 * full and nothing hidden is counted.
 */
export async function unmonitoredHighRisk(
  db: DataSource,
  p: Principal,
  first: number,
  after: string | null,
): Promise<{ nodes: UnmonitoredForum[]; hasNextPage: boolean }> {
  const v = await assignmentVisibility(db, p);
  const clause = v.sql("m", 1);
  const inputs = { ...(await loadPolicyInputs(db)), now: new Date() };
  const found: UnmonitoredForum[] = [];
  let cursor = after ?? "";
  for (;;) {
    const rows: ForumPointerRow[] = await db.query(
      `SELECT f.record_id, f.org, f.classification, f.handling, f.handling_orgs, f.covert, f.review_due,
              (SELECT max(m.valid_to) FROM monitoring_pointer m WHERE m.forum_id = f.record_id AND ${clause.text}) AS last_until
         FROM forum_pointer f
        WHERE f.risk_level = 'HIGH' AND f.record_id > $${clause.params.length + 1}
          AND NOT EXISTS (SELECT 1 FROM monitoring_pointer m WHERE m.forum_id = f.record_id AND ${clause.text}
                           AND m.valid_from <= now() AND (m.valid_to IS NULL OR m.valid_to > now()))
        ORDER BY f.record_id LIMIT $${clause.params.length + 2}`,
      [...clause.params, cursor, SCAN],
    );
    for (const r of rows) {
      const record: PolicyRecord = {
        id: r.record_id,
        owner: r.org,
        kind: "forum",
        classification: r.classification,
        handling: r.handling,
        handlingOrgs: r.handling_orgs,
        covert: r.covert,
        reviewDue: r.review_due,
      };
      const decision = decide(p, record, inputs, "search");
      if (decision.level !== "NONE") found.push({ record_id: r.record_id, org: r.org, last_until: r.last_until, decision });
      if (found.length > first) return { nodes: found.slice(0, first), hasNextPage: true };
    }
    if (rows.length < SCAN) return { nodes: found, hasNextPage: false };
    cursor = rows.at(-1)!.record_id;
  }
}
