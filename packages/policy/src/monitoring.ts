import { CLASSIFICATIONS, classificationRank, type Classification, type Principal } from "@interforce/domain";
import { cleared, hasRole, isDeconflictionDesk, OWN_FORCE_READERS } from "./roles.js";
import { NOTHING, type SqlPredicate } from "./visibility-sql.js";

export interface AssignmentMarkings {
  /** The monitoring org, which owns the assignment. */
  org: string;
  covert: boolean;
  classification: Classification;
}

/**
 * Who may know of a monitoring assignment. Everyone needs clearance for its classification.
 * - The assigning org's readers see their own; covert ones only with the covert claim.
 * - The CEOP deconfliction desk (its analysts and force admins) sees every org's overt
 *   assignments, and their covert ones only with the covert claim: two covert operations must
 *   not run into each other unseen, but a covert deployment is told only to those cleared
 *   for covert work.
 * - Analysts of a partner org (an agreement in force binds both orgs) see overt ones.
 * The hub lists by this rule and the assigning force resolves by it, so both agree.
 */
export function mayKnowAssignment(p: Principal, a: AssignmentMarkings, partners: boolean): boolean {
  if (!cleared(p, a.classification)) return false;
  if (p.org === a.org) return hasRole(p, OWN_FORCE_READERS) && (!a.covert || p.covert);
  if (isDeconflictionDesk(p)) return !a.covert || p.covert;
  if (a.covert) return false;
  return partners && p.roles.includes("ANALYST");
}

export interface AssignmentColumns {
  org: string;
  covert: string;
  classification: string;
}

/**
 * The SQL twin of `mayKnowAssignment` over assignments of the orgs in `orgs`, with
 * `partner(org)` the partner test. A force's own table has no org column: it passes
 * `orgs: [itself]` and `cols.org` as `orgLiteral(itself)`.
 */
export function assignmentSqlPredicate(p: Principal, orgs: readonly string[], partner: (org: string) => boolean, cols: AssignmentColumns): SqlPredicate {
  const overt = orgs.filter((org) => mayKnowAssignment(p, { org, covert: false, classification: "OFFICIAL" }, partner(org)));
  const covert = orgs.filter((org) => mayKnowAssignment(p, { org, covert: true, classification: "OFFICIAL" }, partner(org)));
  if (overt.length === 0 && covert.length === 0) return NOTHING;
  const allowed = CLASSIFICATIONS.filter((c) => classificationRank(c) <= classificationRank(p.clearance));
  return {
    sql:
      `(${cols.classification} = ANY(:maAllowed) AND ((${cols.covert} AND ${cols.org} = ANY(:maCovertOrgs))` +
      ` OR (NOT ${cols.covert} AND ${cols.org} = ANY(:maOvertOrgs))))`,
    params: { maAllowed: allowed, maCovertOrgs: covert, maOvertOrgs: overt },
  };
}

/** An org code as a SQL literal (codes are `[A-Z][A-Z0-9_]*`, checked here). */
export function orgLiteral(org: string): string {
  if (!/^[A-Z][A-Z0-9_]{1,31}$/.test(org)) throw new Error(`not an org code: ${org}`);
  return `'${org}'`;
}
