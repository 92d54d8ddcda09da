import { CLASSIFICATIONS, classificationRank, parseGlobalId, type Principal, type RecordKind } from "@interforce/domain";
import { bindingAgreements, highestSharedClassification } from "./agreements.js";
import { CROSS_FORCE_READERS, OWN_FORCE_READERS } from "./roles.js";
import type { PolicyInputs } from "./types.js";
import { NOTHING, type SqlPredicate } from "./visibility-sql.js";

/** Column names of the policy markings in a force table, aliased by the caller. */
export interface PolicyColumns {
  id: string;
  classification: string;
  handling: string;
  handlingOrgs: string;
  covert: string;
  reviewDue: string;
}

export const columnsFor = (alias: string): PolicyColumns => ({
  id: `${alias}.id`,
  classification: `${alias}.classification`,
  handling: `${alias}.handling`,
  handlingOrgs: `${alias}.handling_orgs`,
  covert: `${alias}.covert`,
  reviewDue: `${alias}.review_due`,
});

const upTo = (rank: number) => CLASSIFICATIONS.filter((c) => classificationRank(c) <= rank);

/**
 * The FULL rules of `decide()` as a TypeORM WHERE fragment over one force's table (every
 * row owned by `ownerOrg`). Filtering in SQL, before LIMIT, keeps pages full and keeps
 * hidden rows out of counts. Parameter names are prefixed to avoid clashing with the
 * caller's own.
 */
export function toSqlPredicate(principal: Principal, ownerOrg: string, kind: RecordKind, inputs: PolicyInputs, cols: PolicyColumns): SqlPredicate {
  const clearance = classificationRank(principal.clearance);
  if (principal.org === ownerOrg) {
    if (!principal.roles.some((r) => OWN_FORCE_READERS.includes(r))) return NOTHING;
    const covertClause = principal.covert ? "" : ` AND ${cols.covert} = false`;
    return { sql: `(${cols.classification} = ANY(:policyAllowed)${covertClause})`, params: { policyAllowed: upTo(clearance) } };
  }
  if (!principal.roles.some((r) => CROSS_FORCE_READERS.includes(r))) return NOTHING;

  const grantedUuids = inputs.grants
    .filter((g) => g.org === principal.org && g.expiresAt > inputs.now)
    .map((g) => parseGlobalId(g.recordId))
    .filter((g) => g !== null && g.org === ownerOrg && g.kind === kind)
    .map((g) => g!.uuid);
  const clauses: string[] = [];
  const params: Record<string, unknown> = { policyClearance: upTo(clearance) };
  if (grantedUuids.length > 0) {
    clauses.push(`${cols.id} = ANY(:policyGranted)`);
    params.policyGranted = grantedUuids;
  }
  const ceiling = highestSharedClassification(bindingAgreements(inputs.agreements, ownerOrg, principal.org, kind, inputs.now));
  if (ceiling !== null) {
    clauses.push(
      `(${cols.classification} = ANY(:policyShared)` +
        ` AND (${cols.reviewDue} IS NULL OR ${cols.reviewDue} > :policyNow)` +
        ` AND (${cols.handling} = 'P' OR :policyOrg = ANY(${cols.handlingOrgs})))`,
    );
    params.policyShared = upTo(Math.min(clearance, classificationRank(ceiling)));
    params.policyNow = inputs.now;
    params.policyOrg = principal.org;
  }
  if (clauses.length === 0) return NOTHING;
  return {
    sql: `(${cols.covert} = false AND ${cols.classification} = ANY(:policyClearance) AND (${clauses.join(" OR ")}))`,
    params,
  };
}
