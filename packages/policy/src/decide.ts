import { classificationRank, type Principal } from "@interforce/domain";
import { bindingAgreements, highestSharedClassification, isAgreementInForce } from "./agreements.js";
import { CROSS_FORCE_READERS, hasRole, OWN_FORCE_READERS } from "./roles.js";
import type { AccessPath, Decision, PolicyInputs, PolicyRecord } from "./types.js";
const none = (reason: string): Decision => ({ level: "NONE", reason });

export const REASONS = {
  owner: "owner",
  agreement: "joint-monitoring agreement",
  grant: "owner release",
  pointer: "hit/no-hit: ask the owner's SPOC",
  noReadRole: "role may not read intelligence",
  noCrossForceRole: "only analysts read other forces' records",
  clearance: "clearance below classification",
  covertClaim: "covert record needs the covert claim",
  covert: "covert records never leave the owner",
  noAgreement: "no agreement in force",
} as const;

/** Whether a grant of the owner releases this record to the principal's org now. */
function granted(principal: Principal, record: PolicyRecord, inputs: PolicyInputs): boolean {
  return inputs.grants.some((g) => g.recordId === record.id && g.org === principal.org && g.expiresAt > inputs.now);
}

/**
 * The single place that decides whether a principal may read a record. Pure: the caller
 * supplies agreements, grants and the clock. `toSqlPredicate` compiles the FULL rules for
 * list queries; a property test proves the two agree.
 */
export function decide(principal: Principal, record: PolicyRecord, inputs: PolicyInputs, path: AccessPath = "read"): Decision {
  if (principal.org === record.owner) {
    if (!hasRole(principal, OWN_FORCE_READERS)) return none(REASONS.noReadRole);
    if (classificationRank(principal.clearance) < classificationRank(record.classification)) return none(REASONS.clearance);
    // Undercover assets are visible only to the owner's officers cleared for covert work.
    if (record.covert && !principal.covert) return none(REASONS.covertClaim);
    return { level: "FULL", reason: REASONS.owner };
  }
  if (record.covert) return none(REASONS.covert);
  if (!hasRole(principal, CROSS_FORCE_READERS)) return none(REASONS.noCrossForceRole);

  const full = fullAcrossForces(principal, record, inputs);
  if (full) return full;
  // Hit/no-hit needs the two orgs to be partners in some agreement in force; outside one,
  // not even existence is disclosed.
  if (path === "search") {
    const partners = inputs.agreements.some((a) => isAgreementInForce(a, inputs.now) && a.members.includes(record.owner) && a.members.includes(principal.org));
    if (partners) return { level: "POINTER", reason: REASONS.pointer };
  }
  return none(blockingReason(principal, record, inputs));
}

function fullAcrossForces(principal: Principal, record: PolicyRecord, inputs: PolicyInputs): Decision | null {
  if (classificationRank(principal.clearance) < classificationRank(record.classification)) return null;
  if (granted(principal, record, inputs)) return { level: "FULL", reason: REASONS.grant };
  if (record.reviewDue !== null && record.reviewDue <= inputs.now) return null;
  if (record.handling === "C" && !record.handlingOrgs.includes(principal.org)) return null;
  const ceiling = highestSharedClassification(bindingAgreements(inputs.agreements, record.owner, principal.org, record.kind, inputs.now));
  if (ceiling === null || classificationRank(record.classification) > classificationRank(ceiling)) return null;
  return { level: "FULL", reason: REASONS.agreement };
}

/** The first rule that kept a cross-force reader from FULL, for explainAccess and the audit. */
function blockingReason(principal: Principal, record: PolicyRecord, inputs: PolicyInputs): string {
  if (classificationRank(principal.clearance) < classificationRank(record.classification)) return REASONS.clearance;
  if (record.reviewDue !== null && record.reviewDue <= inputs.now) return "past MoPI review date";
  if (record.handling === "C" && !record.handlingOrgs.includes(principal.org)) return "handling conditions exclude the org";
  const binding = bindingAgreements(inputs.agreements, record.owner, principal.org, record.kind, inputs.now);
  if (binding.length === 0) return REASONS.noAgreement;
  return "classification above agreement ceiling";
}
