import type { Principal } from "@interforce/domain";
import type { SqlPredicate } from "./visibility-sql.js";

/** Policy admins see every agreement; anyone else only those that name their org. */
export function mayKnowAgreement(p: Principal, a: { members: readonly string[] }): boolean {
  return p.roles.includes("POLICY_ADMIN") || a.members.includes(p.org);
}

/** The SQL twin of `mayKnowAgreement` over a members column (text[]). */
export function agreementSqlPredicate(p: Principal, membersColumn: string): SqlPredicate {
  return { sql: `(:agPolicyAdmin OR :agOrg = ANY(${membersColumn}))`, params: { agPolicyAdmin: p.roles.includes("POLICY_ADMIN"), agOrg: p.org } };
}
