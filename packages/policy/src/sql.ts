import { CLASSIFICATIONS, classificationRank, type Principal, type RecordKind } from "@interforce/domain";
import { bindingAgreements, highestSharedClassification } from "./agreements.js";
import type { Agreement } from "./types.js";

/** Column names of the policy markings in a force table, aliased by the caller. */
export interface PolicyColumns {
  classification: string;
  handling: string;
  handlingOrgs: string;
  covert: string;
  reviewDue: string;
}

export interface SqlPredicate {
  sql: string;
  params: Record<string, unknown>;
}

export const columnsFor = (alias: string): PolicyColumns => ({
  classification: `${alias}.classification`,
  handling: `${alias}.handling`,
  handlingOrgs: `${alias}.handling_orgs`,
  covert: `${alias}.covert`,
  reviewDue: `${alias}.review_due`,
});

/**
 * The rules of `decide()` for FULL access, as a TypeORM-style WHERE fragment over one
 * force's table (all rows owned by `ownerOrg`). Filtering in SQL, before LIMIT, keeps
 * pages full and keeps hidden rows out of counts.
 */
export function toSqlPredicate(
  principal: Principal,
  ownerOrg: string,
  kind: RecordKind,
  agreements: readonly Agreement[],
  cols: PolicyColumns,
  now: Date = new Date(),
): SqlPredicate {
  const clearance = classificationRank(principal.clearance);
  if (principal.org === ownerOrg) {
    const allowed = CLASSIFICATIONS.filter((c) => classificationRank(c) <= clearance);
    const covertClause = principal.covert ? "" : ` AND ${cols.covert} = false`;
    return { sql: `(${cols.classification} IN (:...policyAllowed)${covertClause})`, params: { policyAllowed: allowed } };
  }
  const ceiling = highestSharedClassification(bindingAgreements(agreements, ownerOrg, principal.org, kind, now));
  if (ceiling === null) return { sql: "(1 = 0)", params: {} };
  const limit = Math.min(clearance, classificationRank(ceiling));
  const allowed = CLASSIFICATIONS.filter((c) => classificationRank(c) <= limit);
  return {
    sql:
      `(${cols.classification} IN (:...policyAllowed) AND ${cols.covert} = false` +
      ` AND (${cols.reviewDue} IS NULL OR ${cols.reviewDue} > :policyNow)` +
      ` AND (${cols.handling} = 'P' OR :policyOrg = ANY(${cols.handlingOrgs})))`,
    params: { policyAllowed: allowed, policyNow: now, policyOrg: principal.org },
  };
}
